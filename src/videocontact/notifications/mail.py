"""E-mail: plain text and HTML alternatives, with the .ics calendar file for planned visits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.template.loader import render_to_string
from django.utils import translation


def build_email(
    *,
    to: str,
    subject: str,
    body: str,
    language: str,
    organisation_name: str,
    ics: bytes | None,
    ics_method: str = "REQUEST",
) -> EmailMultiAlternatives:
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    with translation.override(language):
        html = render_to_string(
            "notifications/email.html",
            {
                "subject": subject,
                "paragraphs": paragraphs,
                "organisation_name": organisation_name,
                "language": language,
                "rtl": translation.get_language_bidi(),
            },
        )
    message = EmailMultiAlternatives(
        subject=subject,
        body=body + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "Auto-Submitted": "auto-generated",
            "Content-Language": language,
            # Our own id, kept as the provider reference (what a bounce refers to).
            "Message-ID": make_msgid(domain=settings.NOTIFY_ICS_DOMAIN),
        },
    )
    message.attach_alternative(html, "text/html")
    if ics is not None:
        message.attach("afspraak.ics", ics, f"text/calendar; method={ics_method}; charset=utf-8")
    return message
