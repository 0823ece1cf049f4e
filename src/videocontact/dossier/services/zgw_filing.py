"""Filing into the ZGW Documenten and Zaken APIs: the zaak, one document per item, the link; never a duplicate on retry."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from videocontact.dossier import zgw
from videocontact.dossier.models import (
    Export,
    ExportItem,
    ExportState,
)
from videocontact.dossier.services.common import (
    ExportRefused,
    ExportUnavailable,
    _content,
    _item_save,
)
from videocontact.dossier.services.targets import zgw_config
from videocontact.evidence.models import Photo
from videocontact.privacy.audit import audit


def _run_zgw(export: Export, secret: str) -> None:
    with zgw.ZgwClient(zgw_config(export.target, secret)) as client:
        try:
            zaak = export.zaak_url or _resolve_zaak(client, export)
            for item in export.items.exclude(state__in=[ExportState.SENT, ExportState.FAILED]):
                try:
                    _file_item(client, export, item, zaak)
                except zgw.ZgwRefused as exc:
                    if exc.status in (401, 403):
                        raise  # the credentials or the authorisations, not this document
                    _item_save(item, state=ExportState.FAILED, error=exc.reason[:2000])
                except ExportRefused as exc:
                    _item_save(item, state=ExportState.FAILED, error=str(exc)[:2000])
        except zgw.ZgwUnavailable as exc:
            raise ExportUnavailable(exc.reason) from exc
        except zgw.ZgwRefused as exc:
            raise ExportRefused(_refusal(exc)) from exc


def _refusal(exc: zgw.ZgwError) -> str:
    if exc.status in (401, 403):
        return (
            f"the API refused the client id or its authorisations (HTTP {exc.status}): {exc.reason}"
        )
    return exc.reason


def _resolve_zaak(client: zgw.ZgwClient, export: Export) -> str:
    reference = export.visit.case_reference.strip()
    if not reference:
        raise ExportRefused("the visit has no case reference (zaak URL or identificatie)")
    if reference.startswith(("https://", "http://")):
        zaak = reference
    else:
        found = client.find_zaak(
            identificatie=reference, bronorganisatie=export.target.bronorganisatie
        )
        if found is None:
            raise ExportRefused(
                f"no zaak with identificatie {reference!r} of bronorganisatie "
                f"{export.target.bronorganisatie} in the Zaken API"
            )
        zaak = found
    Export.objects.filter(pk=export.pk).update(zaak_url=zaak)
    export.zaak_url = zaak
    return zaak


def _document(item: ExportItem, export: Export, data: bytes, photo: Photo | None) -> zgw.DocumentIn:
    visit, report, target = export.visit, export.report, export.target
    caseworker = visit.caseworker
    auteur = caseworker.get_full_name() or caseworker.get_username()
    visit_day = timezone.localdate(visit.started_at or visit.created_at)
    common: dict[str, Any] = {
        "identificatie": item.identificatie,
        "bronorganisatie": target.bronorganisatie,
        "informatieobjecttype": target.informatieobjecttype,
        "vertrouwelijkheidaanduiding": target.vertrouwelijkheidaanduiding,
        "auteur": auteur[:200],
        "content": data,
        "sha256": item.sha256,
    }
    if photo is None:
        ready = timezone.localdate(report.ready_at or timezone.now())
        return zgw.DocumentIn(
            **common,
            titel=f"Verslag videogesprek {visit_day:%d-%m-%Y} (versie {report.number})",
            bestandsnaam=report.filename,
            formaat="application/pdf",
            creatiedatum=ready,
            signed_on=ready if report.sealed else None,
            beschrijving=f"{visit.process.name}. Verzegeld verslag, SHA-256 {report.sha256}.",
        )
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(
        photo.content_type, "bin"
    )
    return zgw.DocumentIn(
        **common,
        titel=f"Foto {item.position} bij videogesprek {visit_day:%d-%m-%Y}",
        bestandsnaam=f"foto-{item.position}.{extension}",
        formaat=photo.content_type,
        creatiedatum=timezone.localdate(photo.captured_at),
        beschrijving=photo.caption,
    )


def _file_item(client: zgw.ZgwClient, export: Export, item: ExportItem, zaak: str) -> None:
    target = export.target
    if not item.document_url:
        found = client.find_document(
            bronorganisatie=target.bronorganisatie, identificatie=item.identificatie
        )
        if found is not None:
            if found.sha256 and found.sha256 != item.sha256:
                raise ExportRefused(
                    f"{item.identificatie}: a different document with this identificatie "
                    f"already exists ({found.url})"
                )
            url = found.url
        else:
            data, photo = _content(item, export, purpose="export:zgw")
            url = client.create_document(_document(item, export, data, photo))
        _item_save(item, document_url=url)
    if not item.link_url:
        link = client.find_link(zaak=zaak, informatieobject=item.document_url)
        if link is None:
            link = client.create_link(zaak=zaak, informatieobject=item.document_url)
        _item_save(item, link_url=link)
    with transaction.atomic():
        _item_save(item, state=ExportState.SENT, error="", sent_at=timezone.now())
        audit(
            action="export.document_filed",
            obj=export,
            visit_id=export.visit_id,
            identificatie=item.identificatie,
            document=item.document_url,
            link=item.link_url,
            sha256=item.sha256,
        )
