"""django-allauth's emails (email confirmation, password reset, account already exists, security notices) go
through the outbox like every other email: stored, sent by a worker, retried, re-sendable from the panel."""

from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils.html import strip_tags

from notifications.enums import EmailKind
from notifications.services import email_queue_rendered


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request) -> str:
        """Reviewers and program leads start at their review queue; suppliers at their dashboard."""
        if request.user.is_authenticated and request.user.is_buyer_staff:
            return reverse("review:queue")
        return super().get_login_redirect_url(request)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Rendered as allauth renders it (its templates, links built from the request), queued instead of sent."""
        request = allauth_context.request
        # Without the Sites framework the site's name is its host:port ("Hello from 127.0.0.1:8021!").
        site = SimpleNamespace(name=settings.SITE_NAME, domain=get_current_site(request).domain)
        context = {"request": request, "email": email, "current_site": site, **context}
        message = self.render_mail(template_prefix, email, context)
        alternatives = getattr(message, "alternatives", [])
        html = next((content for content, mimetype in alternatives if mimetype == "text/html"), "")
        text = message.body
        if message.content_subtype == "html":  # a template with no .txt twin: the plain-text part is made from it
            html, text = message.body, strip_tags(message.body)
        email_queue_rendered(
            to=message.to, subject=message.subject, body_text=text, body_html=html, kind=EmailKind.ACCOUNT
        )
