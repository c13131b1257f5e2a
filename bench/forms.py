"""Reads an HTML form as a browser would submit it: the benchmark's clients fill in the portal's real forms."""

import re
from html.parser import HTMLParser

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(html: str) -> str:
    found = _CSRF.search(html)
    if found is None:
        raise ValueError("the page has no CSRF token: is the client signed in, and is this the right page?")
    return found.group(1)


class _FormReader(HTMLParser):
    def __init__(self, css_class: str) -> None:
        super().__init__(convert_charrefs=True)
        self.css_class = css_class
        self.inside = False
        self.done = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and not self.done and self.css_class in (attributes.get("class") or "").split():
            self.inside = True
            return
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            if kind not in ("submit", "button", "file"):
                self.fields.append((name, attributes.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.fields.append((self._select, attributes.get("value") or ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self.inside:
            self.inside = False
            self.done = True


def form_fields(html: str, *, css_class: str) -> list[tuple[str, str]]:
    """The (name, value) pairs the first form with this CSS class would post, unchanged."""
    reader = _FormReader(css_class)
    reader.feed(html)
    if not reader.done:
        raise ValueError(f"no form of class {css_class!r} on the page")
    return reader.fields
