"""DPIA-gated modules (issue 13): off until the organisation's privacy officer has recorded an
approved DPIA for the module and switched it on. Every switch is audited; a DPIA that stops being
approved switches its module off (audited too). Feature apps ask `module_enabled` before doing
anything the module covers; the gate sits in the base layer, so every app may ask it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from videocontact.core.errors import ServiceError
from videocontact.privacy.audit import audit
from videocontact.privacy.models import Dpia, DpiaStatus, GatedModule, ModuleSwitch


class ModuleError(ServiceError):
    def __init__(self, code: str, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


def approved_dpia(organisation_id: Any, module: str) -> Dpia | None:
    """The newest approved DPIA of this organisation that covers the module, if any."""
    return (
        Dpia.objects.filter(
            organisation_id=organisation_id, module=module, status=DpiaStatus.APPROVED
        )
        .order_by("-decided_at", "-updated_at")
        .first()
    )


def module_enabled(organisation_id: Any, module: str) -> bool:
    """On: switched on by the privacy officer, and an approved DPIA covers it right now."""
    switched_on = ModuleSwitch.objects.filter(
        organisation_id=organisation_id, module=module, enabled=True
    ).exists()
    return switched_on and approved_dpia(organisation_id, module) is not None


def module_states(organisation_id: Any) -> list[dict[str, Any]]:
    """Every gated module of an organisation: its DPIA and whether it is on (officer's page)."""
    switches = {
        s.module: s
        for s in ModuleSwitch.objects.filter(organisation_id=organisation_id).select_related(
            "changed_by"
        )
    }
    states = []
    for module in GatedModule:
        dpia = approved_dpia(organisation_id, module.value)
        switch = switches.get(module.value)
        states.append(
            {
                "module": module.value,
                "label": module.label,
                "dpia": dpia,
                "enabled": bool(switch and switch.enabled and dpia is not None),
                "switch": switch,
            }
        )
    return states


def _is_officer_of(user: Any, organisation_id: Any) -> bool:
    from videocontact.accounts.models import Role

    return bool(getattr(user, "is_authenticated", False)) and (
        user.memberships.filter(
            role=Role.PRIVACY_OFFICER, unit__organisation_id=organisation_id
        ).exists()
    )


@transaction.atomic
def module_switch(*, organisation: Any, module: str, enabled: bool, by_user: Any) -> ModuleSwitch:
    """The privacy officer switches a module on or off for their organisation (audited).
    On needs an approved DPIA of that organisation for that module."""
    if module not in GatedModule.values:
        raise ModuleError("unknown_module", "no such module", status=404)
    if not _is_officer_of(by_user, organisation.pk):
        raise ModuleError("forbidden", "only the privacy officer switches modules", status=403)
    dpia = approved_dpia(organisation.pk, module)
    if enabled and dpia is None:
        raise ModuleError(
            "dpia_missing", "record an approved DPIA for this module first", status=409
        )
    switch, _ = ModuleSwitch.objects.select_for_update().get_or_create(
        organisation=organisation, module=module
    )
    if switch.enabled == enabled:
        return switch
    switch.enabled = enabled
    switch.dpia = dpia if enabled else switch.dpia
    switch.changed_by = by_user
    switch.changed_at = timezone.now()
    switch.save()
    audit(
        action="module.enabled" if enabled else "module.disabled",
        obj=switch,
        actor_user=by_user,
        module=module,
        organisation=organisation.pk,
        dpia=dpia.pk if dpia else None,
        dpia_reference=dpia.document_reference if dpia else "",
    )
    return switch


@receiver(post_save, sender=Dpia, dispatch_uid="privacy.modules.dpia_saved")
def _dpia_saved(sender: Any, instance: Dpia, **_: Any) -> None:
    """A DPIA that is no longer approved (withdrawn, rejected, back to draft) switches off the
    module it covered, unless another approved DPIA still covers it."""
    if not instance.module or approved_dpia(instance.organisation_id, instance.module):
        return
    switches = ModuleSwitch.objects.filter(
        organisation_id=instance.organisation_id, module=instance.module, enabled=True
    )
    for switch in switches:
        switch.enabled = False
        switch.changed_at = timezone.now()
        switch.save(update_fields=["enabled", "changed_at"])
        audit(
            action="module.disabled",
            obj=switch,
            module=switch.module,
            organisation=instance.organisation_id,
            dpia=instance.pk,
            reason=f"dpia_{instance.status}",
        )
