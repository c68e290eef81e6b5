"""The app's Streamlit server as a subprocess on a free port, and Debian's Chromium options.

The browser tests, the load-protocol test and the benchmark start the app the same way, with
``Server``; Chromium is always the distribution's (/usr/bin/chromium), never a download.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
APP = PROJECT / "app.py"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """The app's server for SCRIPT on a free port, with extra environment, logging to ``log``.

    Started as the README starts it, ``python -m dashboard.server`` (``streamlit run`` without
    Streamlit's pages-folder routing); ``plain_streamlit=True`` uses ``streamlit run`` itself.
    """

    def __init__(
        self,
        script: Path,
        env: dict[str, str],
        log: Path,
        *,
        plain_streamlit: bool = False,
        port: int | None = None,
        args: tuple[str, ...] = (),
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = log.open("w")
        launcher = ["streamlit", "run"] if plain_streamlit else ["dashboard.server"]
        self.process = subprocess.Popen(
            [sys.executable, "-m", *launcher, str(script),
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", *args],
            cwd=PROJECT, env={**os.environ, **env, "PYTHONPATH": str(PROJECT)},
            stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit avslutades, se {self._log.name}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError("streamlit blev inte redo")

    def stop(self) -> None:
        """Terminate the server (kill it if it does not stop within 10 s)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


class StreamlitServer(Server):
    """The server of app.py itself, as the tests start it."""

    def __init__(self, env: dict[str, str], log: Path, *, plain_streamlit: bool = False, **more):
        super().__init__(APP, env, log, plain_streamlit=plain_streamlit, **more)
