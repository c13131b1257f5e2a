"""Forms for the company, its team, facilities and certificates: input normalised, then checked by the shared
validators, so each field shows the same message the API gives. The services check everything again on save."""

from django import forms
from django.core.exceptions import ValidationError

from suppliers.enums import CertificationKind, FacilityStatus, MemberRole, UsState
from suppliers.models import WORKFORCE_TRADES, Certification, Facility
from suppliers.naics import naics_parse, naics_preview
from suppliers.ranges import ModelRangesMixin
from suppliers.selectors import facility_list_for_supplier
from suppliers.services import FACILITY_FIELDS, certificate_document_check
from suppliers.text_rules import TextRulesMixin
from suppliers.validators import (
    normalize_ein,
    normalize_identifier,
    validate_cage_us,
    validate_certification_name,
    validate_ein,
    validate_naics_2022_codes,
    validate_uei,
    validate_zip,
    validate_zip_in_state,
)

STATE_CHOICES = [("", "Choose a state or territory"), *UsState.choices]
STATE_REFUSAL = (
    "%(value)s is not a US state or territory here: choose one of the 50 states, DC, American Samoa, Guam, "
    "the Northern Mariana Islands, Puerto Rico or the U.S. Virgin Islands (military AA, AE and AP codes are not sites)."
)


def _text(
    label: str, *, required: bool = True, max_length: int = 200, help_text: str = "", missing: str = "", **attrs
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        error_messages={"required": missing or f"Enter the {label.lower()}."},
        widget=forms.TextInput(attrs=attrs),
    )


class SupplierForm(TextRulesMixin, forms.Form):
    """The company's identity: the same form registers it and edits its profile."""

    legal_name = _text(
        "Legal name",
        help_text="As registered with the IRS and in SAM.gov.",
        missing="Enter the company's legal name, as registered with the IRS.",
        autocomplete="organization",
    )
    dba = _text("Doing business as (DBA)", required=False, help_text="Leave empty if you trade under the legal name.")
    ein = _text(
        "EIN",
        max_length=12,
        help_text="Employer Identification Number: two digits, a hyphen and seven digits, for example 12-3456789.",
        missing="Enter the company's EIN: two digits, a hyphen and seven digits, for example 12-3456789.",
        inputmode="numeric",
        autocomplete="off",
        placeholder="12-3456789",
    )
    uei = _text(
        "SAM.gov UEI",
        max_length=16,
        help_text="Unique Entity ID from SAM.gov: 12 capital letters and digits, never I or O, for example "
        "JF3KQ7L2M8N4.",
        missing="Enter the company's 12-character SAM.gov UEI, for example JF3KQ7L2M8N4.",
        autocomplete="off",
        autocapitalize="characters",
        spellcheck="false",
    )
    cage = _text(
        "CAGE code",
        required=False,
        max_length=8,
        help_text="Five characters, a digit first and last, for example 1A2B3. Leave empty if you have none yet.",
        autocomplete="off",
        autocapitalize="characters",
        spellcheck="false",
    )
    naics_codes = _text(
        "NAICS 2022 codes",
        max_length=400,
        help_text="One or more six-digit codes separated by commas or spaces, for example 334111, 335311.",
        missing="Enter at least one six-digit NAICS 2022 code, for example 334111.",
        autocomplete="off",
        inputmode="numeric",
    )
    hq_address_line1 = _text(
        "Headquarters address", missing="Enter the headquarters' street address.", autocomplete="address-line1"
    )
    hq_address_line2 = _text("Address line 2", required=False, autocomplete="address-line2")
    hq_city = _text("City", max_length=100, missing="Enter the headquarters' city.", autocomplete="address-level2")
    hq_state = forms.ChoiceField(
        label="State or territory",
        choices=STATE_CHOICES,
        error_messages={
            "required": "Choose the state or territory of the headquarters.",
            "invalid_choice": STATE_REFUSAL,
        },
        widget=forms.Select(attrs={"autocomplete": "address-level1"}),
    )
    hq_zip = _text(
        "ZIP code",
        max_length=10,
        help_text="Five digits, or ZIP+4 such as 78701-1234.",
        missing="Enter the headquarters' ZIP code: five digits, or ZIP+4 such as 78701-1234.",
        inputmode="numeric",
        autocomplete="postal-code",
    )
    website = forms.URLField(
        label="Website",
        required=False,
        assume_scheme="https",
        help_text="For example https://www.example.com.",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    employee_count = forms.IntegerField(
        label="Employees in the US", required=False, min_value=0, max_value=10_000_000, help_text="Head count today."
    )

    groups_spec = (
        ("The company", ("legal_name", "dba", "website", "employee_count")),
        ("Federal identifiers", ("ein", "uei", "cage", "naics_codes")),
        ("Headquarters", ("hq_address_line1", "hq_address_line2", "hq_city", "hq_state", "hq_zip")),
    )

    def __init__(self, *args, supplier=None, **kwargs):
        if supplier is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(supplier, name) for name in self.base_fields}
            kwargs["initial"]["naics_codes"] = ", ".join(supplier.naics_codes)
        super().__init__(*args, **kwargs)

    def clean_ein(self) -> str:
        value = normalize_ein(self.cleaned_data["ein"])
        validate_ein(value)
        return value

    def clean_uei(self) -> str:
        value = normalize_identifier(self.cleaned_data["uei"])
        validate_uei(value)
        return value

    def clean_cage(self) -> str:
        value = normalize_identifier(self.cleaned_data["cage"])
        if value:
            validate_cage_us(value)
        return value

    def clean_naics_codes(self) -> list[str]:
        codes = naics_parse(self.cleaned_data["naics_codes"])
        validate_naics_2022_codes(codes)
        return codes

    def clean_hq_zip(self) -> str:
        value = self.cleaned_data["hq_zip"].strip()
        validate_zip(value)
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("hq_zip") and cleaned.get("hq_state"):
            try:
                validate_zip_in_state(cleaned["hq_zip"], cleaned["hq_state"])
            except ValidationError as error:
                self.add_error("hq_zip", error)
        return cleaned

    def groups(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.groups_spec]

    @property
    def naics_titles(self) -> list[tuple[str, str | None, str | None]]:
        """The codes as typed so far, each with its NAICS 2022 title, shown next to the field; once the field has
        errors they name each wrong code, so only the codes with a title are listed."""
        value = self["naics_codes"].value()
        if isinstance(value, list):
            value = " ".join(value)
        preview = naics_preview(naics_parse(value or ""))
        if self.is_bound and self.errors.get("naics_codes"):
            return [row for row in preview if row[1] is not None]
        return preview


class InvitationForm(TextRulesMixin, forms.Form):
    email = forms.EmailField(
        label="Colleague's email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text="They sign in, or create an account, with this address to accept.",
    )
    role = forms.ChoiceField(
        label="Role",
        choices=MemberRole.choices,
        initial=MemberRole.EDITOR,
        help_text="Owners manage the team; editors change data and proposals; viewers only read.",
    )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=MemberRole.choices,
        error_messages={
            "required": "Choose a role: owner, editor or viewer.",
            "invalid_choice": "Choose a role: owner, editor or viewer.",
        },
    )


class FacilityForm(TextRulesMixin, ModelRangesMixin, forms.ModelForm):
    class Meta:
        model = Facility
        fields = FACILITY_FIELDS
        labels = {
            "name": "Site name",
            "address_line1": "Address",
            "address_line2": "Address line 2",
            "state": "State or territory",
            "floor_area_sqft": "Floor area (sq ft)",
            "site_power_mw": "Site power (MW)",
        }
        help_texts = {
            "zip_code": "Five digits, or ZIP+4 such as 78744-1234; it must lie in the state chosen above.",
            "site_power_mw": "Electrical capacity available to the site, in megawatts, for example 12.5.",
            "status": "Operating today, being expanded, or planned.",
        }
        error_messages = {
            "name": {"required": "Give the site a name, for example “Austin assembly plant”."},
            "address_line1": {"required": "Enter the site's street address."},
            "city": {"required": "Enter the site's city."},
            "state": {"required": "Choose the state or territory the site is in.", "invalid_choice": STATE_REFUSAL},
            "zip_code": {"required": "Enter the site's ZIP code: five digits, or ZIP+4 such as 78744-1234."},
            "site_power_mw": {"required": "Enter the site's power in megawatts, 0 if none is contracted yet."},
            **{
                trade: {"required": f"Enter the number of {trade} at the site, 0 if none."}
                for trade in WORKFORCE_TRADES
            },
        }
        widgets = {
            "address_line1": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "address_line2": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "zip_code": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
        }

    groups_spec = (
        ("The site", ("name", "address_line1", "address_line2", "city", "state", "zip_code")),
        ("Operations", ("status", "floor_area_sqft", "site_power_mw", "grid_operator")),
        ("Workforce by trade (head count)", WORKFORCE_TRADES),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = STATE_CHOICES
        self.fields["status"].choices = FacilityStatus.choices
        self.describe_ranges()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("zip_code") and cleaned.get("state"):
            try:
                validate_zip_in_state(cleaned["zip_code"].strip(), cleaned["state"])
            except ValidationError as error:
                self.add_error("zip_code", error)
        return cleaned

    def groups(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.groups_spec]


class CertificationForm(TextRulesMixin, forms.ModelForm):
    class Meta:
        model = Certification
        fields = ("kind", "name", "number", "issued_by", "facility", "expires_on", "document")
        labels = {
            "name": "What it certifies",
            "issued_by": "Issued by",
            "facility": "Facility",
            "expires_on": "Expiry date",
            "document": "Certificate document",
        }
        help_texts = {
            "name": "Required for UL listings and other certificates, for example “UL 508A industrial control panels”.",
            "issued_by": "The registrar or certification body, for example BSI or UL Solutions.",
            "facility": "The site the certificate covers, if it covers one site.",
            "expires_on": "Leave empty if the certificate does not expire.",
            "document": "PDF, PNG or JPEG, up to 25 MB; checked by its content.",
        }
        error_messages = {
            "kind": {"required": "Choose the kind of certificate, for example ISO 9001."},
            "expires_on": {"invalid": "Enter the expiry date as YYYY-MM-DD, for example 2027-03-31."},
            "document": {"required": "Upload the certificate as a PDF, PNG or JPEG file."},
        }
        widgets = {
            "expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "document": forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
        }

    def __init__(self, *args, supplier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = CertificationKind.choices
        self.fields["facility"].queryset = facility_list_for_supplier(supplier=supplier)
        self.fields["facility"].empty_label = "Not tied to one facility"
        # A new certificate needs its document; an edit keeps the stored one unless another is uploaded.
        self.fields["document"].required = not (self.instance.pk and self.instance.document)
        self.fields["document"].widget = forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"})

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and hasattr(document, "content_type"):
            certificate_document_check(document)
        return document

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind"):
            try:
                validate_certification_name(cleaned["kind"], cleaned.get("name", ""))
            except ValidationError as error:
                self.add_error("name", error)
        return cleaned
