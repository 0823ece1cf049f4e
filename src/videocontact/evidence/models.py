"""Evidence gathered during a visit: photos from the resident's camera, encrypted at rest."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PhotoKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    # The DPIA-gated identity document check: watermarked when stored, maskable (idcheck.py).
    ID_DOCUMENT = "id-document", _("Copy of an identity document")


class PhotoRequest(models.Model):
    """The caseworker pressed 'take photo'. A photo can only be uploaded against one of these."""

    kind = models.CharField(max_length=12, choices=PhotoKind.choices, default=PhotoKind.PHOTO)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    visit = models.ForeignKey(
        "visits.Visit", on_delete=models.CASCADE, related_name="photo_requests"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    target = models.ForeignKey(
        "visits.Participant", on_delete=models.CASCADE, related_name="photo_requests"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The questionnaire question ("show the damp spot") the photo answers; empty: none.
    question_id = models.CharField(max_length=64, blank=True, default="")
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    failed_reason = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"photo request {self.pk}"


class Photo(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    visit = models.ForeignKey("visits.Visit", on_delete=models.CASCADE, related_name="photos")
    request = models.OneToOneField(
        PhotoRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="photo"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    captured_by = models.ForeignKey(
        "visits.Participant", null=True, blank=True, on_delete=models.SET_NULL
    )
    captured_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    question_id = models.CharField(_("question"), max_length=64, blank=True, default="")
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    blob_name = models.CharField(max_length=200, unique=True)
    key_id = models.CharField(max_length=40)
    discarded_at = models.DateTimeField(null=True, blank=True)
    discarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(max_length=12, choices=PhotoKind.choices, default=PhotoKind.PHOTO)
    # An ID copy whose areas were masked: the image (and its hash) is the masked one since then.
    masked_at = models.DateTimeField(null=True, blank=True)
    masked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["captured_at", "received_at"]

    def __str__(self) -> str:
        return f"photo {self.pk} ({self.width}x{self.height})"

    @property
    def is_discarded(self) -> bool:
        return self.discarded_at is not None
