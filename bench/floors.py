"""The floors `make bench` measures beside the real pages: the least a Django view, a DRF list and a WeasyPrint
render can cost on this machine, so each figure can be read as a ratio. Served only with BENCH_FLOORS."""

from functools import wraps

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny

from bench.models import FloorRow

LIST_SIZE = 50


def _enabled() -> None:
    if not getattr(settings, "BENCH_FLOORS", False):
        raise Http404("The benchmark floors are off (BENCH_FLOORS).")


def floors_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        _enabled()
        return view(request, *args, **kwargs)

    return wrapper


@csrf_exempt
@require_POST
@floors_only
def floor_insert(request):
    """One row written in one transaction: the floor of the submit path."""
    with transaction.atomic():
        label = request.POST.get("label", "floor")[:100]
        row = FloorRow.objects.create(label=label, amount=len(label))
    return HttpResponse(f"{row.pk}\n", content_type="text/plain", status=201)


class FloorRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = FloorRow
        fields = ["id", "label", "amount", "created_at"]


class FloorListApi(ListAPIView):
    """Fifty plain rows, no authentication, throttling, filters or pagination: the floor of the queue endpoints."""

    serializer_class = FloorRowSerializer
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        _enabled()
        return FloorRow.objects.order_by("id")[:LIST_SIZE]


def minimal_document(*, pages: int) -> str:
    """An HTML document WeasyPrint lays out on exactly `pages` A4 pages: text only, no styles to speak of."""
    paragraph = "<p>" + "Minimal benchmark text for the floor render. " * 12 + "</p>"
    body = "".join(
        f'<section style="page-break-after: {"always" if page < pages else "auto"}">'
        f"<h1>Page {page}</h1>{paragraph * 3}</section>"
        for page in range(1, pages + 1)
    )
    return f"<!doctype html><html><head><meta charset='utf-8'><title>floor</title></head><body>{body}</body></html>"
