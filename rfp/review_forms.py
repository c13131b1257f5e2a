"""The review forms shared by the review workspace and the API: the conflict declaration, the scored review and the
program lead's decisions; rfp.services acts on what they clean."""

from django import forms

from rfp import formatting
from rfp.enums import DecisionOutcome, Recommendation
from suppliers.text_rules import NARRATIVE_MAX_CHARS, TextRulesMixin


class ConflictForm(TextRulesMixin, forms.Form):
    declaration = forms.ChoiceField(
        label="Conflict of interest",
        widget=forms.RadioSelect,
        choices=[
            ("no_conflict", "I have no conflict of interest with this supplier"),
            ("conflict", "I have a conflict of interest: give this proposal to another reviewer"),
        ],
        error_messages={"required": "Choose whether you have a conflict of interest."},
    )
    note = forms.CharField(
        label="What the conflict is (kept on record, not shown to the supplier)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("declaration") == "conflict" and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Say briefly what the conflict is; the program lead reads it.")
        return cleaned


class ReviewForm(TextRulesMixin, forms.Form):
    """One score field per criterion of the proposal's rubric (`score_<code>`), comments and a recommendation."""

    text_limits = {"comments": NARRATIVE_MAX_CHARS}

    comments = forms.CharField(label="Comments", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    recommendation = forms.ChoiceField(
        label="Recommendation", required=False, choices=[("", "Not chosen yet"), *Recommendation.choices]
    )

    def __init__(self, *args, criteria, review=None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        if review is not None:
            initial.setdefault("comments", review.comments)
            initial.setdefault("recommendation", review.recommendation)
            for score in review.scores.all():
                initial.setdefault(f"score_{score.criterion.code}", score.value)
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = list(criteria)
        score_fields = {}
        for criterion in self.criteria:
            score_fields[f"score_{criterion.code}"] = forms.IntegerField(
                label=f"{criterion.name} (weight {formatting.number(criterion.weight)}, 0 to {criterion.max_score})",
                help_text=criterion.guidance,
                required=False,
                min_value=0,
                max_value=criterion.max_score,
            )
        self.fields = {**score_fields, **self.fields}

    def score_fields(self):
        return [self[f"score_{criterion.code}"] for criterion in self.criteria]

    def scores(self) -> dict[str, int]:
        """The scores given, by criterion code; blanks are left out (a draft may hold some criteria only)."""
        return {
            criterion.code: self.cleaned_data[f"score_{criterion.code}"]
            for criterion in self.criteria
            if self.cleaned_data.get(f"score_{criterion.code}") is not None
        }


DECISION_CHOICES = [
    ("request_info", "Request information from the supplier"),
    (DecisionOutcome.SHORTLISTED, "Shortlist"),
    (DecisionOutcome.DECLINED, "Decline"),
]


MESSAGE_HELP = "Emailed to the supplier word for word and shown to them in the portal."
INTERNAL_NOTE_HELP = "Kept with the decision for the buyer: never emailed, never shown to the supplier."


def _internal_note() -> forms.CharField:
    return forms.CharField(
        label="Internal note (optional)",
        required=False,
        help_text=INTERNAL_NOTE_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


def _open_reviews_confirmed() -> forms.BooleanField:
    return forms.BooleanField(label="Decide anyway, while reviews are still open", required=False)


class DecisionForm(TextRulesMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=DECISION_CHOICES,
        error_messages={"required": "Choose a decision."},
    )
    rationale = forms.CharField(
        label="Message to the supplier (for a request: the question they answer)",
        help_text=MESSAGE_HELP,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Give the reason, or the question for a request for information."},
    )
    internal_note = _internal_note()
    open_reviews_confirmed = _open_reviews_confirmed()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == "request_info" and (cleaned.get("internal_note") or "").strip():
            self.add_error(
                "internal_note",
                "A request for information sends only its question; keep the internal note for the decision.",
            )
        return cleaned


class BulkDecisionForm(TextRulesMixin, forms.Form):
    references = forms.MultipleChoiceField(
        label="Proposals", error_messages={"required": "Tick the proposals to decide first."}
    )
    outcome = forms.ChoiceField(
        label="Decision for every ticked proposal",
        choices=[(DecisionOutcome.SHORTLISTED, "Shortlist"), (DecisionOutcome.DECLINED, "Decline")],
    )
    rationale = forms.CharField(
        label="Message to each supplier",
        help_text=MESSAGE_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    internal_note = _internal_note()
    open_reviews_confirmed = _open_reviews_confirmed()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        posted = self.data.getlist("references") if hasattr(self.data, "getlist") else []
        # The choices are what was posted; the selector decides which of them the lead may decide.
        self.fields["references"].choices = [(reference, reference) for reference in posted[:500]]
