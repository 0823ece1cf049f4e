"""Functional administrators set per process what the report holds and see the seal certificate
(imported with `manage.py import_seal_certificate`; the key is never shown)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from videocontact.reports.models import Report, ReportSettings, SealCertificate


@admin.register(ReportSettings)
class ReportSettingsAdmin(admin.ModelAdmin):
    list_display = ("process", "include_notes", "resident_copy")
    list_filter = ("include_notes", "resident_copy")


@admin.register(SealCertificate)
class SealCertificateAdmin(admin.ModelAdmin):
    list_display = ("organisation", "subject", "not_valid_after", "fingerprint_sha256")
    fields = (
        "organisation",
        "subject",
        "issuer",
        "serial_number",
        "fingerprint_sha256",
        "not_valid_before",
        "not_valid_after",
        "chain_pem",
        "imported_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("visit", "number", "state", "created_at", "ready_at", "size")
    list_filter = ("state",)
    exclude = ("blob_name", "key_id")

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [f.name for f in Report._meta.fields if f.name not in self.exclude]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
