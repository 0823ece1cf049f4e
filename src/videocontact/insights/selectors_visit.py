"""Small reads for one visit or participant (panels on other apps' pages)."""

from __future__ import annotations

from typing import Any

from videocontact.insights.models import Rating, TechCheck


def has_rated(participant: Any) -> bool:
    return Rating.objects.filter(participant=participant).exists()


def rating_count(visit: Any) -> int:
    return Rating.objects.filter(visit=visit).count()


def tech_check_of(visit: Any, user: Any) -> TechCheck | None:
    return TechCheck.objects.filter(visit=visit, user=user).first()
