"""The panel's forms of a review's due date and of the answer to a supplier's question.

The due date is typed and shown in the proposal's round's time zone, as the round's own times are
(rfp.round_forms); an answer's `answered_at` is never typed: rfp.services.clarification_answer sets it on publishing.
"""

from __future__ import annotations

from django import forms

from rfp import services
from rfp.models import Clarification, ReviewAssignment
from rfp.round_forms import LocalDateTimeField, ZonedTimesMixin, occurrence_field
from suppliers.text_rules import NARRATIVE_MAX_CHARS, TextRulesMixin


class DueDateForm(ZonedTimesMixin, forms.ModelForm):
    """A review assignment's due date, in the round's time zone."""

    due_at = LocalDateTimeField(label="Due at")
    due_at_occurrence = occurrence_field()

    class Meta:
        model = ReviewAssignment
        fields = ["due_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.show_in_zone(
            "due_at", label="Due at", zone_name=self._zone_name(), hint="Local time in the round's time zone"
        )

    def _zone_name(self) -> str | None:
        return self.instance.proposal.rfp.display_time_zone if self.instance.proposal_id else None

    def clean(self):
        cleaned = super().clean()
        zone_name = self._zone_name()
        if zone_name:
            self.place_in_zone("due_at", zone_name)
        return cleaned


class ClarificationAnswerForm(TextRulesMixin, forms.ModelForm):
    """The lead's answer and whether suppliers see it; when it was published is the service's to set."""

    text_limits = {"answer": NARRATIVE_MAX_CHARS}

    class Meta:
        model = Clarification
        fields = ["answer", "is_published"]
        labels = {"is_published": "Published to every supplier"}

    def clean(self):
        cleaned = super().clean()
        if "answer" not in cleaned:
            return cleaned  # the answer's own error says what is wrong
        refusal = services.clarification_answer_refusal(
            answer=cleaned.get("answer", ""), publish=bool(cleaned.get("is_published"))
        )
        if refusal:
            self.add_error("answer", refusal)
        return cleaned
