from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Prefetch

from videocontact.dossier.models import Export, ExportItem, ExportTarget, TargetKind


@dataclass(frozen=True)
class TargetStatus:
    target: ExportTarget
    export: Export | None  # the export of the latest report that has one
    items: list[ExportItem]

    @property
    def refused(self) -> int:
        return sum(item.state == "failed" for item in self.items)


def exports_for_visit(visit_id: uuid.UUID) -> list[Export]:
    return list(
        Export.objects.filter(visit_id=visit_id)
        .select_related("target", "report")
        .prefetch_related(Prefetch("items", queryset=ExportItem.objects.order_by("position")))
        .order_by("target__name", "-report__number")
    )


def export_of_visit(visit_id: uuid.UUID, export_id: uuid.UUID) -> Export | None:
    return Export.objects.filter(pk=export_id, visit_id=visit_id).select_related("target").first()


def export_status(visit_id: uuid.UUID, process_id: int) -> list[TargetStatus]:
    """Per filing target of the process: the export of the newest report, with its items."""
    latest: dict[int, Export] = {}
    for export in exports_for_visit(visit_id):
        latest.setdefault(export.target_id, export)
    targets = ExportTarget.objects.filter(process_id=process_id).exclude(kind=TargetKind.DOWNLOAD)
    status = []
    for target in targets.order_by("name"):
        export_of_target = latest.get(target.pk)
        if export_of_target is None and not target.enabled:
            continue
        status.append(
            TargetStatus(
                target=target,
                export=export_of_target,
                items=list(export_of_target.items.all()) if export_of_target else [],
            )
        )
    return status
