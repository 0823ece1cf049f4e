"""Contact details of a visit's participants past its term (messages keep no address)."""

from __future__ import annotations

import uuid

from django.db import transaction

from videocontact.notifications.models import Contact, Message
from videocontact.privacy.purge import register_purger


@transaction.atomic
def purge_contacts(visit_id: uuid.UUID) -> dict[str, int]:
    count, _ = Contact.objects.filter(participant__visit_id=visit_id).delete()
    Message.objects.filter(visit_id=visit_id).update(recipient_masked="", last_error="")
    return {"contacts": count}


register_purger("notifications", purge_contacts, order=40)
