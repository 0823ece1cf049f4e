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

    kind = models.CharField(
        max_length=12, choices=PhotoKind.choices, default=PhotoKind.PHOTO, verbose_name=_("kind")
    )

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("ID")
    )
    visit = models.ForeignKey(
        "visits.Visit",
        on_delete=models.CASCADE,
        related_name="photo_requests",
        verbose_name=_("visit"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("requested by")
    )
    target = models.ForeignKey(
        "visits.Participant",
        on_delete=models.CASCADE,
        related_name="photo_requests",
        verbose_name=_("target"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    # The questionnaire question ("show the damp spot") the photo answers; empty: none.
    question_id = models.CharField(
        max_length=64, blank=True, default="", verbose_name=_("question")
    )
    fulfilled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("fulfilled at"))
    failed_reason = models.CharField(max_length=80, blank=True, verbose_name=_("reason it failed"))

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("photo request")
        verbose_name_plural = _("photo requests")

    def __str__(self) -> str:
        return f"photo request {self.pk}"


class Photo(models.Model):
    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("ID")
    )
    visit = models.ForeignKey(
        "visits.Visit", on_delete=models.CASCADE, related_name="photos", verbose_name=_("visit")
    )
    request = models.OneToOneField(
        PhotoRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="photo",
        verbose_name=_("photo request"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("requested by"),
    )
    captured_by = models.ForeignKey(
        "visits.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("taken by"),
    )
    captured_at = models.DateTimeField(verbose_name=_("taken at"))
    received_at = models.DateTimeField(auto_now_add=True, verbose_name=_("received at"))
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    question_id = models.CharField(_("question"), max_length=64, blank=True, default="")
    content_type = models.CharField(max_length=40, verbose_name=_("file type"))
    width = models.PositiveIntegerField(verbose_name=_("width"))
    height = models.PositiveIntegerField(verbose_name=_("height"))
    size = models.PositiveIntegerField(verbose_name=_("size (bytes)"))
    sha256 = models.CharField(max_length=64, verbose_name=_("hash (SHA-256)"))
    blob_name = models.CharField(
        max_length=200, unique=True, verbose_name=_("file name in the vault")
    )
    key_id = models.CharField(max_length=40, verbose_name=_("key ID"))
    discarded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("discarded at"))
    discarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("discarded by"),
    )
    kind = models.CharField(
        max_length=12, choices=PhotoKind.choices, default=PhotoKind.PHOTO, verbose_name=_("kind")
    )
    # An ID copy whose areas were masked: the image (and its hash) is the masked one since then.
    masked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("masked at"))
    masked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("masked by"),
    )

    class Meta:
        ordering = ["captured_at", "received_at"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return f"photo {self.pk} ({self.width}x{self.height})"

    @property
    def is_discarded(self) -> bool:
        return self.discarded_at is not None
