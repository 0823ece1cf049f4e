"""The OpenAPI schema: the committed file is the generated one, and the API keeps it.

The property-based part (schemathesis) sends generated requests, valid and invalid, to every
operation through the WSGI application and checks: never a 5xx, the status code, content type,
headers and body of every answer match the schema. Bounded by MAX_EXAMPLES per operation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck, settings

from tests import factories
from tests.api.conftest import make_api_client
from videocontact.accounts.models import Role

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "openapi" / "v1.yaml"
MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "20"))

schema = schemathesis.openapi.from_wsgi("/api/v1/schema", get_wsgi_application())
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]


def test_committed_schema_is_the_generated_one() -> None:
    served = Client().get("/api/v1/schema")
    assert served.status_code == 200
    assert served.content.decode() == SCHEMA_FILE.read_text(), (
        "docs/openapi/v1.yaml is stale: run `make openapi`"
    )
    # No translated titles: every language gets the same schema.
    for language in ("en", "ar"):
        assert (
            Client().get("/api/v1/schema", HTTP_ACCEPT_LANGUAGE=language).content == served.content
        )


def test_reference_page_has_no_inline_script() -> None:
    from tests.helpers import inline_script_problems

    page = Client().get("/api/v1/docs")
    assert page.status_code == 200
    assert inline_script_problems(page.content.decode()) == []
    assert "cdn" not in page.content.decode().lower()
    script = Client().get("/api/v1/docs?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.fixture
def world(db: None, keep_db_connection: None) -> dict[str, Any]:
    organisation = factories.make_organisation()
    unit = factories.make_unit(organisation=organisation)
    process = factories.make_process(unit=unit)
    caseworker = factories.make_user(unit=unit, role=Role.CASEWORKER, username="sanne")
    visit, _ = factories.make_visit(process=process, caseworker=caseworker)
    _, secret = make_api_client(organisation=organisation, units=[unit], rate=10**9)
    return {"visit": visit, "process": process, "auth": f"Bearer {secret}"}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_keeps_its_schema(case: Any, world: dict[str, Any]) -> None:
    params = case.path_parameters or {}
    # Half of the generated visit ids become the real visit, so found objects are tested too.
    if "visit_id" in params and str(params["visit_id"])[-1:] in "02468ace":
        params["visit_id"] = str(world["visit"].id)
    # Half of the generated plans name the real process and caseworker, so that the planning
    # itself (contact details, guests, times, languages) meets generated data too.
    body = case.body
    real = case.method == "POST" and isinstance(body, dict) and "process" in body
    if real and len(str(body)) % 2 == 0:
        body["process"], body["caseworker"] = world["process"].id, "sanne"
    headers = dict(case.headers or {})
    headers["Authorization"] = world["auth"]  # generated credentials only get 401s
    case.headers = headers
    case.call_and_validate(checks=CHECKS)
