"""Background work of the reports app (auto-discovered by the jobs app)."""

from __future__ import annotations

import uuid
from typing import Any

import structlog

from videocontact.jobs.registry import PermanentFailure, register
from videocontact.reports import services
from videocontact.reports.errors import ReportBuildError

log = structlog.get_logger("reports")


@register(services.BUILD_JOB)
def build(payload: dict[str, Any]) -> None:
    """Build one report. A failure is recorded on the report (the visit page shows it with a
    retry button) and ends the job: building again gives the same error until someone acts."""
    report_id = uuid.UUID(payload["report"])
    try:
        services.report_build(report_id=report_id)
    except ReportBuildError as exc:
        services.report_fail(report_id=report_id, code=exc.code, detail=exc.detail)
        raise PermanentFailure(exc.code) from exc
    except Exception as exc:
        log.exception("report.build_error", report=str(report_id))
        services.report_fail(
            report_id=report_id, code="unexpected", detail=f"{type(exc).__name__}: {exc}"
        )
        raise PermanentFailure(f"unexpected: {type(exc).__name__}") from exc
