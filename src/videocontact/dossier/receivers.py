"""Reacts to other apps' signals (a finished report starts its exports)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from videocontact.dossier.services import exports_start
from videocontact.reports.models import Report
from videocontact.reports.signals import report_ready


@receiver(report_ready, dispatch_uid="dossier.exports_start")
def start_exports(sender: Any, report: Report, **kwargs: Any) -> None:
    exports_start(report=report)
