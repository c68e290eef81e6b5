"""``python -m bench.proxy DATABASE_URL``: the deployment recipe on loopback until Ctrl-C.

The recipe itself, nginx in front of three app processes, is testsupport/proxy.py, which the
proxy browser test and ``python -m bench.run --via-proxy`` use too.
"""

from __future__ import annotations

import sys
from contextlib import suppress

from bench.browser import app_env
from testsupport.proxy import proxied


def main(argv: list[str] | None = None) -> int:
    """Serve the app on ``DATABASE_URL`` behind nginx; print the addresses; wait for Ctrl-C."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("användning: python -m bench.proxy DATABASE_URL", file=sys.stderr)
        return 2
    with proxied(app_env(args[0])) as proxy:
        print(f"{proxy.url}  (appar: {', '.join(s.url for s in proxy.servers)}; {proxy.work})")
        with suppress(KeyboardInterrupt):
            proxy.process.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
