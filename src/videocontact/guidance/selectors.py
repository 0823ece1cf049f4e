"""Read side of guidance: the help shown to an audience in a language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from videocontact.guidance.models import HelpPage, HelpVideo


@dataclass(frozen=True)
class Help:
    language: str
    videos: list[HelpVideo]
    pages: list[HelpPage]

    def __bool__(self) -> bool:
        return bool(self.videos or self.pages)


def _visible(qs: QuerySet[Any], audience: str, organisation: Any) -> QuerySet[Any]:
    scope = Q(organisation__isnull=True)
    if organisation is not None:
        scope |= Q(organisation=organisation)
    return qs.filter(scope, published=True, audience=audience)


def help_for(*, audience: str, language: str, organisation: Any = None) -> Help:
    """Videos and pages for the audience in the language; with none there, in Dutch."""
    for code in dict.fromkeys([language, settings.LANGUAGE_CODE]):
        videos = list(
            _visible(HelpVideo.objects.all(), audience, organisation).filter(language=code)
        )
        pages = list(_visible(HelpPage.objects.all(), audience, organisation).filter(language=code))
        if videos or pages:
            return Help(language=code, videos=videos, pages=pages)
    return Help(language=language, videos=[], pages=[])


def video_published(pk: int) -> HelpVideo | None:
    return HelpVideo.objects.filter(pk=pk, published=True).first()


def staff_may_watch(user: Any, video: HelpVideo) -> bool:
    """Staff help is for signed-in staff of the video's organisation (or of any, when the video
    belongs to none)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if video.organisation_id is None:
        return True
    return user.memberships.filter(unit__organisation_id=video.organisation_id).exists()
