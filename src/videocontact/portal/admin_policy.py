"""Who may do what in the Django admin, in one table (issue 13 "Roles that do something", issue 16
"only what each role may change").

- A **superuser** (the operator) keeps Django's own behaviour.
- A **functional administrator** manages the configuration of their own organisation
  (processes, texts, questionnaires, help, exports, API clients, users) and sees a few
  delivery logs; never the evidence (answers, photos, reports, notes, exports of reports, the
  audit trail's details, jobs' payloads).
- A **privacy officer** keeps the DPIA registry and sees legal holds, retention clocks and
  storage approvals of their own organisation (approving is on their own pages).
- A **team lead** and a **caseworker** have nothing to edit: no admin at all.
- Every model not in the table is for the superuser only. Staff of one organisation never see
  another organisation's objects: each queryset and every choice of a related object is
  narrowed to the organisations where the user has the role that grants the model.

`install()` wraps each registered ModelAdmin (and its inlines) once, at start-up. It also makes
a bulk delete ("delete selected") write one audit event per object, as a single delete does:
Django logs a bulk delete with `bulk_create`, which sends no `post_save`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import admin
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest

from videocontact.accounts.models import Organisation, Role

ALL = frozenset({"view", "add", "change", "delete"})
EDIT = frozenset({"view", "add", "change"})  # deleting is done by the operator
CHANGE = frozenset({"view", "change"})
VIEW = frozenset({"view"})
FA, PO = Role.FUNCTIONAL_ADMIN.value, Role.PRIVACY_OFFICER.value


@dataclass(frozen=True)
class Rule:
    org_path: str  # from the model to its Organisation ("" = the model is the organisation)
    roles: dict[str, frozenset[str]] = field(default_factory=dict)


PROCESS = "process__unit__organisation"
POLICY: dict[str, Rule] = {
    # Configuration: the functional administrator's own organisation.
    "accounts.organisation": Rule("", {FA: CHANGE}),
    "accounts.unit": Rule("organisation", {FA: EDIT}),
    "accounts.process": Rule("unit__organisation", {FA: EDIT}),
    "accounts.user": Rule("memberships__unit__organisation", {FA: EDIT}),
    "accounts.membership": Rule("unit__organisation", {FA: ALL}),
    "questionnaires.questionnairetemplate": Rule(PROCESS, {FA: EDIT}),
    "questionnaires.templateversion": Rule("template__" + PROCESS, {FA: VIEW}),
    "notifications.messagingsettings": Rule(PROCESS, {FA: EDIT}),
    "notifications.messagetext": Rule(PROCESS, {FA: ALL}),
    "notifications.message": Rule("participant__visit__" + PROCESS, {FA: VIEW}),
    "guidance.helppage": Rule("organisation", {FA: ALL}),
    "guidance.helpvideo": Rule("organisation", {FA: ALL}),
    "reports.reportsettings": Rule(PROCESS, {FA: EDIT}),
    "reports.sealcertificate": Rule("organisation", {FA: VIEW}),
    "dossier.exporttarget": Rule(PROCESS, {FA: EDIT}),
    "language.captionsettings": Rule(PROCESS, {FA: EDIT}),
    "signin.grouprolemapping": Rule("unit__organisation", {FA: ALL}),
    "signin.organisationsigninpolicy": Rule("organisation", {FA: CHANGE}),
    "api.apiclient": Rule("organisation", {FA: EDIT}),
    "api.webhookendpoint": Rule("client__organisation", {FA: EDIT}),
    "api.webhookdelivery": Rule("endpoint__client__organisation", {FA: VIEW}),
    # The privacy officer's registry and overviews.
    "privacy.dpia": Rule("organisation", {PO: EDIT}),
    "privacy.legalhold": Rule("visit__" + PROCESS, {PO: VIEW}),
    "privacy.retentionclock": Rule("visit__" + PROCESS, {PO: VIEW}),
    "privacy.storageapproval": Rule(PROCESS, {PO: VIEW}),
    # Whether the location check may store a resident's coordinates is a storage decision: the
    # privacy officer makes it; the functional administrator sees it.
    "checks.locationsettings": Rule(PROCESS, {PO: CHANGE, FA: VIEW}),
}
# Evidence and logs with personal data stay out of everyone's admin but the operator's:
# reports.Report, dossier.Export, privacy.AuditEvent, jobs.Job, questionnaires answers and
# notes, evidence photos, sessions, passkeys, SSO identities, sign-in attempts.


def _roles(request: HttpRequest) -> dict[str, set[int]]:
    """role → organisation ids, once per request."""
    cached = getattr(request, "_admin_roles", None)
    if cached is None:
        cached = {}
        user = request.user
        if getattr(user, "is_authenticated", False):
            for role, org_id in user.memberships.values_list(  # type: ignore[union-attr]
                "role", "unit__organisation_id"
            ):
                cached.setdefault(role, set()).add(org_id)
        request._admin_roles = cached  # type: ignore[attr-defined]
    return cached


def organisations_for(request: HttpRequest, label: str, action: str = "view") -> set[int]:
    rule = POLICY.get(label)
    if rule is None:
        return set()
    found: set[int] = set()
    for role, org_ids in _roles(request).items():
        if action in rule.roles.get(role, frozenset()):
            found |= org_ids
    return found


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


def _is_operator(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_superuser", False))


def scope(queryset: QuerySet[Any], org_ids: set[int], org_path: str) -> QuerySet[Any]:
    if not org_path:
        return queryset.filter(pk__in=org_ids)
    narrowed = queryset.filter(**{f"{org_path}__in": org_ids})
    if _label(queryset.model) == "accounts.user":
        # no superusers; accounts without any role yet (just added) stay reachable
        orphans = Q(memberships__isnull=True)
        narrowed = queryset.filter(Q(**{f"{org_path}__in": org_ids}) | orphans)
        narrowed = narrowed.filter(is_superuser=False)
    return narrowed.distinct() if "__" in org_path else narrowed


def allowed(request: HttpRequest, model: type[Model], action: str, obj: Any = None) -> bool:
    label = _label(model)
    org_ids = organisations_for(request, label, action)
    if not org_ids:
        return False
    if obj is None:
        return True
    return scope(model._default_manager.filter(pk=obj.pk), org_ids, POLICY[label].org_path).exists()


def scoped_related(
    request: HttpRequest, model: type[Model], related: type[Model], queryset: QuerySet[Any]
) -> Any:
    """The choices of a related object on `model`'s form: only those of the organisations where
    the user has the role that grants `model`."""
    rule = POLICY.get(_label(related))
    if rule is None:
        return queryset
    return scope(queryset, organisations_for(request, _label(model)), rule.org_path)


# Installing ----------------------------------------------------------------------------------

USER_LOCKED_FIELDS = ("is_superuser", "groups", "user_permissions", "last_login", "date_joined")


def _wrap(model_admin: Any) -> None:
    if getattr(model_admin, "_policy_installed", False):
        return
    model = model_admin.model
    original = {
        name: getattr(model_admin, name)
        for name in (
            "has_module_permission",
            "has_view_permission",
            "has_add_permission",
            "has_change_permission",
            "has_delete_permission",
            "get_queryset",
            "formfield_for_foreignkey",
            "formfield_for_manytomany",
            "get_readonly_fields",
        )
    }
    inline = isinstance(model_admin, admin.options.InlineModelAdmin)

    def permission(action: str) -> Any:
        name = f"has_{action}_permission"

        def check(request: HttpRequest, *args: Any) -> bool:
            # ModelAdmin.has_add_permission(request); every other one (request, obj=None)
            obj = None if (inline or not args) else args[0]
            answer = bool(original[name](request, *args))
            if _is_operator(request):
                return answer
            if not allowed(request, model, action, obj):
                return False
            return answer or _base_grants(model_admin, name)

        return check

    for action in ("view", "add", "change", "delete"):
        setattr(model_admin, f"has_{action}_permission", permission(action))

    def has_module_permission(request: HttpRequest) -> bool:
        if _is_operator(request):
            return bool(original["has_module_permission"](request))
        return bool(organisations_for(request, _label(model)))

    def get_queryset(request: HttpRequest) -> QuerySet[Any]:
        queryset = original["get_queryset"](request)
        if _is_operator(request):
            return queryset
        org_ids = organisations_for(request, _label(model))
        rule = POLICY.get(_label(model))
        if rule is None or not org_ids:
            return queryset.none()
        return scope(queryset, org_ids, rule.org_path)

    def formfield_for_foreignkey(db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        formfield = original["formfield_for_foreignkey"](db_field, request, **kwargs)
        if formfield is not None and not _is_operator(request):
            formfield.queryset = scoped_related(
                request, model, db_field.related_model, formfield.queryset
            )
            if db_field.related_model is Organisation:
                formfield.required = True  # no organisation would mean: for every organisation
        return formfield

    def formfield_for_manytomany(db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        formfield = original["formfield_for_manytomany"](db_field, request, **kwargs)
        if formfield is not None and not _is_operator(request):
            formfield.queryset = scoped_related(
                request, model, db_field.related_model, formfield.queryset
            )
        return formfield

    def get_readonly_fields(request: HttpRequest, obj: Any = None) -> Any:
        fields = list(original["get_readonly_fields"](request, obj))
        if _label(model) == "accounts.user" and not _is_operator(request):
            fields += [name for name in USER_LOCKED_FIELDS if name not in fields]
        return fields

    model_admin.has_module_permission = has_module_permission
    model_admin.get_queryset = get_queryset
    model_admin.formfield_for_foreignkey = formfield_for_foreignkey
    model_admin.formfield_for_manytomany = formfield_for_manytomany
    model_admin.get_readonly_fields = get_readonly_fields
    if not inline:
        _wrap_inlines(model_admin)
        _wrap_bulk_delete_log(model_admin)
    model_admin._policy_installed = True


def _no_obj(name: str, inline: bool) -> bool:
    return name == "has_add_permission" and not inline


def _base_grants(model_admin: Any, name: str) -> bool:
    """The role grants it, unless the ModelAdmin itself refuses it for everyone (a read-only
    log refuses change; the audit trail refuses add): then the refusal stands."""
    cls_method = getattr(type(model_admin), name)
    base = getattr(
        admin.ModelAdmin
        if not isinstance(model_admin, admin.options.InlineModelAdmin)
        else admin.options.InlineModelAdmin,
        name,
    )
    return cls_method is base  # not overridden: Django's check asked for permissions we replace


def _wrap_inlines(model_admin: Any) -> None:
    original = model_admin.get_inline_instances

    def get_inline_instances(request: HttpRequest, obj: Any = None) -> list[Any]:
        instances = original(request, obj)
        for instance in instances:
            _wrap(instance)
        return [i for i in instances if _is_operator(request) or i.has_view_permission(request)]

    model_admin.get_inline_instances = get_inline_instances


def _wrap_bulk_delete_log(model_admin: Any) -> None:
    original = model_admin.log_deletions

    def log_deletions(request: HttpRequest, queryset: Any) -> Any:
        entries = original(request, queryset)
        if isinstance(entries, list) and len(entries) > 1:  # bulk_create: no post_save sent
            from videocontact.privacy.receivers import audit_admin_entry

            for entry in entries:
                audit_admin_entry(entry)
        return entries

    model_admin.log_deletions = log_deletions


def install(site: admin.AdminSite | None = None) -> None:
    for model_admin in (site or admin.site)._registry.values():
        _wrap(model_admin)
