"""Times in the panel typed and shown in the round's own time zone, never in UTC: the round's form (its opening and
closing), and the field and mixin that the panel's other forms share (a review's due date, in rfp.panel_forms).

A wall-clock time that the zone skips (the spring-forward gap) is refused; one that it repeats (the fall-back hour)
is taken only once the person says which of the two they mean.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

from django import forms

from rfp.models import Addendum, Criterion, Rfp
from suppliers.text_rules import NARRATIVE_MAX_CHARS, TextRulesMixin

LOCAL_FORMAT = "%Y-%m-%d %H:%M:%S"
LOCAL_INPUT_FORMATS = [LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]
DEADLINE_FIELDS = {"opens_at": "Opens at", "closes_at": "Closes at"}
FIRST, SECOND = "first", "second"


def zone_abbreviations(zone: zoneinfo.ZoneInfo, *, year: int) -> str:
    """ "PDT/PST" for Los Angeles: the names the zone goes by in summer and in winter."""
    names = [datetime(year, month, 1, 12, tzinfo=zone).tzname() for month in (7, 1)]
    return "/".join(dict.fromkeys(names))


def zone_label(name: str, zone: zoneinfo.ZoneInfo) -> str:
    abbreviations = zone_abbreviations(zone, year=datetime.now(UTC).year)
    return name if abbreviations == name else f"{name}, {abbreviations}"


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock date and time, kept naive: the form places it in the round's zone once it knows the zone."""

    widget = forms.DateTimeInput(format=LOCAL_FORMAT, attrs={"size": 20})

    def __init__(self, **kwargs):
        super().__init__(input_formats=LOCAL_INPUT_FORMATS, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        text = str(value).strip()
        for input_format in self.input_formats:
            try:
                return datetime.strptime(text, input_format)
            except ValueError:
                continue
        raise forms.ValidationError(
            f"Enter the date and time as YYYY-MM-DD HH:MM (or with seconds), not “{text[:40]}”.", code="invalid"
        )


def _is_skipped(wall: datetime, zone: zoneinfo.ZoneInfo) -> bool:
    there_and_back = wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return there_and_back != wall


def _is_repeated(wall: datetime, zone: zoneinfo.ZoneInfo) -> bool:
    return wall.replace(tzinfo=zone, fold=0).utcoffset() != wall.replace(tzinfo=zone, fold=1).utcoffset()


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def occurrence_field() -> forms.ChoiceField:
    """Hidden until the typed time happens twice; then it asks which of the two is meant."""
    return forms.ChoiceField(
        choices=[("", "—"), (FIRST, "the first"), (SECOND, "the second")], required=False, widget=forms.HiddenInput
    )


class ZonedTimesMixin:
    """For a model form whose `LocalDateTimeField`s (each with an `<name>_occurrence` field beside it) are typed and
    shown as wall-clock times of one zone, and stored in UTC."""

    def show_in_zone(self, name: str, *, label: str, zone_name: str | None, hint: str) -> None:
        """Label the field with the zone and show the stored instant as the zone's wall-clock time."""
        if zone_name:
            zone = zoneinfo.ZoneInfo(zone_name)
            self.fields[name].label = f"{label} ({zone_label(zone_name, zone)})"
            moment = getattr(self.instance, name)
            if moment is not None:
                self.initial[name] = moment.astimezone(zone).replace(tzinfo=None, microsecond=0)
        else:
            self.fields[name].label = label
        self.fields[name].help_text = f"{hint}, YYYY-MM-DD HH:MM:SS."

    def place_in_zone(self, name: str, zone_name: str) -> None:
        """Turn the typed wall-clock time into its UTC instant in `cleaned_data`, or add the error saying why not."""
        wall = self.cleaned_data.get(name)
        if self.instance.pk and name not in self.changed_data:
            # Not retyped: the time stays the same instant, even when the zone changes.
            self.cleaned_data[name] = getattr(self.instance, name)
        elif isinstance(wall, datetime) and wall.tzinfo is None:
            placed = self._place(name, wall, zoneinfo.ZoneInfo(zone_name), zone_name)
            if placed is not None:
                self.cleaned_data[name] = placed

    def _place(self, name: str, wall: datetime, zone: zoneinfo.ZoneInfo, zone_name: str) -> datetime | None:
        shown = wall.strftime("%Y-%m-%d %H:%M")
        if _is_skipped(wall, zone):
            before = wall.replace(tzinfo=zone, fold=0).utcoffset()
            after = wall.replace(tzinfo=zone, fold=1).utcoffset()
            self.add_error(
                name,
                f"{shown} does not exist in {zone_name}: the clocks jump forward by "
                f"{abs(int((before - after).total_seconds() // 60))} minutes that night. "
                "Type a time before or after the jump.",
            )
            return None
        if not _is_repeated(wall, zone):
            return wall.replace(tzinfo=zone).astimezone(UTC)
        first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
        choice_name = f"{name}_occurrence"
        choices = [
            ("", "—"),
            (FIRST, f"the first ({first.tzname()}, {_utc_text(first)})"),
            (SECOND, f"the second ({second.tzname()}, {_utc_text(second)})"),
        ]
        field = self.fields[choice_name]
        field.choices = choices
        field.widget = forms.RadioSelect(choices=choices[1:])
        field.label = f"Which {shown}?"
        chosen = self.cleaned_data.get(choice_name)
        if chosen == FIRST:
            return first.astimezone(UTC)
        if chosen == SECOND:
            return second.astimezone(UTC)
        self.add_error(
            name,
            f"{shown} happens twice in {zone_name} (the clocks go back that night): "
            f"the first ({first.tzname()}) is {_utc_text(first)}, the second ({second.tzname()}) is "
            f"{_utc_text(second)}. Choose which one below.",
        )
        return None


class RoundForm(TextRulesMixin, ZonedTimesMixin, forms.ModelForm):
    """The panel's form of a round (Rfp): its title on one line, its description up to a narrative's length."""

    text_limits = {"description": NARRATIVE_MAX_CHARS}

    opens_at = LocalDateTimeField(label="Opens at")
    closes_at = LocalDateTimeField(label="Closes at")
    opens_at_occurrence = occurrence_field()
    closes_at_occurrence = occurrence_field()

    class Meta:
        model = Rfp
        fields = [
            "reference",
            "title",
            "description",
            "sectors",
            "opens_at",
            "closes_at",
            "display_time_zone",
            "rolling_review",
            "blind_review",
            "reviewers_per_proposal",
            "review_due_days",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in DEADLINE_FIELDS.items():
            if self.instance.pk:
                self.show_in_zone(
                    name,
                    label=label,
                    zone_name=self.instance.display_time_zone,
                    hint="Local time in the round's time zone",
                )
            else:
                self.show_in_zone(
                    name,
                    label=f"{label} (the round's time zone, chosen below)",
                    zone_name=None,
                    hint="Local time in the time zone chosen below",
                )

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("display_time_zone")
        if not zone_name:
            return cleaned  # the zone's own error says what is wrong; no time can be placed without it
        for name in DEADLINE_FIELDS:
            self.place_in_zone(name, zone_name)
        return cleaned


class AddendumForm(TextRulesMixin, forms.ModelForm):
    """An addendum changes the solicitation: its body may be as long as the round's description."""

    text_limits = {"body": NARRATIVE_MAX_CHARS}

    class Meta:
        model = Addendum
        fields = ["rfp", "number", "published_at", "title", "body"]


class CriterionForm(TextRulesMixin, forms.ModelForm):
    """A rubric's criterion: its name on one line, its guidance a note (`NOTE_MAX_CHARS`)."""

    class Meta:
        model = Criterion
        fields = ["rubric", "position", "code", "name", "weight", "max_score", "guidance"]
