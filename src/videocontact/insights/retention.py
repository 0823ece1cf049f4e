"""A rating's free text past the visit's term: a resident may have written a name or a story in
it. The scores stay; they are what the dashboards count, and they say nothing about anyone."""

from __future__ import annotations

import uuid

from django.db import transaction

from videocontact.insights.models import Rating
from videocontact.privacy.purge import register_purger


@transaction.atomic
def purge_rating_comments(visit_id: uuid.UUID) -> dict[str, int]:
    blanked = Rating.objects.filter(visit_id=visit_id).exclude(comment="").update(comment="")
    return {"comments": blanked}


register_purger("insights", purge_rating_comments, order=80)
