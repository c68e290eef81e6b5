"""A PostgreSQL cluster of a test's own, to stop and start (issue 10: the server stops mid-save).

Never the shared server on 127.0.0.1:5432: the cluster is made with Debian's
``pg_createcluster`` on a free port, trusts local connections, and is dropped afterwards.
Needs root (or the postgres user) and postgresql-common; ``available()`` says whether it can run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from testsupport.server import free_port

PREFIX = "dash_test_"


def _version() -> str | None:
    root = Path("/etc/postgresql")
    versions = sorted(p.name for p in root.iterdir()) if root.is_dir() else []
    return versions[-1] if versions else None


def available() -> bool:
    """Whether this machine can make a cluster of its own here."""
    return bool(_version() and shutil.which("pg_createcluster") and os.geteuid() == 0)


def _run(*argv: str) -> None:
    subprocess.run(argv, check=True, capture_output=True, text=True, timeout=120)


@dataclass
class Cluster:
    """One running cluster: its name, port and a URL to its ``postgres`` database."""

    version: str
    name: str
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        """Stop the server at once (fast shutdown: open connections are cut)."""
        _run("pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, "stop",
             "-m", "fast")  # fmt: skip

    def start(self) -> None:
        _run("pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, "start")


def _drop(version: str, name: str) -> None:
    subprocess.run(["pg_dropcluster", "--stop", version, name], capture_output=True, timeout=120)


@contextmanager
def own_cluster() -> Iterator[Cluster]:
    """A fresh cluster, running; dropped (with its data) on the way out."""
    version = _version()
    assert version, "no PostgreSQL server installed (/etc/postgresql)"
    for stale in Path(f"/etc/postgresql/{version}").glob(f"{PREFIX}*"):
        _drop(version, stale.name)  # left behind by a test run that was killed
    cluster = Cluster(version, f"{PREFIX}{uuid.uuid4().hex[:8]}", free_port())
    try:
        _run("pg_createcluster", "--port", str(cluster.port), "--start", version, cluster.name,
             "--", "--auth-local=trust", "--auth-host=trust")  # fmt: skip
        yield cluster
    finally:
        _drop(version, cluster.name)
