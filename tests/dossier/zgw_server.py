"""A local ZGW server on loopback: the parts of the Documenten API 1.5 and the Zaken API 1.5 that
the export uses, held to the official OpenAPI specifications.

Every request is validated against the spec with openapi-core (parameters, required headers such
as Accept-Crs, security, body schema) and so is every response this server sends, so a request the
real API would refuse fails the test, and so does a fake that drifts from the contract. On top of
the schemas it checks what the real APIs check: the JWT (HS256, ZGW claims), an RSIN that passes
the 11-test, a known informatieobjecttype, a unique identificatie per bronorganisatie, an
existing zaak and informatieobject, and one link per pair. What it accepts it stores.

Faults can be injected per call: a 500, a dropped connection before anything happens, or a lost
response (the document is created, then the connection drops).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import yaml
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCUMENTEN_SPEC = "documenten-api-1.5.0.openapi.yaml"
ZAKEN_SPEC = "zaken-api-1.5.1.openapi.yaml"
DOCUMENTEN_PREFIX = "/documenten/api/v1"
ZAKEN_PREFIX = "/zaken/api/v1"
CATALOGI_PREFIX = "/catalogi/api/v1"
JWT_CLAIMS = ("iss", "iat", "client_id", "user_id", "user_representation")


def specs_dir() -> Path:
    """The official specs, kept in the repository (specs/zgw), or $ZGW_SPECS_DIR to try others."""
    candidates = [os.environ.get("ZGW_SPECS_DIR", ""), str(REPO_ROOT / "specs" / "zgw")]
    for candidate in candidates:
        if candidate and (Path(candidate) / DOCUMENTEN_SPEC).is_file():
            return Path(candidate)
    raise FileNotFoundError(f"ZGW specs not found in any of {candidates}")


@cache
def _spec_dict(name: str) -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(specs_dir() / name, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)  # noqa: S506 (a safe loader)


def load_api(name: str, server_url: str) -> OpenAPI:
    """The spec as published, served from our address instead of the public one."""
    spec = dict(_spec_dict(name))
    spec["servers"] = [{"url": server_url}]
    # Error answers are application/problem+json: parse them as JSON to validate them too.
    config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    return OpenAPI.from_dict(spec, config=config)


def rsin_valid(value: str) -> bool:
    if len(value) != 9 or not value.isdigit():
        return False
    digits = [int(c) for c in value]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return total % 11 == 0


def _errors_of(exc: Exception) -> list[str]:
    """Short messages from an openapi-core error (never the whole, possibly huge, body)."""
    cause = exc.__cause__ or exc
    schema_errors = getattr(cause, "schema_errors", None)
    if schema_errors:
        return [
            f"{'/'.join(str(p) for p in err.path) or '(body)'}: {str(err.message)[:200]}"
            for err in schema_errors
        ]
    return [f"{type(exc).__name__}: {str(exc)[:300]}"]


@dataclass
class Fault:
    method: str
    resource: str  # "enkelvoudiginformatieobjecten", "zaakinformatieobjecten", "zaken"
    mode: str  # "500", "drop" (nothing happens) or "lost" (it happens, the response is lost)
    skip: int = 0  # let this many matching calls through first


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any
    status: int | None = None


@dataclass
class ZgwState:
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    contents: dict[str, bytes] = field(default_factory=dict)
    links: dict[str, dict[str, Any]] = field(default_factory=dict)
    zaken: dict[str, dict[str, Any]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)


class ZgwServer:
    def __init__(self, *, client_id: str, secret: str) -> None:
        self.client_id = client_id
        self.secret = secret
        self.state = ZgwState()
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.documenten_url = self.base + DOCUMENTEN_PREFIX
        self.zaken_url = self.base + ZAKEN_PREFIX
        self.informatieobjecttype = (
            f"{self.base}{CATALOGI_PREFIX}/informatieobjecttypen/{uuid.uuid4()}"
        )
        self.documenten_api = load_api(DOCUMENTEN_SPEC, self.documenten_url)
        self.zaken_api = load_api(ZAKEN_SPEC, self.zaken_url)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> ZgwServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def reset(self) -> None:
        with self.lock:
            self.state = ZgwState()

    # Test set-up and inspection

    def add_zaak(self, *, identificatie: str, bronorganisatie: str) -> str:
        zaak_uuid = str(uuid.uuid4())
        url = f"{self.zaken_url}/zaken/{zaak_uuid}"
        self.state.zaken[url] = {
            "url": url,
            "uuid": zaak_uuid,
            "identificatie": identificatie,
            "bronorganisatie": bronorganisatie,
            "omschrijving": "Aanvraag bijstand",
            "toelichting": "",
            "zaaktype": f"{self.base}{CATALOGI_PREFIX}/zaaktypen/{uuid.uuid4()}",
            "registratiedatum": "2026-11-30",
            "verantwoordelijkeOrganisatie": bronorganisatie,
            "startdatum": "2026-11-30",
            "einddatum": None,
            "einddatumGepland": None,
            "uiterlijkeEinddatumAfdoening": None,
            "publicatiedatum": None,
            "communicatiekanaal": "",
            "productenOfDiensten": [],
            "vertrouwelijkheidaanduiding": "vertrouwelijk",
            "betalingsindicatie": "",
            "betalingsindicatieWeergave": "",
            "laatsteBetaaldatum": None,
            "verlenging": None,
            "opschorting": None,
            "selectielijstklasse": "",
            "hoofdzaak": None,
            "deelzaken": [],
            "relevanteAndereZaken": [],
            "eigenschappen": [],
            "rollen": [],
            "status": None,
            "zaakinformatieobjecten": [],
            "zaakobjecten": [],
            "kenmerken": [],
            "archiefnominatie": None,
            "archiefstatus": "nog_te_archiveren",
            "archiefactiedatum": None,
            "resultaat": None,
            "opdrachtgevendeOrganisatie": "",
        }
        return url

    def fail(self, method: str, resource: str, mode: str, *, skip: int = 0) -> None:
        self.state.faults.append(Fault(method.upper(), resource, mode, skip))

    def posts(self, resource: str) -> list[Received]:
        return [r for r in self.state.received if r.method == "POST" and r.path.endswith(resource)]

    # Request handling (called on the server's threads)

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        headers = {k: v for k, v in handler.headers.items()}
        query = parse_qs(parts.query, keep_blank_values=True)
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = "<not json>"
        received = Received(handler.command, parts.path, query, headers, body)
        with self.lock:
            self.state.received.append(received)
        if parts.path.startswith(DOCUMENTEN_PREFIX):
            api, prefix = self.documenten_api, DOCUMENTEN_PREFIX
        elif parts.path.startswith(ZAKEN_PREFIX):
            api, prefix = self.zaken_api, ZAKEN_PREFIX
        else:
            self._send(handler, received, None, 404, {"detail": "not found"})
            return
        request = MockRequest(
            self.base,
            handler.command,
            parts.path,
            args=query,
            headers=headers,
            data=raw,
            content_type=headers.get("Content-Type", "application/json"),
        )
        resource = parts.path[len(prefix) :].strip("/")
        fault = self._take_fault(handler.command, resource)
        try:
            api.validate_request(request)
        except Exception as exc:  # the real API refuses it: so do we, and the test fails
            problems = _errors_of(exc)
            with self.lock:
                self.state.violations += [
                    f"request {handler.command} {parts.path}: {p}" for p in problems
                ]
            status = 403 if "Security" in type(exc).__name__ else 400
            self._send(handler, received, api, status, self._problem(status, problems, parts.path))
            return
        auth_problem = self._check_jwt(headers.get("Authorization", ""))
        if auth_problem:
            self._send(
                handler,
                received,
                api,
                403,
                self._problem(403, [auth_problem], parts.path, code="not_authenticated"),
            )
            return
        if fault and fault.mode == "drop":
            self._drop(handler, received)
            return
        if fault and fault.mode == "500":
            self._send(
                handler,
                received,
                api,
                500,
                self._problem(500, ["Interne serverfout"], parts.path, code="error"),
            )
            return
        with self.lock:
            status, payload, extra = self._dispatch(handler.command, resource, query, body)
        if fault and fault.mode == "lost":
            self._drop(handler, received)
            return
        self._send(handler, received, api, status, payload, extra)

    def _take_fault(self, method: str, resource: str) -> Fault | None:
        with self.lock:
            for fault in self.state.faults:
                if fault.method == method and fault.resource == resource:
                    if fault.skip:
                        fault.skip -= 1
                        return None
                    self.state.faults.remove(fault)
                    return fault
        return None

    def _check_jwt(self, authorization: str) -> str:
        scheme, _, token = authorization.partition(" ")
        if scheme != "Bearer" or not token:
            return "no bearer token"
        try:
            claims = jwt.decode(token, self.secret, algorithms=["HS256"])
        except jwt.PyJWTError as exc:
            return f"invalid token: {exc}"
        missing = [claim for claim in JWT_CLAIMS if claim not in claims]
        if missing:
            return f"token lacks {missing}"
        if claims["client_id"] != self.client_id or claims["iss"] != self.client_id:
            return "unknown client_id"
        return ""

    def _problem(
        self, status: int, details: list[str], instance: str, *, code: str = "invalid"
    ) -> dict[str, Any]:
        problem: dict[str, Any] = {
            "type": f"https://zgw.example/fouten/{code}/",
            "code": code,
            "title": {
                400: "Invalid input.",
                403: "Je hebt geen toestemming.",
                500: "Serverfout",
            }.get(status, "Fout"),
            "status": status,
            "detail": "; ".join(details)[:500],
            "instance": f"urn:uuid:{uuid.uuid4()}",
        }
        if status == 400:
            problem["invalidParams"] = [
                {"name": d.split(":", 1)[0], "code": code, "reason": d.split(":", 1)[-1].strip()}
                for d in details
            ]
        return problem

    def _invalid(
        self, name: str, code: str, reason: str
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        return (
            400,
            {
                "type": f"https://zgw.example/fouten/{code}/",
                "code": "invalid",
                "title": "Invalid input.",
                "status": 400,
                "detail": "",
                "instance": f"urn:uuid:{uuid.uuid4()}",
                "invalidParams": [{"name": name, "code": code, "reason": reason}],
            },
            {},
        )

    def _dispatch(
        self, method: str, resource: str, query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        state = self.state
        one = {k: v[0] for k, v in query.items()}
        if resource == "enkelvoudiginformatieobjecten" and method == "GET":
            found = [
                doc
                for doc in state.documents.values()
                if all(
                    doc.get(k) == one[k] for k in ("identificatie", "bronorganisatie") if k in one
                )
            ]
            return 200, {"count": len(found), "next": None, "previous": None, "results": found}, {}
        if resource == "enkelvoudiginformatieobjecten" and method == "POST":
            return self._create_document(body)
        if resource == "zaakinformatieobjecten" and method == "GET":
            found = [
                link
                for link in state.links.values()
                if all(link.get(k) == one[k] for k in ("zaak", "informatieobject") if k in one)
            ]
            return 200, found, {}
        if resource == "zaakinformatieobjecten" and method == "POST":
            return self._create_link(body)
        if resource == "zaken" and method == "GET":
            found = [
                zaak
                for zaak in state.zaken.values()
                if all(
                    zaak.get(k) == one[k] for k in ("identificatie", "bronorganisatie") if k in one
                )
            ]
            return (
                200,
                {"count": len(found), "next": None, "previous": None, "results": found},
                {"Content-Crs": "EPSG:4326"},
            )
        return 404, {"detail": "not implemented here"}, {}

    def _create_document(self, body: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        state = self.state
        if not rsin_valid(body["bronorganisatie"]):
            return self._invalid(
                "bronorganisatie", "invalid", "Onjuist RSIN formaat, elfproef faalt."
            )
        if body["informatieobjecttype"] != self.informatieobjecttype:
            return self._invalid(
                "informatieobjecttype",
                "bad-url",
                "De URL verwijst niet naar een bekend informatieobjecttype.",
            )
        if any(
            d["identificatie"] == body.get("identificatie")
            and d["bronorganisatie"] == body["bronorganisatie"]
            for d in state.documents.values()
        ):
            return self._invalid(
                "identificatie",
                "identificatie-niet-uniek",
                "Deze identificatie bestaat al voor deze bronorganisatie",
            )
        content = base64.b64decode(body.get("inhoud") or "")
        doc_uuid = str(uuid.uuid4())
        url = f"{self.documenten_url}/enkelvoudiginformatieobjecten/{doc_uuid}"
        document = {
            "url": url,
            "identificatie": body.get("identificatie") or doc_uuid,
            "bronorganisatie": body["bronorganisatie"],
            "creatiedatum": body["creatiedatum"],
            "titel": body["titel"],
            "vertrouwelijkheidaanduiding": body.get("vertrouwelijkheidaanduiding", "openbaar"),
            "auteur": body["auteur"],
            "status": body.get("status", ""),
            "formaat": body.get("formaat", ""),
            "taal": body["taal"],
            "versie": 1,
            "beginRegistratie": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "bestandsnaam": body.get("bestandsnaam", ""),
            "inhoud": f"{url}/download?versie=1",
            "bestandsomvang": len(content),
            "link": body.get("link", ""),
            "beschrijving": body.get("beschrijving", ""),
            "ontvangstdatum": body.get("ontvangstdatum"),
            "verzenddatum": body.get("verzenddatum"),
            "indicatieGebruiksrecht": body.get("indicatieGebruiksrecht"),
            "verschijningsvorm": body.get("verschijningsvorm", ""),
            "ondertekening": body.get("ondertekening"),
            "integriteit": body.get("integriteit"),
            "informatieobjecttype": body["informatieobjecttype"],
            "locked": False,
            "bestandsdelen": [],
            "trefwoorden": body.get("trefwoorden") or [],
            "inhoudIsVervallen": False,
        }
        state.documents[url] = document
        state.contents[url] = content
        return 201, document, {"Location": url}

    def _create_link(self, body: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        state = self.state
        zaak = state.zaken.get(body["zaak"])
        if zaak is None:
            return self._invalid("zaak", "bad-url", "De URL verwijst niet naar een bestaande zaak.")
        if body["informatieobject"] not in state.documents:
            return self._invalid(
                "informatieobject",
                "bad-url",
                "De URL verwijst niet naar een bestaand informatieobject.",
            )
        if any(
            link["zaak"] == body["zaak"] and link["informatieobject"] == body["informatieobject"]
            for link in state.links.values()
        ):
            return self._invalid(
                "nonFieldErrors", "unique", "Dit informatieobject is al aan deze zaak gekoppeld."
            )
        link_uuid = str(uuid.uuid4())
        url = f"{self.zaken_url}/zaakinformatieobjecten/{link_uuid}"
        link = {
            "url": url,
            "uuid": link_uuid,
            "informatieobject": body["informatieobject"],
            "zaak": body["zaak"],
            "aardRelatieWeergave": "Hoort bij, omgekeerd: kent",
            "titel": body.get("titel", ""),
            "beschrijving": body.get("beschrijving", ""),
            "registratiedatum": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "vernietigingsdatum": None,
            "status": None,
        }
        state.links[url] = link
        zaak["zaakinformatieobjecten"].append(url)
        return 201, link, {"Location": url}

    def _send(
        self,
        handler: BaseHTTPRequestHandler,
        received: Received,
        api: OpenAPI | None,
        status: int,
        payload: Any,
        extra: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(payload).encode()
        content_type = "application/json" if status < 400 else "application/problem+json"
        headers = {"API-version": "1.5.0", **(extra or {})}
        if api is not None:
            request = MockRequest(
                self.base,
                received.method,
                received.path,
                args=received.query,
                headers=received.headers,
                data=json.dumps(received.body).encode() if received.body is not None else b"",
            )
            response = MockResponse(
                data, status_code=status, headers=headers, content_type=content_type
            )
            try:
                api.validate_response(request, response)
            except Exception as exc:  # this server broke the contract: fail the test
                with self.lock:
                    self.state.violations += [
                        f"response {status} to {received.method} {received.path}: {p}"
                        for p in _errors_of(exc)
                    ]
        received.status = status
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    def _drop(self, handler: BaseHTTPRequestHandler, received: Received) -> None:
        received.status = -1
        handler.close_connection = True
        handler.connection.shutdown(2)


def _handler_for(server: ZgwServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            server.handle(self)

        def do_POST(self) -> None:
            server.handle(self)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
