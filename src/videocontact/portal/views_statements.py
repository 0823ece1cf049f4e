"""The organisation's accessibility and privacy statements, linked from every page's footer.
Public: a resident reads them before they consent."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from videocontact.accounts.models import Organisation


def statement(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    request.organisation = organisation  # type: ignore[attr-defined]  # branding
    if kind == "toegankelijkheid":
        title, text = _("Accessibility statement"), organisation.accessibility_statement
    elif kind == "privacy":
        title, text = _("Privacy statement"), organisation.privacy_statement
    else:
        raise Http404("no such statement")
    if not text.strip():
        raise Http404("this organisation has not published this statement")
    return render(request, "portal/statement.html", {"title": title, "text": text})
