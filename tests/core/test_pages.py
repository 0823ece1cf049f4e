"""Every rendered page: security headers, and no script that the CSP would have to allow inline."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.helpers import csp_directives, inline_script_problems
from videocontact.accounts.models import Process, User
from videocontact.visits import services
from videocontact.visits.models import Visit

pytestmark = pytest.mark.django_db

Pages = dict[str, Any]  # page name -> test client response


@pytest.fixture
def pages(visit: Visit, token: str, process: Process, caseworker: User) -> Pages:
    """One response per kind of page, resident and staff, happy and unhappy."""
    got: Pages = {}
    anonymous = Client()
    got["login"] = anonymous.get("/accounts/login/")
    got["404"] = anonymous.get("/does-not-exist")
    got["link unknown"] = anonymous.get("/j/" + "x" * 32, follow=True)
    got["no session"] = anonymous.get(f"/v/{visit.id}/consent")
    _, early = factories.make_visit(
        process=process, caseworker=caseworker, scheduled_at=timezone.now() + timedelta(days=1)
    )
    got["link early"] = anonymous.get(f"/j/{early.token}", follow=True)
    got["healthz"] = anonymous.get("/healthz")

    resident = Client()
    got["join"] = resident.get(f"/j/{token}")
    got["consent"] = resident.get(f"/v/{visit.id}/consent")
    got["consent 400"] = resident.post(f"/v/{visit.id}/consent", {"decision": "?"})
    resident.post(f"/v/{visit.id}/consent", {"decision": "accept"})
    got["check"] = resident.get(f"/v/{visit.id}/check")
    got["resident call"] = resident.get(f"/v/{visit.id}/call")

    decliner_visit, decliner_issued = factories.make_visit(process=process, caseworker=caseworker)
    decliner = Client()
    decliner.get(f"/j/{decliner_issued.token}")
    decliner.post(f"/v/{decliner_visit.id}/consent", {"decision": "decline"})
    got["declined"] = decliner.get(f"/v/{decliner_visit.id}/declined")

    staff = Client()
    staff.force_login(caseworker)
    got["dashboard"] = staff.get("/staff/")
    got["visit new"] = staff.get("/staff/visits/new")
    created = staff.post(
        "/staff/visits/new",
        {"process": process.pk, "resident_name": "Piet", "resident_language": "nl", "when": "now"},
    )
    got["visit detail with link"] = staff.get(created["Location"])
    got["visit detail"] = staff.get(f"/staff/visits/{visit.id}/")
    got["staff call"] = staff.get(f"/staff/visits/{visit.id}/call")

    services.visit_end(visit=visit, by_user=caseworker)
    got["ended"] = resident.get(f"/v/{visit.id}/call")
    got["link closed"] = anonymous.get(f"/j/{token}", follow=True)
    return got


def test_no_page_is_a_server_error(pages: Pages) -> None:
    statuses = {name: r.status_code for name, r in pages.items()}
    assert statuses == {
        "login": 200,
        "404": 404,
        "link unknown": 404,
        "no session": 403,
        "link early": 200,
        "healthz": 200,
        "join": 302,
        "consent": 200,
        "consent 400": 400,
        "check": 200,
        "resident call": 200,
        "declined": 200,
        "dashboard": 200,
        "visit new": 200,
        "visit detail with link": 200,
        "visit detail": 200,
        "staff call": 200,
        "ended": 200,
        "link closed": 410,
    }


def test_content_security_policy_on_every_page(pages: Pages) -> None:
    for name, response in pages.items():
        csp = csp_directives(response["Content-Security-Policy"])
        script_src = csp.get("script-src", csp.get("default-src"))
        assert script_src == ["'self'"], name
        assert "'unsafe-inline'" not in csp.get("style-src", []), name
        assert not any("unsafe" in source for sources in csp.values() for source in sources), name
        assert csp["frame-ancestors"] == ["'none'"], name
        assert csp["object-src"] == ["'none'"], name
        assert csp["base-uri"] == ["'none'"], name
        assert csp["default-src"] == ["'self'"], name


def test_other_security_headers_on_every_page(pages: Pages) -> None:
    for name, response in pages.items():
        assert response["X-Frame-Options"] == "DENY", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        # never the path (which may hold a token) to another origin
        assert response["Referrer-Policy"] in ("no-referrer", "same-origin"), name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name
        assert "camera=(self)" in response["Permissions-Policy"], name
        assert "geolocation=()" in response["Permissions-Policy"], name


def test_private_pages_are_not_cached(pages: Pages) -> None:
    for name in [
        "join",
        "consent",
        "check",
        "resident call",
        "dashboard",
        "visit detail",
        "visit detail with link",
        "staff call",
        "no session",
    ]:
        assert "no-store" in pages[name]["Cache-Control"], name


def test_no_inline_script_in_any_page(pages: Pages) -> None:
    for name, response in pages.items():
        if response["Content-Type"].startswith("text/html"):
            assert inline_script_problems(response.content.decode()) == [], name


def test_the_script_scanner_finds_inline_script() -> None:
    assert inline_script_problems('<script src="/a.js"></script>') == []
    assert inline_script_problems('<script type="application/json">{}</script>') == []
    assert inline_script_problems("<script>alert(1)</script>")
    assert inline_script_problems('<script type="module">import "x"</script>')
    assert inline_script_problems('<button onclick="go()">')
    assert inline_script_problems('<a href=" JavaScript:go()">')


def test_the_join_redirect_sends_no_referrer_at_all(pages: Pages) -> None:
    assert pages["join"]["Referrer-Policy"] == "no-referrer"


def test_session_cookie_is_secure_and_http_only(pages: Pages) -> None:
    cookie = pages["join"].cookies["vc_session"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
