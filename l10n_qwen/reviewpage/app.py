"""The review page's web application (Starlette).

Routes: ``GET /`` the page (filters and page number in the query string), ``GET /static/NAME``
its script and style, ``POST /verify`` an edit checked as fill checks a translation, ``POST
/act`` approve, edit-and-approve or send back.

Every request must carry the token the command printed (``?token=`` or ``X-Review-Token``),
else 403: another user of the machine, or a web page the reviewer visits, can neither read nor
write through the server. There are no CORS headers, the Host must be this machine (against DNS
rebinding), and the state-changing routes take only POST with a JSON body, which a cross-site
form cannot send.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from importlib import resources
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from l10n_qwen.errors import L10nError
from l10n_qwen.reviewpage import actions, render
from l10n_qwen.reviewpage.queue import Queue

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

STATIC = {"review.js": "text/javascript", "review.css": "text/css"}
#: Sent with every answer: the page loads nothing from elsewhere and no other site may frame it.
HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        b"img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-store"),
]


class TokenGate:
    """ASGI middleware: 403 unless the request carries the token; security headers on all."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        request = Request(scope)
        given = request.query_params.get("token") or request.headers.get("x-review-token", "")
        if not secrets.compare_digest(given.encode(), self.token):
            refusal = PlainTextResponse(
                "forbidden: open the address that `l10n-qwen review` printed (it carries the "
                "token)\n",
                status_code=403,
            )
            await refusal(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def create_app(queue: Queue, token: str) -> Starlette:
    """The application serving ``queue``; ``token`` is the secret every request must carry."""
    # One request at a time touches the queue and the files: a save reloads what it wrote.
    lock = threading.Lock()

    def page(request: Request) -> Response:
        with lock:
            try:
                queue.refresh()
            except L10nError as exc:  # a file was broken on disk meanwhile: say which, and how
                message = f"error: {exc}\nFix the file, then reload this page.\n"
                return PlainTextResponse(message, status_code=409)
            text = render.page(queue, render.View.parse(request.query_params), token)
        return Response(text, media_type="text/html; charset=utf-8")

    def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return PlainTextResponse("not found\n", status_code=404)
        data = resources.files(__package__).joinpath("static").joinpath(name).read_bytes()
        return Response(data, media_type=f"{STATIC[name]}; charset=utf-8")

    def verify(body: dict[str, Any]) -> dict[str, Any]:
        targets = body.get("targets")
        if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
            raise BadRequest("targets must be a list of texts")
        item = queue.find(str(body.get("id", "")))
        if item is None:
            return {"gone": True, "problems": [], "missing_terms": []}
        problems = actions.edit_problems(item, targets)
        missing = [t for _, t, present in queue.terms(item, targets) if not present]
        return {"gone": False, "problems": problems, "missing_terms": missing}

    def act(body: dict[str, Any]) -> dict[str, Any]:
        wanted = body.get("actions")
        if not isinstance(wanted, list) or not all(isinstance(a, dict) for a in wanted):
            raise BadRequest("actions must be a list of objects")
        return _act(queue, wanted)

    routes = [
        Route("/", page, methods=["GET"]),
        Route("/static/{name}", static, methods=["GET"]),
        Route("/verify", json_post(verify, lock), methods=["POST"]),
        Route("/act", json_post(act, lock), methods=["POST"]),
    ]
    middleware = [
        Middleware(TokenGate, token=token),
        Middleware(TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost"]),
    ]
    return Starlette(routes=routes, middleware=middleware)


def _act(queue: Queue, wanted: list[dict[str, Any]]) -> dict[str, Any]:
    """Apply the actions file by file; per item what became of it, and each file's new hash."""
    results: dict[str, dict[str, Any]] = {}
    by_file: dict[str, tuple[str, list[actions.Action]]] = {}
    for raw in wanted:
        ident, kind = str(raw.get("id", "")), raw.get("action")
        item = queue.find(ident)
        targets = raw.get("targets") or []
        if kind not in actions.ACTIONS or not isinstance(targets, list):
            results[ident] = {"ok": False, "reason": f"unknown action {kind!r}"}
        elif item is None:
            results[ident] = {"ok": False, "reason": "no longer awaiting review"}
        else:
            seen, planned = by_file.setdefault(item.file.shown, (str(raw.get("hash", "")), []))
            planned.append(actions.Action(item, kind, tuple(str(t) for t in targets)))
    conflicts = []
    for shown, (seen, planned) in by_file.items():
        loaded = queue.files[shown]
        try:
            outcome = actions.save(queue.settings, loaded, seen, planned)
        except L10nError as exc:
            for action in planned:
                results[action.item.id] = {"ok": False, "reason": str(exc)}
            continue
        if outcome.conflict:
            conflicts.append(shown)
        for ident, status in outcome.done.items():
            results[ident] = {"ok": True, "status": status}
        for ident, reason in outcome.refused.items():
            results[ident] = {"ok": False, "reason": reason}
    queue.reload()
    hashes = {shown: queue.files[shown].fingerprint for shown in by_file if shown in queue.files}
    return {"results": results, "conflicts": conflicts, "hashes": hashes}


class BadRequest(Exception):
    """A request body the routes cannot use (400)."""


def json_post(
    work: Callable[[dict[str, Any]], dict[str, Any]], lock: threading.Lock
) -> Callable[[Request], Awaitable[Response]]:
    """A POST route taking a JSON object: ``work`` runs on it in a worker thread, under
    ``lock``, and its answer goes back as JSON."""

    async def endpoint(request: Request) -> Response:
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return PlainTextResponse("expected application/json\n", status_code=415)
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return JSONResponse({"error": "expected a JSON object"}, status_code=400)

        def locked() -> dict[str, Any]:
            with lock:
                return work(body)

        try:
            return JSONResponse(await run_in_threadpool(locked))
        except BadRequest as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        except L10nError as exc:  # a file broken on disk meanwhile: the page shows the message
            return JSONResponse({"error": str(exc)}, status_code=409)

    return endpoint
