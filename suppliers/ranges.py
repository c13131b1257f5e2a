"""Numeric fields that say their model's range in the house words: "Site power must be from 0 to 5000 MW; you
entered -1." The range comes from the model field's validators, so the form, its help text, the browser's min/max and
the model agree; the portal's and the API's forms of suppliers and proposals all use it."""

import re
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

_UNIT = re.compile(r"\s*\(([^)]+)\)\s*$")
_POSITIVE_FIELDS = (models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField)


def _plain(number) -> str:
    if isinstance(number, Decimal):
        return format(number.normalize(), "f")
    return str(number)


class RangeValidator:
    """The model's allowed range, said with the field's name and unit."""

    def __init__(self, *, low, high, label: str, unit: str):
        self.low, self.high, self.label, self.unit = low, high, label, unit

    @property
    def description(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        if self.low is not None and self.high is not None:
            return f"from {_plain(self.low)} to {_plain(self.high)}{unit}"
        if self.low is not None:
            return f"{_plain(self.low)}{unit} or more"
        return f"up to {_plain(self.high)}{unit}"

    def __call__(self, value) -> None:
        if value is None:
            return
        if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
            raise ValidationError(
                f"{self.label.capitalize()} must be {self.description}; you entered {_plain(value)}.",
                code="out_of_range",
            )


class ModelRangesMixin:
    """Give every numeric field of a ModelForm its model range as help text, min/max attributes and error."""

    def describe_ranges(self) -> None:
        for name, form_field in self.fields.items():
            try:
                model_field = self._meta.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if model_field.choices:
                # A choice is bounded by its list; a range check would compare the posted text with a number.
                continue
            low = high = None
            # Only the validators the model declares; `validators` also holds the database's integer limits.
            for validator in model_field._validators:
                if isinstance(validator, MinValueValidator):
                    low = validator.limit_value
                elif isinstance(validator, MaxValueValidator):
                    high = validator.limit_value
            if low is None and isinstance(model_field, _POSITIVE_FIELDS):
                low = 0
            if low is None and high is None:
                continue
            verbose = str(model_field.verbose_name)
            match = _UNIT.search(verbose)
            unit = match.group(1) if match else ""
            if ":" in unit:  # a ratio such as "n:1" reads badly after a number
                unit = ""
            label = _UNIT.sub("", verbose)
            check = RangeValidator(low=low, high=high, label=label, unit=unit)
            form_field.validators = [
                v for v in form_field.validators if not isinstance(v, MinValueValidator | MaxValueValidator)
            ] + [check]
            if low is not None:
                form_field.widget.attrs["min"] = _plain(low)
            if high is not None:
                form_field.widget.attrs["max"] = _plain(high)
            allowed = f"Allowed: {check.description}."
            form_field.help_text = f"{form_field.help_text} {allowed}".strip() if form_field.help_text else allowed
