"""One URL, one API class per HTTP method (HackSoft's "one API per operation") with REST paths.

`operations(get=ProposalListApi, post=ProposalCreateApi)` is the view of a URL: it hands each request to the
class of its method. The schema generator sees the classes themselves (`expand_operations`, a drf-spectacular
preprocessing hook), so each operation keeps its own input and output serializers in the OpenAPI document.
"""

from django.views.decorators.csrf import csrf_exempt
from rest_framework.views import APIView


def operations(**classes: type[APIView]):
    views = {method.upper(): view_class.as_view() for method, view_class in classes.items()}
    if "GET" in views:
        views.setdefault("HEAD", views["GET"])
    allowed = ", ".join(sorted({*views, "OPTIONS"}))

    def view(request, *args, **kwargs):
        handler = views.get(request.method)
        if handler is None:
            # Any of the classes answers 405 in the API's problem shape; the Allow header lists the URL's methods.
            response = next(iter(views.values()))(request, *args, **kwargs)
            response["Allow"] = allowed
            return response
        return handler(request, *args, **kwargs)

    # For drf-spectacular's endpoint enumerator: which methods the URL has.
    listed = {method.lower(): _listed_only for method in views}
    view.cls = type("Operations", (APIView,), listed)
    view.initkwargs = {}
    view.operations = views
    # The classes check CSRF for session callers themselves (DRF's SessionAuthentication).
    return csrf_exempt(view)


def _listed_only(self, request, *args, **kwargs):  # pragma: no cover - `view` above dispatches; never this
    """Marks a method on the placeholder class drf-spectacular enumerates; requests go to the operation's class."""
    raise RuntimeError("operations(): requests are dispatched to the operation's own class, not to this placeholder")


def expand_operations(endpoints):
    """Replace each `operations()` view by the class that serves the method, for the schema."""
    expanded = []
    for path, path_regex, method, callback in endpoints:
        views = getattr(callback, "operations", None)
        expanded.append((path, path_regex, method, views[method] if views else callback))
    return expanded
