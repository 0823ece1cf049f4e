"""Message texts: built-in defaults (gettext, Dutch B1 first) or a functional administrator's
own text per process, kind, channel and language; placeholders checked on save.

Defaults hold no personal data: no name, no case reference and no process name (a text message
about "bijstand" on a lock screen says too much). Administrators may add `{process}` themselves.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from videocontact.accounts.models import Process
from videocontact.notifications.models import Channel, MessageKind, MessageText

# Built-in defaults. English source strings; the Dutch (B1) and other languages are in
# notifications/locale. gettext_noop marks them for the catalog; they are translated when sent.
DEFAULTS: dict[tuple[str, str], tuple[str, str]] = {
    (MessageKind.INVITATION, Channel.SMS): (
        "",
        gettext_noop(
            "{organisation} invites you to a video call on {time}. Open this link on your phone "
            "at that time: {link} Questions? Call {phone}."
        ),
    ),
    (MessageKind.INVITATION, Channel.EMAIL): (
        gettext_noop("Invitation: video call with {organisation}"),
        gettext_noop(
            "Hello,\n\n{organisation} invites you to a video call.\n\nWhen: {time}\n\n"
            "What will happen?\nYou talk with a caseworker by video, on your phone or computer. "
            "Open the link below at the time of the call. First you say if you agree. Then you "
            "check your camera and microphone. Then you wait until the caseworker lets you in.\n\n"
            "{link}\n\nThe link is personal. Do not share it. The call is not recorded.\n\n"
            "Questions, or another time? Call {phone}.\n\nKind regards,\n{organisation}"
        ),
    ),
    (MessageKind.REMINDER, Channel.SMS): (
        "",
        gettext_noop(
            "Reminder: your video call with {organisation} is on {time}. Open this link: {link} "
            "Questions? Call {phone}."
        ),
    ),
    (MessageKind.REMINDER, Channel.EMAIL): (
        gettext_noop("Reminder: video call with {organisation}"),
        gettext_noop(
            "Hello,\n\nThis is a reminder of your video call with {organisation}.\n\n"
            "When: {time}\n\nOpen this link at that time:\n\n{link}\n\n"
            "Questions? Call {phone}.\n\nKind regards,\n{organisation}"
        ),
    ),
    (MessageKind.RESCHEDULED, Channel.SMS): (
        "",
        gettext_noop(
            "Your video call with {organisation} has a new time: {time}. Open this link at that "
            "time: {link} Questions? Call {phone}."
        ),
    ),
    (MessageKind.RESCHEDULED, Channel.EMAIL): (
        gettext_noop("New time: video call with {organisation}"),
        gettext_noop(
            "Hello,\n\nYour video call with {organisation} has a new time.\n\n"
            "New time: {time}\n\nOpen this link at the new time:\n\n{link}\n\n"
            "Questions? Call {phone}.\n\nKind regards,\n{organisation}"
        ),
    ),
    (MessageKind.CANCELLED, Channel.SMS): (
        "",
        gettext_noop(
            "Your video call with {organisation} on {time} will not take place. "
            "Questions? Call {phone}."
        ),
    ),
    (MessageKind.CANCELLED, Channel.EMAIL): (
        gettext_noop("Cancelled: video call with {organisation}"),
        gettext_noop(
            "Hello,\n\nYour video call with {organisation} on {time} will not take place.\n\n"
            "Do you have questions, or do you want a new appointment? Call {phone}.\n\n"
            "Kind regards,\n{organisation}"
        ),
    ),
    (MessageKind.CODE, Channel.SMS): (
        "",
        gettext_noop(
            "Your code for the video call with {organisation} is {code}. "
            "Do not give this code to anyone."
        ),
    ),
}


# A visit that starts now has no date to put after "on": these defaults say "now" in their own
# words. Texts without such a date ("When: {time}") keep the default, with {time} = "now".
NOW_DEFAULTS: dict[tuple[str, str], tuple[str, str]] = {
    (MessageKind.INVITATION, Channel.SMS): (
        "",
        gettext_noop(
            "{organisation} invites you to a video call now. Open this link on your phone: "
            "{link} Questions? Call {phone}."
        ),
    ),
    (MessageKind.CANCELLED, Channel.SMS): (
        "",
        gettext_noop(
            "Your video call with {organisation} will not take place. Questions? Call {phone}."
        ),
    ),
    (MessageKind.CANCELLED, Channel.EMAIL): (
        DEFAULTS[(MessageKind.CANCELLED, Channel.EMAIL)][0],
        gettext_noop(
            "Hello,\n\nYour video call with {organisation} will not take place.\n\n"
            "Do you have questions, or do you want a new appointment? Call {phone}.\n\n"
            "Kind regards,\n{organisation}"
        ),
    ),
}


@dataclass(frozen=True)
class RenderedText:
    subject: str
    body: str


class _Values(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return ""


def _own_text(process: Process, kind: str, channel: str, language: str) -> MessageText | None:
    return MessageText.objects.filter(
        process=process, kind=kind, channel=channel, language=language
    ).first()


def template_for(
    process: Process, kind: str, channel: str, language: str, *, now: bool = False
) -> tuple[str, str]:
    """(subject, body) before filling in: the administrator's text, or the translated default
    (for a visit that starts `now`, the wording without a date where there is one)."""
    own = _own_text(process, kind, channel, language)
    if own is not None:
        return own.subject, own.body
    subject, body = (NOW_DEFAULTS if now else DEFAULTS).get((kind, channel)) or DEFAULTS[
        (kind, channel)
    ]
    with translation.override(language):
        return (_(subject) if subject else ""), _(body)


def render(
    process: Process,
    kind: str,
    channel: str,
    language: str,
    values: dict[str, str],
    *,
    sent_at: str | None = None,
) -> RenderedText:
    """Fill in a text. `sent_at` (the formatted moment of sending) marks a visit that starts now:
    defaults say "now" in their own words; an administrator's own text gets that moment for
    {time}, which reads right wherever a time is expected ("op {time}")."""
    now = sent_at is not None
    if now:
        own = _own_text(process, kind, channel, language) is not None
        with translation.override(language):
            word = str(translation.gettext("now"))
        values = {**values, "time": sent_at if (own and sent_at) else word}
    subject, body = template_for(process, kind, channel, language, now=now)
    filled = _Values(values)
    return RenderedText(
        subject=_fill(subject, filled).replace("\n", " ").strip(),
        body=_fill(body, filled).strip(),
    )


def _fill(text: str, values: Mapping[str, str]) -> str:
    """Put the values in. Unlike str.format, no format spec, conversion or attribute access is
    ever applied: a text edited in the admin cannot make the sender build a huge string."""
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(text):
        parts.append(literal)
        if name is not None:
            parts.append(values[name])
    return "".join(parts)
