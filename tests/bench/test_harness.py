"""The benchmark's pieces that run inside Django: the floor views, the query counter, the floor render, form reading."""

import io

import pytest
from django.conf import settings
from django.test import override_settings
from pypdf import PdfReader

from bench import run
from bench.floors import LIST_SIZE, minimal_document
from bench.forms import csrf_token, form_fields
from bench.models import FloorRow

BENCH_URLS = {
    "ROOT_URLCONF": "bench.urls",
    "MIDDLEWARE": ["bench.middleware.QueryCountMiddleware", *settings.MIDDLEWARE],
}
pytestmark = pytest.mark.django_db


@override_settings(BENCH_FLOORS=True, **BENCH_URLS)
def test_floor_views_insert_one_row_and_list_fifty(client):
    for number in range(LIST_SIZE + 5):
        response = client.post("/bench/floors/insert/", {"label": f"row {number}"})
        assert response.status_code == 201
    assert FloorRow.objects.count() == LIST_SIZE + 5
    assert int(response["X-Bench-Queries"]) >= 1

    listed = client.get("/bench/floors/list/")
    assert listed.status_code == 200
    assert [row["label"] for row in listed.json()] == [f"row {number}" for number in range(LIST_SIZE)]
    assert int(listed["X-Bench-Queries"]) >= 1


@override_settings(BENCH_FLOORS=False, **BENCH_URLS)
def test_floor_views_are_off_without_the_setting(client):
    assert client.post("/bench/floors/insert/", {"label": "x"}).status_code == 404
    assert client.get("/bench/floors/list/").status_code == 404
    assert FloorRow.objects.count() == 0
    assert "X-Bench-Queries" not in client.get("/healthz")


def test_minimal_document_has_the_pages_asked_for():
    from documents.pdf import pdf_render

    content = pdf_render(html=minimal_document(pages=3))
    assert len(PdfReader(io.BytesIO(content)).pages) == 3


def test_form_fields_reads_a_form_as_a_browser_posts_it():
    page = """<form class="other"><input name="no" value="1"></form>
    <form method="post" class="step-form"><input type="hidden" name="csrfmiddlewaretoken" value="tok">
      <input name="title" value="Racks &amp; busway"><textarea name="technical_narrative">
Built in Austin.</textarea>
      <input type="checkbox" name="categories" value="1" checked><input type="checkbox" name="categories" value="2">
      <select name="state"><option value="TX" selected>Texas</option><option value="OH">Ohio</option></select>
      <button type="submit" name="go" value="next">Next</button></form>"""
    assert form_fields(page, css_class="step-form") == [
        ("csrfmiddlewaretoken", "tok"),
        ("title", "Racks & busway"),
        ("technical_narrative", "Built in Austin."),
        ("categories", "1"),
        ("state", "TX"),
    ]
    assert csrf_token(page) == "tok"


def test_small_run_parameters_and_percentiles():
    assert run.percentile([0.1, 0.2, 0.3, 0.4], 0.5) in (0.2, 0.3)
    assert run.percentile([5.0], 0.99) == 5.0
    figure = run.Figure("queue page p95", 30.0, "ms", floor=10.0, ratio=3.0)
    run.goal(figure, at_most=3.0, text="<= 3x")
    assert figure.passed
    assert figure.line() == "queue page p95: 30 ms (3.00x floor 10 ms)  goal <= 3x: PASS"
