from django import forms

from suppliers.text_rules import TextRulesMixin
from tokens.enums import TokenScope
from tokens.services import TOKEN_LIFETIMES_DAYS


class ApiTokenForm(TextRulesMixin, forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What will use the token, for example “ERP export” or “Nightly sync”.",
        error_messages={"required": "Name the token after what will use it, for example “ERP export”."},
    )
    scope = forms.ChoiceField(
        label="Scope",
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text="Read only lets a program read what you can read. Read and write also lets it change what you "
        "can change: edit and submit proposals, upload files.",
    )
    lifetime_days = forms.TypedChoiceField(
        label="Expires after",
        coerce=int,
        choices=[(days, f"{days} days") for days in TOKEN_LIFETIMES_DAYS],
        initial=90,
    )
