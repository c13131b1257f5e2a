"""The round's form: its opening and closing typed and shown in the round's own time zone, never in UTC.

A wall-clock time that the zone skips (the spring-forward gap) is refused; one that it repeats (the fall-back hour)
is taken only once the person says which of the two they mean. The other panel texts a program lead types (addenda,
answers to questions, a criterion's guidance) take the same limits as every other face (`suppliers.text_rules`).
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

from django import forms

from rfp.models import Addendum, Clarification, Criterion, Rfp
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


class RoundForm(TextRulesMixin, forms.ModelForm):
    """The panel's form of a round (Rfp): its title on one line, its description up to a narrative's length."""

    text_limits = {"description": NARRATIVE_MAX_CHARS}

    opens_at = LocalDateTimeField(label="Opens at")
    closes_at = LocalDateTimeField(label="Closes at")
    opens_at_occurrence = forms.ChoiceField(
        choices=[("", "—"), (FIRST, "the first"), (SECOND, "the second")], required=False, widget=forms.HiddenInput
    )
    closes_at_occurrence = forms.ChoiceField(
        choices=[("", "—"), (FIRST, "the first"), (SECOND, "the second")], required=False, widget=forms.HiddenInput
    )

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
        if self.instance.pk:
            zone_name = self.instance.display_time_zone
            zone = zoneinfo.ZoneInfo(zone_name)
            where, hint = zone_label(zone_name, zone), "Local time in the round's time zone"
        else:
            zone, where, hint = None, "the round's time zone, chosen below", "Local time in the time zone chosen below"
        for name, label in DEADLINE_FIELDS.items():
            self.fields[name].label = f"{label} ({where})"
            self.fields[name].help_text = f"{hint}, YYYY-MM-DD HH:MM:SS."
            moment = getattr(self.instance, name)
            if zone is not None and moment is not None:
                self.initial[name] = moment.astimezone(zone).replace(tzinfo=None, microsecond=0)

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("display_time_zone")
        if not zone_name:
            return cleaned  # the zone's own error says what is wrong; no time can be placed without it
        zone = zoneinfo.ZoneInfo(zone_name)
        for name in DEADLINE_FIELDS:
            wall = cleaned.get(name)
            if self.instance.pk and name not in self.changed_data:
                # Not retyped: the deadline stays the same instant, even when the round's zone changes.
                cleaned[name] = getattr(self.instance, name)
            elif isinstance(wall, datetime) and wall.tzinfo is None:
                placed = self._place(name, wall, zone, zone_name)
                if placed is not None:
                    cleaned[name] = placed
        return cleaned

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


class AddendumForm(TextRulesMixin, forms.ModelForm):
    """An addendum changes the solicitation: its body may be as long as the round's description."""

    text_limits = {"body": NARRATIVE_MAX_CHARS}

    class Meta:
        model = Addendum
        fields = ["rfp", "number", "published_at", "title", "body"]


class ClarificationAnswerForm(TextRulesMixin, forms.ModelForm):
    """The buyer's answer to a supplier's question, as long as a reviewer's comments may be."""

    text_limits = {"answer": NARRATIVE_MAX_CHARS}

    class Meta:
        model = Clarification
        fields = ["answer", "answered_at", "is_published"]


class CriterionForm(TextRulesMixin, forms.ModelForm):
    """A rubric's criterion: its name on one line, its guidance a note (`NOTE_MAX_CHARS`)."""

    class Meta:
        model = Criterion
        fields = ["rubric", "position", "code", "name", "weight", "max_score", "guidance"]
