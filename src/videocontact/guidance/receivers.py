"""Files of help videos go when the video goes, or when the admin replaces them."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver

from videocontact.guidance.models import HelpVideo


@receiver(post_delete, sender=HelpVideo)
def delete_files(sender: type[HelpVideo], instance: HelpVideo, **kwargs: Any) -> None:
    for field in (instance.file, instance.captions, instance.poster):
        if field:
            field.delete(save=False)


@receiver(pre_save, sender=HelpVideo)
def delete_replaced_files(sender: type[HelpVideo], instance: HelpVideo, **kwargs: Any) -> None:
    if not instance.pk:
        return
    old = HelpVideo.objects.filter(pk=instance.pk).first()
    if old is None:
        return
    for name in ("file", "captions", "poster"):
        before, after = getattr(old, name), getattr(instance, name)
        if before and before.name != (after.name if after else None):
            before.delete(save=False)
