from django import template

register = template.Library()


@register.filter
def status_words(status: str) -> str:
    """The plain label the portal uses for a proposal status (the same on every page)."""
    from portal.proposals.views import STATUS_WORDS

    return STATUS_WORDS[status][0]
