"""The placeholders a message text may use, and the check an administrator's own text passes
on save (MessageText.clean): known names only, written plainly, the required ones present."""

from __future__ import annotations

import string

from django.utils.translation import gettext as _

from videocontact.notifications.choices import MessageKind

PLACEHOLDERS = frozenset({"organisation", "process", "time", "link", "phone", "code"})
REQUIRED: dict[str, set[str]] = {
    MessageKind.INVITATION: {"link"},
    MessageKind.REMINDER: {"link"},
    MessageKind.RESCHEDULED: {"link", "time"},
    MessageKind.CANCELLED: set(),
    MessageKind.CODE: {"code"},
}
NOT_ALLOWED: dict[
    str, set[str]
] = {  # a code message never carries the link: the two channels stay apart
    MessageKind.CODE: {"link"},
    MessageKind.CANCELLED: {"link", "code"},
}


def placeholders_in(text: str) -> set[str]:
    """The {names} used in a text. Raises ValueError for a broken brace."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def validate_text(text: str, *, kind: str, required: bool) -> list[str]:
    try:
        used = placeholders_in(text)
    except ValueError:
        return [_("A { or } is not closed. Write placeholders like {link}.")]
    errors = []
    if any(spec or conv for _lit, name, spec, conv in string.Formatter().parse(text) if name):
        errors.append(_("Write placeholders plainly, like {link}: without : or ! after the name."))
    unknown = sorted(used - PLACEHOLDERS)
    if unknown:
        errors.append(
            _("Unknown placeholder: %(names)s. You can use: %(allowed)s.")
            % {
                "names": ", ".join(f"{{{n}}}" for n in unknown),
                "allowed": ", ".join(f"{{{n}}}" for n in sorted(PLACEHOLDERS)),
            }
        )
    if "" in used:
        errors.append(_("An empty {} is not allowed."))
    forbidden = sorted(used & NOT_ALLOWED.get(kind, set()))
    if forbidden:
        errors.append(
            _("This message may not contain %(names)s.")
            % {"names": ", ".join(f"{{{n}}}" for n in forbidden)}
        )
    if required:
        missing = sorted(REQUIRED.get(kind, set()) - used)
        if missing:
            errors.append(
                _("This message needs %(names)s.")
                % {"names": ", ".join(f"{{{n}}}" for n in missing)}
            )
    return errors
