"""Demo data of the notifications app: messaging settings for every demo process, so that a
functional administrator finds them in the admin. The two-channel join stays off: without an
SMS provider (`SMS_BACKEND`) nobody could get a code in the demo."""

from __future__ import annotations

from videocontact.accounts.models import Process
from videocontact.notifications.models import MessagingSettings


def ensure_demo(processes: dict[str, Process]) -> None:
    for process in processes.values():
        MessagingSettings.objects.get_or_create(process=process)
