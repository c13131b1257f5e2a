"""The API checks input with the portal's own forms, so both faces refuse the same input with the same words.

An input serializer gives the JSON its types (and the schema its shape); the form then validates and normalises
as it does in the portal, with the current values under the changes, so a PATCH may send only what changes.
"""

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.datastructures import MultiValueDict
from rest_framework import serializers

from suppliers.text_rules import characters, form_text_limit


def form_values(form: forms.BaseForm) -> dict:
    """What an unbound form shows for each field (its initial values), keyed as the form reads its data."""
    return {form.add_prefix(name): form[name].value() for name in form.fields}


def validated_form(
    form_class: type[forms.BaseForm],
    *,
    changes: dict,
    files: dict | None = None,
    adjust: Callable[[forms.BaseForm], None] | None = None,
    rename: dict[str, str] | None = None,
    **options,
) -> forms.BaseForm:
    """Bind `form_class` to its current values with `changes` over them; raise the form's errors (as a
    ValidationError keyed by field, renamed by `rename`) unless it is valid. `adjust` changes both forms' fields
    the same way, e.g. to take category codes instead of ids."""
    current = form_class(**options)
    if adjust:
        adjust(current)
    values = form_values(current)
    for name, value in changes.items():
        # As the form would show the value (a list of country codes as "MX, JP"), so it parses it as typed.
        field = current.fields.get(name)
        values[current.add_prefix(name)] = field.prepare_value(value) if field is not None else value
    # Posted data as a browser sends it: a list is several values of one name (multiple choices).
    data = MultiValueDict(
        {key: list(value) if isinstance(value, list | tuple) else [value] for key, value in values.items()}
    )
    form = form_class(data=data, files=files, **options)
    if adjust:
        adjust(form)
    if not form.is_valid():
        rename = rename or {}
        raise ValidationError({rename.get(name, name): errors for name, errors in form.errors.as_data().items()})
    return form


def required_messages(form_class: type[forms.BaseForm], name: str) -> dict[str, str]:
    """The portal's "this is missing" message of a form field, for a serializer field's required/blank/null."""
    message = form_class.base_fields[name].error_messages["required"]
    return {"required": message, "blank": message, "null": message}


def choice_messages(form_class: type[forms.BaseForm], name: str) -> dict[str, str]:
    """The portal's messages of a form's choice field (missing, not one of the choices), for a serializer's
    ChoiceField; Django writes the value as %(value)s, DRF as {input}."""
    messages = form_class.base_fields[name].error_messages
    return {
        **required_messages(form_class, name),
        "invalid_choice": messages["invalid_choice"].replace("%(value)s", "{input}"),
    }


def text_limits_from(*form_classes: type[forms.BaseForm]) -> Callable[[type], type]:
    """Class decorator for an input serializer: each text field named as a field of one of the forms takes the
    form's character limit, so the schema shows its maxLength and an over-long text is refused before anything
    else reads it."""

    def decorate(serializer_class: type) -> type:
        for name, field in list(serializer_class._declared_fields.items()):
            form_class = next((form for form in form_classes if name in form.base_fields), None)
            # A field shared with a parent serializer is decorated once.
            if form_class is None or not isinstance(field, serializers.CharField) or field.max_length is not None:
                continue
            limit = form_text_limit(form_class, name)
            if limit is None:
                continue
            # Made again with the limit: DRF copies a declared field by calling its class with the same arguments.
            messages = {
                **field._kwargs.get("error_messages", {}),
                "max_length": f"This field takes up to {characters(limit)}.",
            }
            serializer_class._declared_fields[name] = type(field)(
                *field._args, **{**field._kwargs, "max_length": limit, "error_messages": messages}
            )
        return serializer_class

    return decorate
