"""`{% load figures %}`: `{{ price|money }}` "$3,500,000", `{{ units|count }}` "28,800", `{{ weight|number }}` "30",
`{{ share|percent }}` "72.5%", `{{ power|quantity:"MW" }}` "9.5 MW"; the same text as `rfp.formatting` gives
the answer rows and the PDF summary."""

from django import template

from rfp import formatting

register = template.Library()

register.filter("money", formatting.money)
register.filter("count", formatting.count)
register.filter("number", formatting.number)
register.filter("weight", formatting.number)
register.filter("percent", formatting.percent)


@register.filter
def quantity(value, unit: str) -> str:
    return formatting.quantity(value, unit)
