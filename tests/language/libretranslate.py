"""A local server speaking LibreTranslate's HTTP API (GET /languages, POST /translate), with a
tiny word table: the real engine cannot run here, its protocol can."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

WORDS = {
    ("nl", "en"): {"huis": "house", "groot": "big", "het": "the", "is": "is"},
    ("en", "nl"): {"house": "huis", "big": "groot", "the": "het", "is": "is"},
}


class LibreTranslateServer:
    def __init__(self, *, api_key: str = "") -> None:
        self.api_key = api_key
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path != "/languages":
                    self._send(404, {"error": "Not Found"})
                    return
                self._send(
                    200,
                    [
                        {"code": "nl", "name": "Dutch", "targets": ["en", "nl"]},
                        {"code": "en", "name": "English", "targets": ["nl", "en"]},
                    ],
                )

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append(body)
                if server.api_key and body.get("api_key") != server.api_key:
                    self._send(403, {"error": "Invalid API key"})
                    return
                table = WORDS.get((body["source"], body["target"]))
                if table is None:
                    self._send(400, {"error": "pair not supported"})
                    return
                words = [table.get(w.lower(), w) for w in body["q"].split()]
                self._send(200, {"translatedText": " ".join(words)})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> LibreTranslateServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
