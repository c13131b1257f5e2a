"""The HTTP shape of an export, shared by the panel's views and the API: a download with a dated file name."""

from collections.abc import Iterator

from django.http import JsonResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from rfp.models import Rfp


def export_filename(*, rfp: Rfp, export: str, now, extension: str) -> str:
    return f"{slugify(rfp.reference)}-{export}-{now:%Y%m%d-%H%M}.{extension}"


def csv_download(lines: Iterator[str], *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response


def json_download(data: dict, *, filename: str) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response
