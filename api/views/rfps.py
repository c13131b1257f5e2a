"""Rounds as suppliers see them: open rounds, a round's sectors, its addenda (and acknowledging them), and the
clarification questions (the published answers, and the caller's own questions still waiting for one)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from api.access import supplier_access
from api.validation import required_messages, text_limits_from, validated_form
from operations.rest import ApiView
from rfp import services
from rfp.forms import ClarificationForm
from rfp.selectors import (
    addendum_list_published,
    addendum_published_for_rfp,
    clarification_list_awaiting_for_supplier,
    clarification_list_published,
    rfp_for_supplier,
    rfp_list_open,
)

TAGS = ("rounds",)


class OpenRfpListApi(ApiView):
    """RFPs that accept proposals now, with their deadline in UTC and in the RFP's display time zone."""

    permission_classes = [AllowAny]
    tags = TAGS
    output_many = True

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


class CategoryOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SectorOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    categories = CategoryOutput(many=True, source="categories.all")


class RfpDetailApi(ApiView):
    """A round that has opened (closed rounds stay readable), with its sectors and their categories."""

    tags = TAGS

    class OutputSerializer(serializers.Serializer):
        reference = serializers.CharField()
        title = serializers.CharField()
        description = serializers.CharField()
        opens_at = serializers.DateTimeField()
        closes_at = serializers.DateTimeField()
        display_time_zone = serializers.CharField()
        accepts_submissions = serializers.SerializerMethodField()
        sectors = SectorOutput(many=True, source="sectors.all")

        def get_accepts_submissions(self, rfp) -> bool:
            return rfp.accepts_submissions_at(self.context["now"])

    def get(self, request, reference: str):
        supplier_access(request)
        now = timezone.now()
        rfp = rfp_for_supplier(reference=reference, now=now)
        return Response(self.OutputSerializer(rfp, context={"now": now}).data)


class AddendumOutput(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    published_at = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(
        allow_null=True, help_text="When your company acknowledged it; null until then."
    )


class AddendumListApi(ApiView):
    """The round's published addenda; each must be acknowledged before a proposal can be submitted."""

    tags = TAGS
    output_many = True
    OutputSerializer = AddendumOutput

    def get(self, request, reference: str):
        access = supplier_access(request)
        now = timezone.now()
        rfp = rfp_for_supplier(reference=reference, now=now)
        addenda = addendum_list_published(rfp=rfp, supplier=access.supplier, now=now)
        return Response(self.OutputSerializer(addenda, many=True).data)


class AddendumAcknowledgeApi(ApiView):
    """Acknowledge an addendum for your company; acknowledging again changes nothing."""

    tags = TAGS

    class OutputSerializer(serializers.Serializer):
        number = serializers.IntegerField(source="addendum.number")
        acknowledged_at = serializers.DateTimeField()
        acknowledged_by = serializers.EmailField(source="acknowledged_by.email")

    @extend_schema(request=None, responses={200: OutputSerializer})
    def post(self, request, reference: str, number: int):
        access = supplier_access(request, editor=True)
        now = timezone.now()
        rfp = rfp_for_supplier(reference=reference, now=now)
        addendum = addendum_published_for_rfp(rfp=rfp, number=number, now=now)
        acknowledgement = services.addendum_acknowledge(addendum=addendum, supplier=access.supplier, actor=request.user)
        return Response(self.OutputSerializer(acknowledgement).data)


class ClarificationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    question = serializers.CharField()
    answer = serializers.SerializerMethodField()
    asked_at = serializers.DateTimeField()
    answered_at = serializers.SerializerMethodField()
    published = serializers.SerializerMethodField(
        help_text="True: answered for everyone, without the asker's name. False: your own question, still waiting."
    )

    def _published(self, clarification) -> bool:
        return clarification.is_published and bool(clarification.answer)

    def get_answer(self, clarification) -> str | None:
        return clarification.answer if self._published(clarification) else None

    def get_answered_at(self, clarification) -> str | None:
        if not self._published(clarification) or clarification.answered_at is None:
            return None
        return serializers.DateTimeField().to_representation(clarification.answered_at)

    def get_published(self, clarification) -> bool:
        return self._published(clarification)


class ClarificationListApi(ApiView):
    """Published answers, then your company's questions that wait for one."""

    tags = TAGS
    output_many = True
    OutputSerializer = ClarificationOutput

    def get(self, request, reference: str):
        access = supplier_access(request)
        rfp = rfp_for_supplier(reference=reference, now=timezone.now())
        rows = [
            *clarification_list_published(rfp=rfp),
            *clarification_list_awaiting_for_supplier(rfp=rfp, supplier=access.supplier),
        ]
        return Response(self.OutputSerializer(rows, many=True).data)


class ClarificationAskApi(ApiView):
    """Ask the buyer a question on the round while it is open. Only your company sees it until the program lead
    publishes an answer for everyone, without your company's name."""

    tags = TAGS
    creates = True
    OutputSerializer = ClarificationOutput

    @text_limits_from(ClarificationForm)
    class InputSerializer(serializers.Serializer):
        question = serializers.CharField(error_messages=required_messages(ClarificationForm, "question"))

    def post(self, request, reference: str):
        access = supplier_access(request, editor=True)
        rfp = rfp_for_supplier(reference=reference, now=timezone.now())
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = validated_form(ClarificationForm, changes=serializer.validated_data)
        clarification = services.clarification_ask(
            rfp=rfp, supplier=access.supplier, actor=request.user, question=form.cleaned_data["question"]
        )
        return Response(self.OutputSerializer(clarification).data, status=status.HTTP_201_CREATED)
