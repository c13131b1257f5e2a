"""The proposal's forms, shared by the portal and the API: they validate what the supplier typed; saving goes through
rfp.services (proposal_update, attachment_add, ...).

Ranges come from the model fields' validators, so the form, the help text and the browser's min/max agree with
what the model enforces; each range error names the allowed range and the unit.
"""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat

from rfp.enums import AttachmentKind
from rfp.models import CommercialTerms, DatacenterDetails, ElectronicsDetails, Proposal, RoboticsDetails
from rfp.selectors import PROPOSAL_CAPACITY_FIELDS
from suppliers.models import WORKFORCE_TRADES
from suppliers.ranges import ModelRangesMixin
from suppliers.text_rules import NARRATIVE_MAX_CHARS, TextRulesMixin
from suppliers.uploads import ALLOWED_DESCRIPTION, ALLOWED_TYPES
from suppliers.validators import validate_country_code

_COUNTRY_SPLIT = re.compile(r"[\s,;]+")


def parse_country_codes(text: str) -> list[str]:
    """ "us, mx; jp" -> ["US", "MX", "JP"]: codes in the order given, without repeats; each one checked."""
    codes: list[str] = []
    errors: list[ValidationError] = []
    for raw in _COUNTRY_SPLIT.split(text or ""):
        if not raw:
            continue
        code = raw.upper()
        try:
            validate_country_code(code)
        except ValidationError as error:
            errors.append(error)
            continue
        if code not in codes:
            codes.append(code)
    if errors:
        raise ValidationError(errors)
    return codes


class StepForm(TextRulesMixin, ModelRangesMixin, forms.ModelForm):
    """A step of the proposal: read-only for viewers and once the proposal can no longer change."""

    many_to_many: tuple[str, ...] = ()
    legend = ""  # a form sharing its page with another gets its own fieldset
    intro = ""

    def __init__(self, *args, read_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe_ranges()
        if read_only:
            for form_field in self.fields.values():
                form_field.disabled = True

    @property
    def sections(self) -> list[tuple[str, list]]:
        """(legend, bound fields) groups as the page shows them; one unnamed group by default."""
        return [("", list(self))]

    def changes(self) -> dict:
        """The model fields the step saves (many-to-many lists are passed to the service on their own)."""
        return {name: value for name, value in self.cleaned_data.items() if name not in self.many_to_many}


class OverviewForm(StepForm):
    many_to_many = ("categories",)
    text_limits = {"technical_narrative": NARRATIVE_MAX_CHARS}

    class Meta:
        model = Proposal
        fields = ["title", "categories", "technical_narrative"]
        widgets = {
            "categories": forms.CheckboxSelectMultiple,
            "technical_narrative": forms.Textarea(attrs={"rows": 10}),
        }
        help_texts = {
            "title": "A short name reviewers will see, for example “Liquid-cooled racks from Austin, TX”.",
            "technical_narrative": "What you will make, where and how: process, equipment, quality system, "
            "what is already running and what you will build.",
        }

    def __init__(self, *args, sector, **kwargs):
        super().__init__(*args, **kwargs)
        categories = self.fields["categories"]
        categories.queryset = sector.categories.order_by("position", "name")
        categories.label_from_instance = lambda category: category.name
        categories.required = False
        categories.label = f"Categories ({sector.name})"
        categories.help_text = f"Tick every {sector.name} category this proposal covers."
        names = ", ".join(category.name for category in categories.queryset)
        categories.error_messages["invalid_choice"] = f"Choose only categories of the {sector.name} sector: {names}."


class DetailsForm(StepForm):
    """The sector's own questions; one subclass per typed detail model."""


class DatacenterDetailsForm(DetailsForm):
    class Meta:
        model = DatacenterDetails
        fields = ["rack_power_density_kw", "cooling_type", "cooling_capacity_kw", "power_per_unit_kw", "annual_units"]


class ElectronicsDetailsForm(DetailsForm):
    class Meta:
        model = ElectronicsDetails
        fields = ["smt_lines", "placements_per_hour", "final_assembly_units_per_month", "ipc_class"]
        labels = {"final_assembly_units_per_month": "Final assembly (units per month)"}


class RoboticsDetailsForm(DetailsForm):
    class Meta:
        model = RoboticsDetails
        fields = [
            "component_type",
            "rated_torque_nm",
            "peak_torque_nm",
            "gear_ratio",
            "power_device_technology",
            "magnet_country_of_origin",
        ]
        labels = {"magnet_country_of_origin": "Country of origin of the magnets"}
        help_texts = {
            "magnet_country_of_origin": "Two-letter ISO 3166 code, for example US, JP or DE. "
            "Leave empty if the component has no permanent magnets."
        }
        widgets = {"magnet_country_of_origin": forms.TextInput(attrs={"size": 2, "autocomplete": "off"})}

    def clean_magnet_country_of_origin(self) -> str:
        code = (self.cleaned_data.get("magnet_country_of_origin") or "").strip().upper()
        if code:
            validate_country_code(code)
        return code


DETAIL_FORMS: dict[type[models.Model], type[DetailsForm]] = {
    DatacenterDetails: DatacenterDetailsForm,
    ElectronicsDetails: ElectronicsDetailsForm,
    RoboticsDetails: RoboticsDetailsForm,
}


class CountryCodesField(forms.CharField):
    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value) -> list[str]:
        if isinstance(value, list | tuple):  # a disabled field cleans its initial value, already a list
            return list(value)
        return parse_country_codes(super().to_python(value))


class LinesField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value) -> list[str]:
        if isinstance(value, list | tuple):
            return list(value)
        lines = [line.strip() for line in (super().to_python(value) or "").splitlines()]
        return list(dict.fromkeys(line for line in lines if line))


class CapacityForm(StepForm):
    many_to_many = ("facilities",)

    countries_of_origin = CountryCodesField(
        required=False,
        label="Countries of origin of critical inputs",
        help_text="Two-letter ISO 3166 codes separated by commas, for example MX, JP, DE. "
        "Leave empty when every critical input is made in the US.",
    )
    sub_suppliers = LinesField(
        required=False, label="Sub-suppliers", help_text="Names of the companies supplying you, one per line."
    )

    class Meta:
        model = Proposal
        fields = ["facilities", *PROPOSAL_CAPACITY_FIELDS]
        widgets = {"facilities": forms.CheckboxSelectMultiple, "capacity_ramp": forms.Textarea(attrs={"rows": 4})}
        labels = {"lead_time_weeks": "Lead time (weeks)"}
        help_texts = {
            "lead_time_weeks": "From a purchase order to the first delivery.",
            "capacity_ramp": "Units per quarter as capacity grows, for example “Q1 2027: 500; Q2 2027: 1,500”.",
        }

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["facilities"]
        field.queryset = facilities
        field.required = False
        field.label = "US facilities that will make it"
        field.help_text = "Only your company's own facilities are listed."
        field.error_messages["invalid_choice"] = "Choose only your company's own facilities from the list."
        for trade in WORKFORCE_TRADES:
            self.fields[trade].label = trade.capitalize()
            self.fields[trade].help_text = f"{trade.capitalize()} you will hire for this proposal."

    @property
    def sections(self) -> list[tuple[str, list]]:
        return [
            ("", [self[name] for name in self.fields if name not in WORKFORCE_TRADES]),
            ("Workforce you will add, by trade", [self[trade] for trade in WORKFORCE_TRADES]),
        ]


class AsksForm(StepForm):
    legend = "What you ask of the buyer"
    intro = "Offtake, co-investment or prepayment that would make this US capacity possible."

    class Meta:
        model = Proposal
        fields = ["asks_offtake_units", "asks_co_investment_usd", "asks_prepayment_pct", "asks_notes"]
        widgets = {"asks_notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "asks_offtake_units": "Units you ask the buyer to commit to purchase.",
            "asks_notes": "Anything else you need from the buyer: tooling, equipment, land, power, guarantees.",
        }


class CommercialTermsForm(StepForm):
    legend = "Commercial terms"
    intro = (
        "Commercial terms are kept apart from the technical review: the reviewers who score your proposal do not "
        "see them; only the buyer's program lead does, when deciding."
    )

    class Meta:
        model = CommercialTerms
        fields = ["unit_price_usd", "total_price_usd", "price_validity_days", "payment_terms", "incoterms", "notes"]
        labels = {"price_validity_days": "Price validity (days)", "incoterms": "Incoterms® rule"}
        help_texts = {
            "payment_terms": "For example “Net 30” or “30% with order, 70% on delivery”.",
            "incoterms": "For example FCA, EXW or DDP, with the named place.",
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class ProposalStartForm(TextRulesMixin, forms.Form):
    """Choose an open round and one of its sectors; `choices` lists only combinations without a proposal yet."""

    choice = forms.ChoiceField(label="Round and sector", widget=forms.RadioSelect)
    title = forms.CharField(
        max_length=200,
        label="Title of your proposal",
        help_text="A short name reviewers will see; you can change it later.",
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = choices
        self.fields["choice"].error_messages["invalid_choice"] = (
            "Choose one of the open rounds' sectors listed; a sector you already propose for is not listed."
        )


class ClarificationForm(TextRulesMixin, forms.Form):
    question = forms.CharField(
        label="Your question",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only your company sees it until the program lead publishes an answer for everyone, "
        "without your company's name.",
    )


class InformationResponseForm(TextRulesMixin, forms.Form):
    text_limits = {"response": NARRATIVE_MAX_CHARS}

    response = forms.CharField(
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Sending it makes a new version of your proposal, with a new receipt.",
    )


class WithdrawForm(TextRulesMixin, forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# What the browser's file picker offers; the server still checks every file by its content.
ACCEPT = ",".join(extension for _mime, extensions in ALLOWED_TYPES.values() for extension in extensions)


class AttachmentUploadForm(forms.Form):
    """One file and what it is; the checks of the file itself live in rfp.services.attachment_add."""

    # Empty files pass here so the service can refuse them with the file's name.
    file = forms.FileField(
        label="File", allow_empty_file=True, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    kind = forms.ChoiceField(label="What the file is", choices=AttachmentKind.choices, initial=AttachmentKind.TECHNICAL)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "attachment-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages["required"] = "Choose a file to upload (PDF, XLSX, DOCX, PNG or JPEG)."
        self.fields["file"].help_text = (
            f"{ALLOWED_DESCRIPTION}, at most {filesizeformat(settings.UPLOAD_MAX_BYTES)} each. A proposal holds up to "
            f"{settings.PROPOSAL_ATTACHMENT_MAX_FILES} files and "
            f"{filesizeformat(settings.PROPOSAL_ATTACHMENT_QUOTA_BYTES)} in all."
        )
