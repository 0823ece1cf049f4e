"""Retention that happens: the daily purge deletes every expired visit's data from the database
and the evidence store, touches nothing retained or under a legal hold, and finishes the job
after a crash halfway."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests import factories
from tests.reports.conftest import Scenario, end_visit_with_content
from videocontact.accounts.models import Process, Role, User
from videocontact.evidence import vault
from videocontact.evidence.models import Photo
from videocontact.jobs.models import Job
from videocontact.jobs.services import run_due, schedule_daily
from videocontact.notifications.models import Contact
from videocontact.privacy import purge
from videocontact.privacy.models import AuditEvent, LegalHold, RetentionClock
from videocontact.privacy.services import (
    NotPrivacyOfficer,
    legal_hold_lift,
    legal_hold_set,
    retention_start,
)
from videocontact.questionnaires.models import Answer, Questionnaire, Signature
from videocontact.reports.models import Report, SealCertificate
from videocontact.visits.models import Visit, VisitStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _evidence_dir(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"


def blobs_of(visit: Visit) -> list[str]:
    names = list(Photo.objects.filter(visit=visit).values_list("blob_name", flat=True))
    names += list(
        Report.objects.filter(visit=visit).exclude(blob_name="").values_list("blob_name", flat=True)
    )
    return names


def blob_exists(name: str) -> bool:
    try:
        vault.store().get(name)
    except vault.BlobMissing:
        return False
    return True


def visit_with_everything(
    process: Process, caseworker: User, capture: Any, *, age_days: int
) -> tuple[Scenario, list[str]]:
    visit, _ = factories.make_visit(process=process, caseworker=caseworker)
    scenario = end_visit_with_content(visit, caseworker)
    Contact.objects.create(participant=scenario.resident, mobile="+31612345678")
    with capture(execute=True):
        run_due()  # the report is built (an encrypted PDF)
    blobs = blobs_of(visit)
    assert len(blobs) == 4 and all(blob_exists(name) for name in blobs)
    started = timezone.now() - timedelta(days=age_days)
    retention_start(visit=visit, started_at=started, reason="exported")  # or already running
    RetentionClock.objects.filter(visit=visit).update(
        started_at=started, purge_after=started + timedelta(days=process.retention_days)
    )
    return scenario, blobs


def held_data(visit: Visit) -> dict[str, int]:
    return {
        "photos": Photo.objects.filter(visit=visit).count(),
        "reports": Report.objects.filter(visit=visit).count(),
        "answers": Answer.objects.filter(questionnaire__visit=visit).count(),
        "signatures": Signature.objects.filter(questionnaire__visit=visit).count(),
        "notes": Questionnaire.objects.filter(visit=visit).exclude(notes="").count(),
        "contacts": Contact.objects.filter(participant__visit=visit).count(),
    }


@pytest.fixture
def officer(unit: Any) -> User:
    return factories.make_user(unit=unit, role=Role.PRIVACY_OFFICER, username="fg")


@pytest.fixture
def three_visits(
    process: Process,
    caseworker: User,
    officer: User,
    seal_certificate: SealCertificate,
    django_capture_on_commit_callbacks: Any,
) -> dict[str, tuple[Scenario, list[str]]]:
    capture = django_capture_on_commit_callbacks
    made = {
        "expired": visit_with_everything(process, caseworker, capture, age_days=91),
        "retained": visit_with_everything(process, caseworker, capture, age_days=89),
        "held": visit_with_everything(process, caseworker, capture, age_days=400),
    }
    legal_hold_set(visit=made["held"][0].visit, reason="bezwaarprocedure", by_user=officer)
    return made


@pytest.fixture
def seal_certificate(organisation: Any) -> SealCertificate:
    from videocontact.reports.demo import self_signed_material
    from videocontact.reports.services import seal_certificate_store

    return seal_certificate_store(
        organisation=organisation, material=self_signed_material(organisation.name)
    )


def test_expired_data_is_gone_and_retained_data_untouched(three_visits: dict[str, Any]) -> None:
    before = {name: held_data(s.visit) for name, (s, _) in three_visits.items()}
    assert all(all(before[name].values()) for name in before)

    assert purge.purge_due() == {"closed": 0, "purged": 1, "orphans": 0}

    expired, expired_blobs = three_visits["expired"]
    assert set(held_data(expired.visit).values()) == {0}
    assert not any(blob_exists(name) for name in expired_blobs)
    expired.visit.refresh_from_db()
    assert expired.visit.resident_name == "—" and "Amina" not in str(expired.visit)
    for name in ("retained", "held"):
        scenario, blobs = three_visits[name]
        assert held_data(scenario.visit) == before[name]
        assert all(blob_exists(blob) for blob in blobs)
        scenario.visit.refresh_from_db()
        assert scenario.visit.resident_name != "—"

    event = AuditEvent.objects.get(action="retention.purged")
    assert event.visit_id == expired.visit.id
    assert event.data["counts"]["evidence.photos"] == 3
    assert event.data["counts"]["reports.reports"] == 1
    assert event.data["counts"]["questionnaires.answers"] == 5
    assert event.data["counts"]["notifications.contacts"] == 1
    assert "Amina" not in str(event.data) and "+316" not in str(event.data)
    assert RetentionClock.objects.get(visit=expired.visit).purged_at is not None
    assert purge.purge_due() == {"closed": 0, "purged": 0, "orphans": 0}  # nothing twice


def test_a_crash_halfway_is_finished_by_the_next_run(
    three_visits: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    expired, blobs = three_visits["expired"]
    real = purge._purgers["questionnaires"]

    def crash(visit_id: Any) -> dict[str, int]:
        raise RuntimeError("the worker died")

    monkeypatch.setitem(purge._purgers, "questionnaires", purge._Registered(real.order, crash))
    with pytest.raises(RuntimeError):
        purge.purge_due()
    # photos and reports went first; the rest is still there, the visit is not marked purged
    assert held_data(expired.visit)["photos"] == 0
    assert held_data(expired.visit)["answers"] == 5
    assert RetentionClock.objects.get(visit=expired.visit).purged_at is None

    monkeypatch.setitem(purge._purgers, "questionnaires", real)
    assert purge.purge_due()["purged"] == 1
    assert set(held_data(expired.visit).values()) == {0}
    assert not any(blob_exists(name) for name in blobs)
    assert AuditEvent.objects.filter(action="retention.purged").count() == 1


def test_lifting_the_legal_hold_lets_the_purge_through(
    three_visits: dict[str, Any], officer: User, caseworker: User
) -> None:
    held, blobs = three_visits["held"]
    hold = LegalHold.objects.get(visit=held.visit)
    with pytest.raises(NotPrivacyOfficer):
        legal_hold_lift(hold=hold, by_user=caseworker)
    legal_hold_lift(hold=hold, by_user=officer)
    assert AuditEvent.objects.filter(action__startswith="legal_hold.").count() == 2
    purge.purge_due()
    assert set(held_data(held.visit).values()) == {0}
    assert not any(blob_exists(name) for name in blobs)


def test_only_the_privacy_officer_sets_a_hold(visit: Visit, caseworker: User) -> None:
    with pytest.raises(NotPrivacyOfficer):
        legal_hold_set(visit=visit, reason="x", by_user=caseworker)


def test_the_purge_is_one_job_a_day() -> None:
    # Noon local time, so "five minutes later" is the same day whenever the test runs.
    now = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    first = schedule_daily(now=now)
    assert schedule_daily(now=now + timedelta(minutes=5)) == first
    assert Job.objects.filter(kind="privacy.purge").count() == 1
    schedule_daily(now=now + timedelta(days=1))
    assert Job.objects.filter(kind="privacy.purge").count() == 2


def test_a_visit_never_ended_is_closed_after_the_configured_time(
    process: Process, caseworker: User, settings: Any
) -> None:
    settings.VISIT_AUTO_END_HOURS = 12
    stale, _ = factories.make_visit(process=process, caseworker=caseworker)
    fresh, _ = factories.make_visit(process=process, caseworker=caseworker)
    long_ago = timezone.now() - timedelta(hours=13)
    Visit.objects.filter(pk=stale.pk).update(status=VisitStatus.ACTIVE, started_at=long_ago)
    stale.participants.update(last_seen_at=long_ago)
    Visit.objects.filter(pk=fresh.pk).update(status=VisitStatus.ACTIVE, started_at=long_ago)
    fresh.participants.update(last_seen_at=timezone.now() - timedelta(hours=1))

    assert purge.purge_due()["closed"] == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == VisitStatus.ENDED and fresh.status == VisitStatus.ACTIVE
    assert Report.objects.filter(visit=stale).exists()  # the report follows, as for any end


def test_orphaned_blobs_are_swept_and_nothing_else(
    three_visits: dict[str, Any], settings: Any
) -> None:
    """A crash between writing a blob and saving its row leaves an orphan: swept after a day."""
    orphan = vault.seal(b"orphan", prefix="photos/gone")
    fresh = vault.seal(b"still uploading", prefix="photos/now")
    secret = vault.seal(b"a secret", prefix="secrets/dossier")
    two_days_ago = (timezone.now() - timedelta(days=2)).timestamp()
    for name in (orphan.name, secret.name):
        os.utime(Path(settings.EVIDENCE_DIR) / name, (two_days_ago, two_days_ago))
    kept = [name for name, _ in vault.store().listing() if name != orphan.name]

    result = purge.purge_due()

    assert result["orphans"] == 1
    assert not blob_exists(orphan.name)
    assert blob_exists(fresh.name) and blob_exists(secret.name)
    remaining = {name for name, _ in vault.store().listing()}
    expired_blobs = set(three_visits["expired"][1])
    assert remaining == set(kept) - expired_blobs
    assert AuditEvent.objects.filter(action="retention.orphans_deleted").count() == 1


def test_a_ratings_comment_goes_with_the_term_and_its_scores_stay(
    three_visits: dict[str, Any],
) -> None:
    from videocontact.insights.models import Rating

    for scenario, _ in three_visits.values():
        Rating.objects.create(
            visit=scenario.visit,
            participant=scenario.resident,
            role="resident",
            language="nl",
            ease=3,
            appreciation=2,
            comment="Ik ben Amina, de medewerker was aardig.",
        )
    purge.purge_due()

    expired = Rating.objects.get(visit=three_visits["expired"][0].visit)
    assert (expired.comment, expired.ease, expired.appreciation) == ("", 3, 2)
    for name in ("retained", "held"):
        assert Rating.objects.get(visit=three_visits[name][0].visit).comment.startswith("Ik ben")
    event = AuditEvent.objects.get(action="retention.purged")
    assert event.data["counts"]["insights.comments"] == 1
