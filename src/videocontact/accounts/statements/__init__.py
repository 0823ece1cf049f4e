"""The shipped example accessibility statement, in the format of the Dutch model statement
(digitoegankelijk.nl), for an organisation to start from."""

from __future__ import annotations

from pathlib import Path

from videocontact.accounts.models import Organisation

SAMPLE_ACCESSIBILITY = Path(__file__).parent / "toegankelijkheidsverklaring-voorbeeld.txt"


def sample_accessibility_statement(organisation: Organisation) -> str:
    text = SAMPLE_ACCESSIBILITY.read_text("utf-8")
    return text.replace("{organisatie}", organisation.name).replace(
        "{telefoon}", organisation.contact_phone or "de gemeente"
    )
