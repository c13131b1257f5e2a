from django.contrib.admin.apps import AdminConfig


class ReviewPanelAdminConfig(AdminConfig):
    default_site = "config.admin.ReviewPanelSite"
