"""The REST face (v1). It holds no rules: it calls the apps' selectors and services."""

from django.utils import timezone
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from rfp.selectors import rfp_list_open


class ApiRootView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"open_rfps": reverse("api:open-rfps", request=request)})


class OpenRfpListView(APIView):
    """RFPs that accept proposals now, with their deadline in UTC and in the RFP's display time zone."""

    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer):
        reference = serializers.CharField()
        title = serializers.CharField()
        opens_at = serializers.DateTimeField()
        closes_at = serializers.DateTimeField()
        closes_at_local = serializers.SerializerMethodField()
        display_time_zone = serializers.CharField()
        sectors = serializers.SerializerMethodField()

        def get_closes_at_local(self, rfp) -> str:
            return timezone.localtime(rfp.closes_at, rfp.tz).isoformat()

        def get_sectors(self, rfp) -> list[str]:
            return [sector.code for sector in rfp.sectors.all()]

    def get(self, request):
        rfps = rfp_list_open(now=timezone.now())
        return Response(self.OutputSerializer(rfps, many=True).data)
