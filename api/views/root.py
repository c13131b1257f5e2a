"""The API's front door: where the schema, the documentation and the main collections are."""

from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse

from operations.rest import ApiView


class ApiRootApi(ApiView):
    """Where the API's parts and its documentation are."""

    permission_classes = [AllowAny]
    tags = ("meta",)

    class OutputSerializer(serializers.Serializer):
        schema = serializers.URLField()
        docs = serializers.URLField()
        open_rfps = serializers.URLField()
        company = serializers.URLField()
        proposals = serializers.URLField()
        review_queue = serializers.URLField()
        review_assignments = serializers.URLField()

    def get(self, request):
        links = {
            "schema": "api:schema",
            "docs": "api:docs",
            "open_rfps": "api:open-rfps",
            "company": "api:company",
            "proposals": "api:proposals",
            "review_queue": "api:review-queue",
            "review_assignments": "api:review-assignments",
        }
        return Response(
            self.OutputSerializer({key: reverse(name, request=request) for key, name in links.items()}).data
        )
