"""HTTP routes of the what-if page (Starlette) and its safety rules.

Routes (all GET; ``o=KEY=VALUE`` repeated = the page's changes to the starting scenario):
``/`` the page, ``/static/*`` its files, ``/api/config`` starting values and choices,
``/api/summary`` exactly the run summary, ``/api/view`` what the page draws,
``/api/region`` the map, ``/api/compare?a=…&b=…`` plan B against plan A,
``/api/files`` and ``/api/file`` the files a command-line run writes, ``/api/status``.
Bad input is HTTP 400 with the command line's one-line message. Off loopback every request
needs the token (``?token=`` once, then a cookie) and only allow-listed keys are accepted.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from pilkadasim.app import overrides as ov
from pilkadasim.app.compare import compare
from pilkadasim.app.engine import Cancelled, Engine, output_files, region_view
from pilkadasim.errors import InputError

STATIC = Path(__file__).parent / "static"
COOKIE = "pilkadasim_token"
CHOICES = {
    "staffing.guard_pattern": None,  # filled from the configuration
    "staffing.placement": ["polsek", "polres", "mixed", "posts"],
    "dispatch": ["nearest", "district_first", "fixed_preference", "reserve_cutoff"],
}


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def bad_input(err: InputError) -> JSONResponse:
    """The command line's message (``pilkadasim: bad input — …``), as HTTP 400."""
    return JSONResponse({"error": f"pilkadasim: bad input — {err}"}, status_code=400)


async def watch_disconnect(request: Request, cancel: threading.Event) -> None:
    """Set ``cancel`` when the browser drops the request (the page moved on)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            cancel.set()
            return


async def run_entry(request: Request, engine: Engine, changes: list[str]) -> Any:
    cancel = threading.Event()
    watcher = asyncio.create_task(watch_disconnect(request, cancel))
    try:
        return await run_in_threadpool(engine.entry, changes, cancel)
    finally:
        watcher.cancel()


def changes_of(request: Request, name: str = "o") -> list[str]:
    return [v for v in request.query_params.getlist(name) if v.strip()]


def make_app(engine: Engine, token: str | None = None) -> Starlette:
    """The Starlette application; ``token`` (off loopback) guards every route."""

    async def page(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-store"})

    async def config(request: Request) -> Response:
        try:
            cfg = await run_in_threadpool(engine.compose, engine.base)
        except InputError as err:
            return bad_input(err)
        choices = dict(CHOICES, **{"staffing.guard_pattern": list(cfg.staffing.guard_patterns)})
        return JSONResponse(
            {
                "base": engine.base,
                "values": {
                    "staffing.reserve_units": int(cfg.staffing.reserve_units),
                    "staffing.guard_pattern": str(cfg.staffing.guard_pattern),
                    "staffing.placement": str(cfg.staffing.placement),
                    "dispatch": str(cfg.dispatch.policy),
                    "incidents.rate_scale": float(cfg.incidents.rate_scale),
                    "run.replications": int(cfg.run.replications),
                },
                "choices": choices,
                "lang": str(cfg.report.lang),
                "targets": [float(t) for t in cfg.report.targets_min],
                "restricted": engine.limits.restricted,
                "max_replications": engine.limits.max_replications,
            }
        )

    async def answer(request: Request, body: Callable[[Any], Any]) -> Response:
        """Run the plan of ``request`` and answer ``body(entry)``; bad input is a 400 with
        the command line's message, a run cancelled by a newer request a 499."""
        try:
            entry = await run_entry(request, engine, changes_of(request))
        except InputError as err:
            return bad_input(err)
        except Cancelled:
            return JSONResponse({"error": "cancelled"}, status_code=499)
        return JSONResponse(body(entry))

    async def summary(request: Request) -> Response:
        return await answer(request, lambda entry: entry.results.summary)

    async def view(request: Request) -> Response:
        return await answer(
            request, lambda entry: {**entry.view, "command": ov.command(entry.overrides)}
        )

    async def region(request: Request) -> Response:
        try:
            full = engine.full(changes_of(request))
            return JSONResponse(await run_in_threadpool(region_view, full))
        except InputError as err:
            return bad_input(err)

    async def compare_plans(request: Request) -> Response:
        try:
            a = await run_entry(request, engine, changes_of(request, "a"))
            b = await run_entry(request, engine, changes_of(request, "b"))
            targets = [float(t) for t in b.results.cfg.report.targets_min]
            result = await run_in_threadpool(compare, a.daily, b.daily, targets)
        except InputError as err:
            return bad_input(err)
        except Cancelled:
            return JSONResponse({"error": "cancelled"}, status_code=499)
        return JSONResponse(result)

    async def files(request: Request) -> Response:
        lang = request.query_params.get("lang", "id")
        if lang not in ("id", "en"):
            return bad_input(InputError(f"lang={lang!r}: use id or en"))
        try:
            entry, folder = await run_in_threadpool(engine.outputs, changes_of(request), lang)
        except InputError as err:
            return bad_input(err)
        return JSONResponse({"files": output_files(folder), "command": ov.command(entry.overrides)})

    async def one_file(request: Request) -> Response:
        lang = request.query_params.get("lang", "id")
        name = request.query_params.get("name", "")
        try:
            _, folder = await run_in_threadpool(engine.outputs, changes_of(request), lang)
        except InputError as err:
            return bad_input(err)
        if name not in output_files(folder):  # only what the run wrote: no path tricks
            return JSONResponse({"error": f"no file {name!r} in this run"}, status_code=404)
        return FileResponse(folder / name, filename=Path(name).name)

    async def status(request: Request) -> Response:
        return JSONResponse(engine.stats)

    routes = [
        Route("/", page),
        Route("/api/config", config),
        Route("/api/summary", summary),
        Route("/api/view", view),
        Route("/api/region", region),
        Route("/api/compare", compare_plans),
        Route("/api/files", files),
        Route("/api/file", one_file),
        Route("/api/status", status),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes)
    if token:
        app.add_middleware(TokenGuard, token=token)
    return app


class TokenGuard:
    """ASGI middleware: every request carries the token (query once, then a cookie)."""

    def __init__(self, app: Any, token: str) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        given = request.query_params.get("token") or request.cookies.get(COOKIE) or ""
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            response: Response = JSONResponse(
                {"error": "this server needs its token: open the URL printed at start"},
                status_code=403,
            )
            await response(scope, receive, send)
            return

        async def send_with_cookie(message: Any) -> None:
            if message["type"] == "http.response.start" and request.query_params.get("token"):
                cookie = f"{COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie.encode())]
            await send(message)

        await self.app(scope, receive, send_with_cookie)
