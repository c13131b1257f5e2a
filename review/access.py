"""Who may enter the review workspace: reviewers and program leads. Everyone else gets a 404, not a hint."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from rfp import rules


def buyer_required(view=None, *, lead: bool = False):
    """Reviewers and program leads; with `lead=True`, program leads only."""

    def decorate(view_func):
        @login_required
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            allowed = rules.is_program_lead(request.user) if lead else rules.is_buyer(request.user)
            if not allowed:
                raise Http404("No such page.")
            return view_func(request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate
