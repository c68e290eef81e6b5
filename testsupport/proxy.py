"""The deployment recipe on loopback: Debian's nginx in front of three app processes (issue 15).

``proxied`` starts three app servers (``python -m dashboard.server``, as the systemd units do)
on one database and an nginx with ``deploy/nginx-medborgarloften.conf`` itself, only its
``listen`` and its upstream ports changed, inside a non-root configuration of its own (pid,
logs and temporary files in a scratch directory, a free loopback port). The browser test
(tests/browser/test_proxy.py), ``python -m bench.run --via-proxy`` and
``python -m bench.proxy DATABASE_URL`` (one running until Ctrl-C) use it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from testsupport.server import APP, PROJECT, Server, free_port

SITE = PROJECT / "deploy" / "nginx-medborgarloften.conf"
PROCESSES = 3
ROUTE_COOKIE = "medborgarloften_route"
_UPSTREAM = re.compile(r"^(\s*)server 127\.0\.0\.1:\d+;\n", re.MULTILINE)
_LISTEN = re.compile(r"^(\s*)listen 80;$", re.MULTILINE)
MAIN = """worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {work}/access.log;
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    include {work}/medborgarloften.conf;
}}
"""


def nginx_binary() -> str | None:
    """Debian's nginx (/usr/sbin is not always on a user's PATH), or None."""
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None
    )


def site_config(ports: list[int], listen: int, text: str | None = None) -> str:
    """The deploy file with its upstream servers on ``ports`` and listening on ``listen``."""
    text = SITE.read_text() if text is None else text
    first = _UPSTREAM.search(text)
    if first is None or not _LISTEN.search(text):
        raise ValueError(f"{SITE.name}: hittar inte upstream-raderna eller 'listen 80;'")
    servers = "".join(f"{first.group(1)}server 127.0.0.1:{port};\n" for port in ports)
    text = _UPSTREAM.sub("", text)
    text = text[: first.start()] + servers + text[first.start() :]
    return _LISTEN.sub(rf"\g<1>listen 127.0.0.1:{listen};", text)


@dataclass
class Proxy:
    """nginx on ``url`` in front of ``servers``."""

    url: str
    servers: list[Server]
    process: subprocess.Popen
    work: Path

    @property
    def pids(self) -> list[int]:
        return [s.process.pid for s in self.servers]

    def upstream_for(self, route: str) -> str:
        """The ``host:port`` nginx sends a browser with route cookie ``route`` to."""
        request = urllib.request.Request(
            f"{self.url}/_stcore/health", headers={"Cookie": f"{ROUTE_COOKIE}={route}"}
        )
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.headers["X-Upstream"]


def _start_nginx(binary: str, ports: list[int], work: Path) -> tuple[subprocess.Popen, str]:
    listen = free_port()
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / name).mkdir()
        (work / name).chmod(0o777)  # nginx's worker drops to nobody when started as root
    (work / "medborgarloften.conf").write_text(site_config(ports, listen))
    (work / "nginx.conf").write_text(MAIN.format(work=work))
    conf = str(work / "nginx.conf")
    check = subprocess.run([binary, "-t", "-p", str(work), "-e", str(work / "error.log"),
                            "-c", conf], capture_output=True, text=True)  # fmt: skip
    if check.returncode:
        raise RuntimeError(f"nginx -t: {check.stderr}")
    process = subprocess.Popen(
        [binary, "-p", str(work), "-e", str(work / "error.log"), "-c", conf,
         "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,  # its log: -e error.log
    )  # fmt: skip
    url = f"http://127.0.0.1:{listen}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx avslutades, se {work / 'error.log'}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as reply:
                if reply.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise TimeoutError("nginx blev inte redo")


@contextmanager
def proxied(env: dict[str, str], *, processes: int = PROCESSES, work: Path | None = None):
    """Three app servers with ``env`` and nginx in front; everything stopped after."""
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx saknas (apt-get install nginx)")
    work = Path(tempfile.mkdtemp(prefix="proxy-")) if work is None else work
    work.mkdir(parents=True, exist_ok=True)  # the benchmark names a folder not made yet
    work.chmod(0o755)
    with ExitStack() as stack:
        with ThreadPoolExecutor(processes) as pool:
            starts = [
                pool.submit(Server, APP, env, work / f"app-{n}.log") for n in range(processes)
            ]
            servers = [start.result() for start in starts]
        for server in servers:
            stack.callback(server.stop)
        process, url = _start_nginx(binary, [s.port for s in servers], work)
        stack.callback(_stop, process)
        yield Proxy(url, servers, process, work)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
