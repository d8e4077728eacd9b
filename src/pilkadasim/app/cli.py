"""``pilkadasim-app``: start the what-if page on this machine and open it in the browser.

    pilkadasim-app [--host H] [--port P] [--no-browser] [overrides…]

Further arguments are Hydra overrides of the starting scenario, checked before the server
starts (a bad one ends with the command line's message and status 2). On an address other
than loopback the page needs a token, printed in the URL, and only the planners' keys.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
import threading
import webbrowser
from pathlib import Path
from typing import Any

from pilkadasim.errors import InputError


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="pilkadasim-app",
        description="The planners' what-if page: change the plan, see the answer, offline.",
    )
    ap.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    ap.add_argument("--port", type=int, default=8050, help="port (8050)")
    ap.add_argument("--no-browser", action="store_true", help="do not open a browser")
    ap.add_argument(
        "--max-replications",
        type=int,
        default=None,
        help="cap on run.replications (default: none on loopback, 1000 elsewhere)",
    )
    ap.add_argument("--max-runs", type=int, default=2, help="simulations at the same time (2)")
    ap.add_argument("overrides", nargs="*", help="Hydra overrides of the starting scenario")
    return ap.parse_args(argv)


def build(args: argparse.Namespace, workdir: Path) -> tuple[Any, str | None, str]:
    """The ASGI app, its token (None on loopback) and the URL to open."""
    from pilkadasim.app.engine import Engine, Limits
    from pilkadasim.app.server import is_loopback, make_app

    local = is_loopback(args.host)
    cap = args.max_replications if args.max_replications or local else 1000
    limits = Limits(restricted=not local, max_replications=cap, max_runs=max(1, args.max_runs))
    engine = Engine(list(args.overrides), limits, workdir)
    from pilkadasim.config.builders import to_scenario

    to_scenario(engine.compose(engine.base))  # bad overrides or region files: stop here
    token = None if local else secrets.token_urlsafe(24)
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{args.port}/" + (f"?token={token}" if token else "")
    return make_app(engine, token), token, url


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    import uvicorn

    with tempfile.TemporaryDirectory(prefix="pilkadasim-app-") as tmp:
        try:
            app, _token, url = build(args, Path(tmp))
        except InputError as err:
            print(f"pilkadasim: bad input — {err}", file=sys.stderr)
            sys.exit(2)
        print(f"pilkadasim-app: open {url}  (Ctrl+C stops)", flush=True)
        if not args.no_browser:
            threading.Timer(1.0, webbrowser.open, args=(url,)).start()
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
