"""The review panel (Django admin) is the program leads' back office. Reviewers work in the review workspace
(`/review/`), which shows them only their assignments; the panel does not scope rows per reviewer, so it is not
theirs."""

from django.contrib.admin import AdminSite


def may_use_review_panel(user) -> bool:
    return user.is_active and user.is_staff and (user.is_superuser or user.is_program_lead)


class ReviewPanelSite(AdminSite):
    site_header = "RFP review panel"
    site_title = "RFP review panel"
    index_title = "Proposals, reviews and the RFP"

    def has_permission(self, request) -> bool:
        return may_use_review_panel(request.user)
