"""What a person may type into a text field of any form: how much, and whether it must stay on one line.

Every face validates with these forms (the portal and the review workspace directly, the API through
`api.validation.validated_form`), so one limit holds everywhere; the API's serializers read the limits back from the
forms, so the OpenAPI schema shows the same maxLength. The limits are generous for a person (a narrative of about
ten pages) and small enough that a summary PDF of a proposal stays a document, not a book.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

NARRATIVE_MAX_CHARS = 20_000
NOTE_MAX_CHARS = 5_000

# Control characters (CR, LF, tab, NUL, ESC...) and the Unicode line and paragraph separators.
_NOT_ON_ONE_LINE = frozenset({"Cc", "Zl", "Zp"})


def validate_one_line(value) -> None:
    if isinstance(value, str) and any(unicodedata.category(character) in _NOT_ON_ONE_LINE for character in value):
        raise ValidationError(
            "Write this on one line: line breaks, tabs and other control characters are not accepted.",
            code="not_one_line",
        )


def characters(count: int) -> str:
    return f"{count:,} character{'' if count == 1 else 's'}"


class TextLengthValidator:
    """At most `limit` characters, a line break counting as one (as the browser's maxlength counts it); the message
    gives both counts. A list of lines is counted as the text it was typed as."""

    def __init__(self, *, limit: int):
        self.limit = limit

    def __call__(self, value) -> None:
        text = "\n".join(value) if isinstance(value, list | tuple) else str(value or "")
        count = len(text.replace("\r\n", "\n"))
        if count > self.limit:
            raise ValidationError(
                f"This field takes up to {characters(self.limit)}; you entered {characters(count)}.",
                code="max_length",
            )


def text_limit(field: forms.Field, *, name: str, limits: dict[str, int]) -> int | None:
    """The most characters a text field takes: its own in `limits`, else its max_length, else the default of a
    text area; None for a single-line field without a limit."""
    return (
        limits.get(name) or field.max_length or (NOTE_MAX_CHARS if isinstance(field.widget, forms.Textarea) else None)
    )


def form_text_limit(form_class: type[forms.BaseForm], name: str) -> int | None:
    """What `text_limit` gives the form's field `name` once the form is made (for the API's serializers)."""
    return text_limit(form_class.base_fields[name], name=name, limits=getattr(form_class, "text_limits", {}))


def apply_text_rules(fields: dict[str, forms.Field], *, limits: dict[str, int] | None = None) -> None:
    """Give every text field its limit (from `limits`, else its own max_length, else NOTE_MAX_CHARS for a text
    area) as a validator, a maxlength attribute and, for a text area, help text; single-line fields also refuse
    line breaks and control characters."""
    limits = limits or {}
    for name, field in fields.items():
        if not isinstance(field, forms.CharField):
            continue
        multi_line = isinstance(field.widget, forms.Textarea)
        limit = text_limit(field, name=name, limits=limits)
        validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator | TextLengthValidator)]
        if limit:
            field.max_length = limit
            validators.append(TextLengthValidator(limit=limit))
            field.widget.attrs["maxlength"] = str(limit)
            if multi_line:
                allowed = f"Up to {characters(limit)}."
                if allowed not in str(field.help_text):
                    field.help_text = f"{field.help_text} {allowed}".strip()
        if not multi_line and validate_one_line not in validators:
            validators.append(validate_one_line)
        field.validators = validators


class TextRulesMixin:
    """A form whose text fields follow `apply_text_rules`; `text_limits` sets the limits other than the default."""

    text_limits: dict[str, int] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_text_rules(self.fields, limits=self.text_limits)
