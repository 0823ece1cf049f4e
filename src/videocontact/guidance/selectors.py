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
    """Videos and pages for the audience in the language. Each kind falls back to Dutch on its
    own: Arabic help pages do not hide the Dutch instruction video when there is no Arabic one.
    `language` is the language most of the section is in (each item also carries its own)."""
    fallbacks = list(dict.fromkeys([language, settings.LANGUAGE_CODE]))
    videos: list[HelpVideo] = _first_language(
        _visible(HelpVideo.objects.all(), audience, organisation), fallbacks
    )
    pages: list[HelpPage] = _first_language(
        _visible(HelpPage.objects.all(), audience, organisation), fallbacks
    )
    main = pages[0].language if pages else videos[0].language if videos else language
    return Help(language=main, videos=videos, pages=pages)


def _first_language(qs: QuerySet[Any], languages: list[str]) -> list[Any]:
    for code in languages:
        items = list(qs.filter(language=code))
        if items:
            return items
    return []


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
