"""Why a report build failed: a code stored on the report, a translated message for the panel."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "no_seal_certificate": _(
        "There is no seal certificate for this organisation. Ask the functional administrator "
        "to import one."
    ),
    "seal_expired": _("The seal certificate has expired. Ask the functional administrator."),
    "seal_invalid": _("The seal certificate or its key cannot be used."),
    "evidence_unreadable": _("A photo or the seal key could not be read from storage."),
    "not_approved": _(
        "No report is stored for this process: the privacy officer has not approved it."
    ),
    "unexpected": _("Something went wrong while making the report."),
}


class ReportBuildError(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def message_for(code: str) -> str:
    return str(MESSAGES.get(code, MESSAGES["unexpected"]))
