"""When the retention clock starts: only once every filing target has the report."""

from __future__ import annotations

from typing import Any

import pytest

from tests.dossier.conftest import make_zgw_target
from tests.dossier.zgw_server import ZgwServer
from videocontact.dossier.models import Export
from videocontact.jobs.services import run_due
from videocontact.privacy.models import RetentionClock
from videocontact.reports.models import Report
from videocontact.reports.signals import report_ready

pytestmark = pytest.mark.django_db


def test_no_clock_while_a_target_has_failed(process: Any, zgw: ZgwServer, report: Report) -> None:
    make_zgw_target(process, zgw, name="Goed")
    make_zgw_target(
        process,
        zgw,
        name="Fout",
        informatieobjecttype=f"{zgw.base}/catalogi/api/v1/informatieobjecttypen/onbekend",
    )
    report_ready.send(sender=Report, report=report)
    run_due()
    assert sorted(Export.objects.values_list("state", flat=True)) == ["failed", "sent"]
    assert not RetentionClock.objects.exists()


def test_clock_starts_after_the_export(process: Any, zgw: ZgwServer, report: Report) -> None:
    make_zgw_target(process, zgw)
    report_ready.send(sender=Report, report=report)
    assert not RetentionClock.objects.exists()
    run_due()
    clock = RetentionClock.objects.get(visit=report.visit)
    assert clock.reason == "exported"
    export = Export.objects.get()
    assert clock.started_at == export.finished_at
