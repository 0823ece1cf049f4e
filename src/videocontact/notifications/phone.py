"""Mobile numbers: parsed and stored as E.164; only Dutch and other EU/EEA mobile numbers."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# EU member states plus the EEA and Switzerland (ISO 3166 region codes).
ALLOWED_REGIONS = frozenset(
    {
        *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
        *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
        *("IS", "LI", "NO", "CH"),
    }
)
MOBILE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


def normalise_mobile(raw: str) -> str:
    """'06 12345678', '+31 6 1234 5678', '0031612345678' → '+31612345678'. Raises ValidationError."""
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, "NL")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("This is not a phone number."), code="invalid") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("This is not a valid phone number."), code="invalid")
    if phonenumbers.region_code_for_number(number) not in ALLOWED_REGIONS:
        raise ValidationError(
            _("Use a mobile number from the Netherlands or another EU country."), code="region"
        )
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise ValidationError(_("This is not a mobile number."), code="not_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_mobile(e164: str) -> str:
    """'+31612345678' → '+31 •••• 5678' (what staff and logs may see)."""
    return f"{e164[:3]} •••• {e164[-4:]}" if len(e164) > 7 else "••••"


def mask_email(address: str) -> str:
    """'jan.jansen@example.nl' → 'j•••@example.nl'."""
    local, _at, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "•••"
