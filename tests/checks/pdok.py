"""A local HTTP server that speaks PDOK Locatieserver's `free` search (v3.1): GET with `q`, `fq`,
`rows`, `fl`; a Solr envelope `{"response": {"numFound", "start", "maxScore", "numFoundExact",
"docs": [...]}}`; every document with `weergavenaam` and `centroide_ll` "POINT(lon lat)". Like the
real service it refuses query parameters it does not know (400). Tests never reach the internet."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

KNOWN_PARAMS = {"q", "fq", "rows", "start", "fl", "sort", "df", "bq", "lat", "lon", "wt"}

# Two BAG addresses with their real-looking centroids (WGS84).
ADDRESSES: dict[str, dict[str, Any]] = {
    "rivierweg 111, capelle aan den ijssel": {
        "type": "adres",
        "weergavenaam": "Rivierweg 111, 2903AR Capelle aan den IJssel",
        "id": "adr-0502200000033001",
        "centroide_ll": "POINT(4.58170305 51.9123468)",
        "centroide_rd": "POINT(98480.123 436105.456)",
        "score": 14.2,
    },
    "stationsplein 1, utrecht": {
        "type": "adres",
        "weergavenaam": "Stationsplein 1, 3511ED Utrecht",
        "id": "adr-0344200000100001",
        "centroide_ll": "POINT(5.11027 52.08893)",
        "centroide_rd": "POINT(136013.0 455805.0)",
        "score": 13.9,
    },
}


@dataclass
class PdokServer:
    url: str
    requests: list[dict[str, list[str]]] = field(default_factory=list)
    mode: str = "ok"  # ok | error | garbage | bad_point | slow


def _handler(state: PdokServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            parsed = urlparse(self.path)
            params = parse_qs(parsed.query)
            state.requests.append(params)
            if parsed.path != "/bzk/locatieserver/search/v3_1/free":
                self._send(404, b'{"message": "not found"}')
                return
            if set(params) - KNOWN_PARAMS:
                self._send(400, b'{"title": "unknown query parameter"}')
                return
            if state.mode == "error":
                self._send(503, b"<html>unavailable</html>", "text/html")
                return
            if state.mode == "garbage":
                self._send(200, b'{"response": "nope"')
                return
            if state.mode == "slow":
                time.sleep(2)
            query = " ".join(params.get("q", [""])[0].lower().split())
            doc = dict(ADDRESSES[query]) if query in ADDRESSES else None
            if doc is not None and state.mode == "bad_point":
                doc["centroide_ll"] = "POINT(abc)"
            docs = [doc] if doc is not None else []
            body = {
                "response": {
                    "numFound": len(docs),
                    "start": 0,
                    "maxScore": docs[0]["score"] if docs else 0.0,
                    "numFoundExact": True,
                    "docs": docs,
                }
            }
            self._send(200, json.dumps(body).encode())

    return Handler


@contextmanager
def pdok_server() -> Iterator[PdokServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    state = PdokServer(url=f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def free_url(server: PdokServer) -> str:
    return f"{server.url}/bzk/locatieserver/search/v3_1/free"
