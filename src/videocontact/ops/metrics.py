"""/metrics: the process's own counters plus figures read from the database at scrape time."""

from __future__ import annotations

import hmac
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Min
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from videocontact.dossier.models import Export, ExportState
from videocontact.jobs.models import Job, JobState
from videocontact.jobs.selectors import worker_last_heartbeat
from videocontact.notifications.models import Message, MessageState
from videocontact.rooms.models import RoomConnection


class DatabaseCollector(Collector):
    """Shared state, the same whichever process is scraped."""

    def describe(self) -> list[GaugeMetricFamily]:
        return []  # registering must not query the database (it may not exist yet)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        connections = RoomConnection.objects
        yield GaugeMetricFamily(
            "ovc_rooms_active",
            "Visits with at least one connected participant",
            value=connections.values("participant__visit_id").distinct().count(),
        )
        yield GaugeMetricFamily(
            "ovc_room_connections", "Connected participants (all processes)", connections.count()
        )
        yield from self.jobs()
        yield GaugeMetricFamily(
            "ovc_exports_failed",
            "Exports to the case file that gave up",
            value=Export.objects.filter(state=ExportState.FAILED).count(),
        )
        yield GaugeMetricFamily(
            "ovc_notifications_failed",
            "E-mails and text messages that could not be sent",
            value=Message.objects.filter(state=MessageState.FAILED).count(),
        )

    def jobs(self) -> Iterator[GaugeMetricFamily]:
        now = timezone.now()
        due = Job.objects.filter(state=JobState.QUEUED, run_at__lte=now)
        depth = GaugeMetricFamily("ovc_jobs_due", "Background jobs due and not yet running")
        depth.add_metric([], due.count())
        yield depth
        oldest = due.aggregate(oldest=Min("run_at"))["oldest"]
        yield GaugeMetricFamily(
            "ovc_jobs_oldest_due_seconds",
            "How long the oldest due job has waited",
            value=(now - oldest).total_seconds() if oldest else 0.0,
        )
        yield GaugeMetricFamily(
            "ovc_jobs_failed",
            "Background jobs that gave up",
            value=Job.objects.filter(state=JobState.FAILED).count(),
        )
        beat = worker_last_heartbeat()
        yield GaugeMetricFamily(
            "ovc_jobs_worker_heartbeat_age_seconds",
            "Age of the newest job worker heartbeat (-1: no worker has reported)",
            value=(now - beat).total_seconds() if beat else -1.0,
        )


class CaptionWorkersCollector(Collector):
    """This process's speech-recognition workers (started on the first captioned call)."""

    def describe(self) -> list[GaugeMetricFamily]:
        return []

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from videocontact.language.stt import service  # read only: never starts the pool

        workers = service._pool.workers if service._pool is not None else []
        alive = GaugeMetricFamily(
            "ovc_caption_workers", "Speech-recognition worker processes", labels=["state"]
        )
        alive.add_metric(["alive"], sum(1 for w in workers if w.process.is_alive()))
        alive.add_metric(["busy"], sum(1 for w in workers if w.lock.locked()))
        alive.add_metric(["started"], len(workers))
        yield alive


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Off unless METRICS_TOKEN is set; then the scraper sends it as a bearer token."""
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404("metrics are off")
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not hmac.compare_digest(sent.encode(), token.encode()):
        return HttpResponse("a bearer token is needed\n", status=401, content_type="text/plain")
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
