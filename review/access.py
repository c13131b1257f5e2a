"""Who may enter the review workspace: reviewers and program leads. Everyone else gets a 404, not a hint."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def buyer_required(view=None, *, lead: bool = False):
    """Reviewers and program leads; with `lead=True`, program leads only."""

    def decorate(view_func):
        @login_required
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            user = request.user
            allowed = user.is_program_lead if lead else (user.is_program_lead or user.is_reviewer)
            if not allowed:
                raise Http404("No such page.")
            return view_func(request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate
