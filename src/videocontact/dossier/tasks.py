"""Background jobs of the dossier app (auto-discovered by the jobs app)."""

from __future__ import annotations

from typing import Any

from videocontact.dossier.models import ExportState
from videocontact.dossier.services import export_run
from videocontact.jobs import registry


@registry.register("dossier.export")
def export(payload: dict[str, Any]) -> None:
    """Send one export. Idempotent: what was sent already is looked up, never sent again."""
    outcome = export_run(export_id=payload["export_id"])
    if outcome.state == ExportState.RETRYING:
        raise registry.Retry(outcome.retry_after or 60, outcome.reason)
    if outcome.state == ExportState.FAILED:
        raise registry.PermanentFailure(outcome.reason)
