"""Handing a private file to a person who was just authorized to have it: streamed through Django, or redirected.

PRIVATE_FILES_DELIVERY = "stream" (default) sends the bytes through the web process: it works with any storage and
any network layout. "redirect" answers with a 302 to a signed object-store URL that expires within
S3_SIGNED_URL_SECONDS, which frees the web process for large files; browsers must reach the store for it.
Either way the authorization happened before this is called: the file's location is never shown otherwise.
"""

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect

from operations.storage import PrivateS3Storage


def private_file_response(
    file: FieldFile, *, filename: str, content_type: str, as_attachment: bool = True
) -> HttpResponse:
    """`as_attachment=False` lets the browser show the file (a PDF in its viewer) instead of saving it."""
    storage = file.storage
    if settings.PRIVATE_FILES_DELIVERY == "redirect" and isinstance(storage, PrivateS3Storage):
        response = HttpResponseRedirect(
            storage.signed_download_url(
                file.name, filename=filename, content_type=content_type, as_attachment=as_attachment
            )
        )
    else:
        try:
            handle = storage.open(file.name, "rb")
        except FileNotFoundError as missing:
            raise Http404("The file is missing from storage.") from missing
        response = FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)
        # A file that sniffs as HTML must not run in the site's origin. The sandbox would also block a browser's PDF
        # viewer, so it goes on downloads only; show inline only files the service rendered itself.
        response["X-Content-Type-Options"] = "nosniff"
        if as_attachment:
            response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
