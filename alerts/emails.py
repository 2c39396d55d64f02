"""Every e-mail the alerts app sends to readers: one function per kind, three templates per kind
(`templates/emails/<kind>_subject.txt`, `<kind>.txt`, `<kind>.html`), built as Django e-mails
and sent through Django's mail backend (`EMAIL_URL`); alerts, sent by the thousand, are merged
per reader from one rendering (alerts/mailmerge.py).

Each is rendered in the reader's language, with that language's date format (the pages'), and
carries a Message-ID on this site's host (SITE_URL), never the sending machine's name.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.template.loader import render_to_string
from django.utils import translation

from alerts import content, selectors, tokens
from alerts.models import Subscription
from tracker.site import site_host


def render(kind: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of one kind; the subject is squeezed onto one line."""
    subject = " ".join(render_to_string(f"emails/{kind}_subject.txt", context).split())
    return subject, render_to_string(f"emails/{kind}.txt", context), render_to_string(f"emails/{kind}.html", context)


def build(
    rendered: tuple[str, str, str], *, to: list[str], headers: dict[str, str] | None = None, connection=None
) -> EmailMultiAlternatives:
    subject, text, html = rendered
    headers = {"Message-ID": make_msgid(domain=site_host()), **(headers or {})}
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to, headers=headers)
    message.attach_alternative(html, "text/html")
    message.connection = connection
    return message


def _subscription_context(subscription: Subscription) -> dict:
    treaty = subscription.treaty
    return {
        "treaty_name": treaty.display_title,
        "scope": subscription.get_scope_display(),
        "participant_names": selectors.participant_names(codes=subscription.participant_codes),
        "status_url": content.status_page_url(treaty),
        "site_url": settings.SITE_URL,
    }


def confirmation_message(subscription: Subscription) -> EmailMultiAlternatives:
    """Double opt-in: the signed link whose page confirms, valid for seven days."""
    with translation.override(subscription.subscriber.language):
        context = {
            **_subscription_context(subscription),
            "confirm_url": tokens.confirm_url(subscription),
            "days": settings.ALERTS_CONFIRM_MAX_AGE // 86400,
        }
        return build(render("confirm", context), to=[subscription.subscriber.email])


def already_subscribed_message(subscription: Subscription) -> EmailMultiAlternatives:
    """Someone asked again for a confirmed address: say so, and where to change preferences."""
    with translation.override(subscription.subscriber.language):
        context = {**_subscription_context(subscription), "manage_url": tokens.manage_url(subscription)}
        return build(render("already_subscribed", context), to=[subscription.subscriber.email])
