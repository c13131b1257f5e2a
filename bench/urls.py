"""The bench's URLconf (config.settings.bench): the floor views, then every URL of the service."""

from django.urls import include, path

from bench import floors

urlpatterns = [
    path("bench/floors/insert/", floors.floor_insert, name="bench_floor_insert"),
    path("bench/floors/list/", floors.FloorListApi.as_view(), name="bench_floor_list"),
    path("", include("config.urls")),
]
