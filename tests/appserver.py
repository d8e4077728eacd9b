"""A pilkadasim-app server in a background thread, for the app tests and the benchmark."""

from __future__ import annotations

import json
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from pilkadasim.app.cli import build, parse


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(overrides: list[str], declared_host: str = "127.0.0.1") -> Iterator[dict]:
    """Serve the app on 127.0.0.1 (configured as if started with ``--host declared_host``:
    any other address than loopback switches on the token and the allow-list)."""
    port = free_port()
    args = parse(["--host", declared_host, "--port", str(port), "--no-browser", *overrides])
    with tempfile.TemporaryDirectory() as tmp:
        app, token, _url = build(args, Path(tmp))
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)
        try:
            yield {"base": f"http://127.0.0.1:{port}/", "token": token, "port": port}
        finally:
            server.should_exit = True
            thread.join(15)


def get(base: str, path: str, params: list[tuple[str, str]] | None = None, headers=None):
    """(status, parsed JSON or text, response headers) of a GET."""
    url = base.rstrip("/") + path + ("?" + urllib.parse.urlencode(params) if params else "")
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            status, body, head = r.status, r.read(), r.headers
    except urllib.error.HTTPError as err:
        status, body, head = err.code, err.read(), err.headers
    kind = head.get("content-type", "")
    return status, json.loads(body) if "json" in kind else body, head
