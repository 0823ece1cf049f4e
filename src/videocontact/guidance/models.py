"""Help inside the app: instruction videos and short help pages, per audience and language."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from videocontact.accounts.models import Organisation


class Audience(models.TextChoices):
    RESIDENT = "resident", _("Residents and guests")
    STAFF = "staff", _("Staff")


class HelpItem(models.Model):
    title = models.CharField(_("title"), max_length=160)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="nl"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty: shown for every organisation."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_language_display()}, {self.get_audience_display()})"


class HelpVideo(HelpItem):
    """An instruction video (MP4 or WebM, checked by content) with optional WebVTT captions."""

    file = models.FileField(_("video file (MP4 or WebM)"), upload_to="guidance/videos/")
    content_type = models.CharField(max_length=20, editable=False, verbose_name=_("file type"))
    size = models.PositiveBigIntegerField(default=0, editable=False, verbose_name=_("size (bytes)"))
    sha256 = models.CharField(max_length=64, editable=False, verbose_name=_("hash (SHA-256)"))
    captions = models.FileField(
        _("captions (WebVTT)"),
        upload_to="guidance/captions/",
        blank=True,
        help_text=_("Subtitles for people who cannot hear the sound (a .vtt file)."),
    )
    # A still from the video, shown before play (the page loads no video bytes until then).
    poster = models.FileField(
        upload_to="guidance/posters/", blank=True, editable=False, verbose_name=_("poster image")
    )

    class Meta(HelpItem.Meta):
        verbose_name = _("help video")
        verbose_name_plural = _("help videos")


class HelpPage(HelpItem):
    """A short help text: paragraphs, lists, **bold** and *italic*; everything else is escaped."""

    body = models.TextField(
        _("text"),
        max_length=20_000,
        help_text=_(
            "Plain text. An empty line starts a new paragraph. Lines starting with '- ' make a "
            "list, '1. ' a numbered list. **bold** and *italic* work; other markup is shown as "
            "typed."
        ),
    )

    class Meta(HelpItem.Meta):
        verbose_name = _("help page")
        verbose_name_plural = _("help pages")
