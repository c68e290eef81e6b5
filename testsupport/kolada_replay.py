"""A real HTTP server on loopback that replays recorded Kolada responses (tests/recordings).

Each route is a path with its query and a queue of answers, served in order (the last one
repeats): ``(status, file name)``, ``(status, bytes)`` or ``RESET`` (close the connection
without answering). Every request's path is kept in ``requests``.
"""

from __future__ import annotations

import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RECORDINGS = Path(__file__).resolve().parents[1] / "tests" / "recordings" / "kolada"
REAL_BASE = "https://api.kolada.se/v3"
RESET = "reset"


class KoladaReplay:
    def __init__(self) -> None:
        self.routes: dict[str, list] = {}
        self.requests: list[str] = []
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                replay.requests.append(self.path)
                answers = replay.routes.get(self.path)
                if not answers:
                    self._send(404, b'{"error": "not found"}')
                    return
                answer = answers.pop(0) if len(answers) > 1 else answers[0]
                if answer == RESET:
                    # Linger 0: closing sends a reset, as a dropped connection does.
                    linger = struct.pack("ii", 1, 0)
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                    self.close_connection = True
                    return
                status, body = answer
                if isinstance(body, str):
                    text = (RECORDINGS / body).read_text(encoding="utf-8")
                    body = text.replace(REAL_BASE, replay.base).encode("utf-8")
                self._send(status, body)

            def _send(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/v3"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def route(self, path: str, *answers) -> None:
        """Answer GET ``/v3{path}`` with ``answers`` in order."""
        self.routes[f"/v3{path}"] = list(answers)

    def __enter__(self) -> KoladaReplay:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
