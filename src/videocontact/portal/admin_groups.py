"""The admin's index grouped by task, not by Django app: a functional administrator looks for
"Berichten" or "Exporteren", not for "notifications" or "dossier". Each group lists only the
models the signed-in user may see (Django's own permission filtering stays in place)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# (group name, [app_label.ModelName, ...]) in the order a functional administrator works.
TASKS: list[tuple[Any, list[str]]] = [
    (_("Processes and teams"), ["accounts.Organisation", "accounts.Unit", "accounts.Process"]),
    (_("Users and roles"), ["accounts.User"]),
    (_("Questionnaires"), ["questionnaires.QuestionnaireTemplate"]),
    (_("Messages to residents"), ["notifications.MessagingSettings", "notifications.MessageText"]),
    (_("Help for residents"), ["guidance.HelpPage", "guidance.HelpVideo"]),
    (
        _("Reports and exports"),
        ["reports.ReportSettings", "reports.SealCertificate", "dossier.ExportTarget"],
    ),
    (
        _("Logs (read only)"),
        [
            "notifications.Message",
            "reports.Report",
            "dossier.Export",
            "privacy.AuditEvent",
            "privacy.RetentionClock",
            "jobs.Job",
        ],
    ),
]

_original = admin.AdminSite.get_app_list


def grouped_app_list(
    self: admin.AdminSite, request: HttpRequest, app_label: str | None = None
) -> list[dict[str, Any]]:
    apps = _original(self, request, app_label)
    if app_label is not None:
        return apps  # an app's own page stays as Django builds it
    models = {
        f"{app['app_label']}.{model['object_name']}": model
        for app in apps
        for model in app["models"]
    }
    groups: list[dict[str, Any]] = []
    placed: set[str] = set()
    for index, (name, keys) in enumerate(TASKS):
        found = [models[key] for key in keys if key in models]
        placed.update(key for key in keys if key in models)
        if found:
            groups.append(
                {"name": name, "app_label": f"task{index}", "app_url": "", "models": found}
            )
    rest = [model for key, model in models.items() if key not in placed]
    if rest:
        groups.append({"name": _("Other"), "app_label": "other", "app_url": "", "models": rest})
    return groups


def install() -> None:
    admin.AdminSite.get_app_list = grouped_app_list  # type: ignore[method-assign]
    admin.site.site_header = _("Open Videocontact: management")
    admin.site.site_title = _("Management")
    admin.site.index_title = _("What do you want to manage?")
