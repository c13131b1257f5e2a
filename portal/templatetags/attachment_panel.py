"""`{% attachment_panel as panel %}`: lets any proposal page include templates/portal/attachments/_panel.html with
only `proposal` and `request` in its context."""

from django import template

from portal.attachments.views import attachment_panel as build_attachment_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def attachment_panel(context) -> dict:
    return build_attachment_panel(context["request"], context["proposal"])
