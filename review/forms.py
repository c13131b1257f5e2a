from django import forms

from rfp.enums import ProposalStatus
from rfp.models import Category, Rfp, Sector
from rfp.selectors import QUEUE_CHECK_FILTERS, ProposalQueueFilters
from suppliers.enums import UsState

CHECK_FILTER_LABELS = dict(
    zip(QUEUE_CHECK_FILTERS, ("Any check failed", "Warnings, no failure", "Every check passed"), strict=True)
)


class QueueFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200, help_text="Supplier, reference or text")
    rfp = forms.ModelChoiceField(label="Round", queryset=Rfp.objects.none(), required=False, empty_label="All rounds")
    sector = forms.ChoiceField(label="Sector", required=False)
    category = forms.ChoiceField(label="Category", required=False)
    state = forms.ChoiceField(label="State", required=False, choices=[("", "All states"), *UsState.choices])
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All statuses"), *[c for c in ProposalStatus.choices if c[0] != ProposalStatus.DRAFT]],
    )
    checks = forms.ChoiceField(
        label="Checks", required=False, choices=[("", "Any result"), *CHECK_FILTER_LABELS.items()]
    )
    score_min = forms.DecimalField(label="Score from", required=False, min_value=0, max_value=100, decimal_places=2)
    score_max = forms.DecimalField(label="Score to", required=False, min_value=0, max_value=100, decimal_places=2)
    overdue = forms.BooleanField(label="Overdue reviews only", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rfp"].queryset = Rfp.objects.order_by("-closes_at")
        sectors = list(Sector.objects.order_by("position", "name").values_list("code", "name"))
        self.fields["sector"].choices = [("", "All sectors"), *sectors]
        categories = Category.objects.select_related("sector").order_by("sector__position", "position", "name")
        self.fields["category"].choices = [("", "All categories")] + [
            (category.code, f"{category.sector.name}: {category.name}") for category in categories
        ]

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("score_min"), cleaned.get("score_max")
        if low is not None and high is not None and low > high:
            self.add_error("score_max", "The upper end of the score range must not be below its lower end.")
        return cleaned

    def filters(self) -> ProposalQueueFilters:
        """The filters of a valid form; an invalid one filters nothing (its errors are shown beside the fields)."""
        if not self.is_valid():
            return ProposalQueueFilters()
        data = self.cleaned_data
        return ProposalQueueFilters(
            rfp_id=data["rfp"].pk if data.get("rfp") else None,
            sector=data.get("sector") or "",
            category=data.get("category") or "",
            state=data.get("state") or "",
            status=data.get("status") or "",
            checks=data.get("checks") or "",
            score_min=data.get("score_min"),
            score_max=data.get("score_max"),
            overdue=bool(data.get("overdue")),
            search=(data.get("q") or "").strip(),
        )
