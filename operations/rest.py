"""What every REST endpoint shares, whichever face serves it (the API, the exports): one operation per class, 404
(never 403) for roles that may not see a resource, and downloads that answer any Accept header."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView


class ApiView(APIView):
    """One operation. Subclasses declare `InputSerializer` / `OutputSerializer` and call selectors and services."""

    tags: tuple[str, ...] = ()
    output_many = False
    creates = False  # True: a POST that makes an object answers 201 Created

    def initial(self, request, *args, **kwargs):
        # A NUL in a path segment names nothing here (PostgreSQL refuses it in text): a 404, not a 500.
        if any("\x00" in str(value) for value in kwargs.values()):
            raise NotFound()
        super().initial(request, *args, **kwargs)

    def permission_denied(self, request, message=None, code=None):
        # Role permissions (api.permissions.IsBuyer & co.) hide what they guard: a 404, as for any unseen object.
        if code == "not_found" and request.user and request.user.is_authenticated:
            raise NotFound()
        super().permission_denied(request, message=message, code=code)


class AnyMediaRenderer(JSONRenderer):
    """Lets a download answer any Accept header; its errors are still problem details in JSON."""

    media_type = "*/*"
    format = "download"


DOWNLOAD_RENDERERS = [JSONRenderer, AnyMediaRenderer]


def download_responses(media_types) -> dict:
    """The schema of a file download: the file under each of its possible types."""
    return {
        (200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description="The file, as a download.")
        for media_type in media_types
    }
