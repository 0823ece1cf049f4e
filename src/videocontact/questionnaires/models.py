"""Versioned questionnaire templates, the questionnaire of a visit, its answers and signatures."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from videocontact.accounts.models import Process


class ImmutableVersion(RuntimeError):
    """A template version that a visit used can no longer change: make a new version."""


class QuestionnaireTemplate(models.Model):
    process = models.ForeignKey(
        Process,
        on_delete=models.PROTECT,
        related_name="questionnaire_templates",
        verbose_name=_("process"),
    )
    code = models.SlugField(max_length=64, verbose_name=_("code"))
    name = models.CharField(_("name"), max_length=200)
    is_default = models.BooleanField(
        _("default for this process"),
        default=True,
        help_text=_("The questionnaire a caseworker starts in a call of this process."),
    )

    class Meta:
        unique_together = [("process", "code")]
        verbose_name = _("questionnaire template")
        verbose_name_plural = _("questionnaire templates")

    def __str__(self) -> str:
        return f"{self.name} ({self.process.name})"

    def latest_version(self) -> TemplateVersion | None:
        return self.versions.order_by("-number").first()


class TemplateVersion(models.Model):
    template = models.ForeignKey(
        QuestionnaireTemplate,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("questionnaire template"),
    )
    number = models.PositiveIntegerField(verbose_name=_("number"))
    definition = models.JSONField(verbose_name=_("definition"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("created by"),
    )

    class Meta:
        unique_together = [("template", "number")]
        ordering = ["template", "number"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("versions of questionnaires")

    def __str__(self) -> str:
        return f"{self.template.code} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.in_use:
            raise ImmutableVersion("this version was used by a visit; create a new version")
        super().save(*args, **kwargs)

    @property
    def in_use(self) -> bool:
        return self.pk is not None and self.questionnaires.exists()


class Questionnaire(models.Model):
    """The questionnaire of one visit."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("ID")
    )
    visit = models.OneToOneField(
        "visits.Visit",
        on_delete=models.CASCADE,
        related_name="questionnaire",
        verbose_name=_("visit"),
    )
    version = models.ForeignKey(
        TemplateVersion,
        on_delete=models.PROTECT,
        related_name="questionnaires",
        verbose_name=_("version"),
    )
    language = models.CharField(max_length=8, default="nl", verbose_name=_("language"))
    started_at = models.DateTimeField(auto_now_add=True, verbose_name=_("started at"))
    notes = models.TextField(_("internal notes"), blank=True, max_length=20000)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return f"questionnaire of {self.visit_id}"

    @property
    def current_signature(self) -> Signature | None:
        return self.signatures.filter(superseded_at__isnull=True).first()


class Answer(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("questionnaire"),
    )
    question_id = models.CharField(max_length=64, verbose_name=_("question"))
    value = models.JSONField(null=True, verbose_name=_("value"))
    version = models.PositiveIntegerField(default=0, verbose_name=_("version"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    updated_by = models.UUIDField(null=True, blank=True, verbose_name=_("updated by"))

    class Meta:
        unique_together = [("questionnaire", "question_id")]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.question_id} v{self.version}"


class Signature(models.Model):
    """A signature bound to the SHA-256 of exactly what was signed (`canonical`)."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="signatures",
        verbose_name=_("questionnaire"),
    )
    signer = models.ForeignKey(
        "visits.Participant", on_delete=models.PROTECT, verbose_name=_("signer")
    )
    strokes = models.JSONField(verbose_name=_("strokes"))
    png = models.BinaryField(verbose_name=_("image (PNG)"))
    canonical = models.TextField(verbose_name=_("signed text (canonical JSON)"))
    sha256 = models.CharField(max_length=64, verbose_name=_("hash (SHA-256)"))
    signed_at = models.DateTimeField(verbose_name=_("signed at"))
    superseded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("replaced at"))

    class Meta:
        ordering = ["-signed_at"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self) -> str:
        return f"signature {self.sha256[:12]}"
