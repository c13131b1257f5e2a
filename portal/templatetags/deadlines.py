"""`{{ moment|deadline_in:rfp.display_time_zone }}`: a deadline as wall-clock time in the RFP's zone, e.g.
"November 1, 2026, 1:30:00 AM PST"; `{{ moment|moment_in:rfp.display_time_zone }}` the same to the minute, for the
times things happened ("November 1, 2026, 1:30 AM PST").

Django's `date` filter drops the zone abbreviation in the hour a daylight-saving change repeats, which leaves
"1:30:00 AM" meaning two different instants; this one always names the zone.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import template

register = template.Library()


@register.filter
def deadline_in(moment: datetime | None, zone_name: str) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(zone_name))
    return f"{local:%B} {local.day}, {local.year}, {local.hour % 12 or 12}:{local:%M:%S %p %Z}"


@register.filter
def moment_in(moment: datetime | None, zone_name: str) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(zone_name))
    return f"{local:%B} {local.day}, {local.year}, {local.hour % 12 or 12}:{local:%M %p %Z}"
