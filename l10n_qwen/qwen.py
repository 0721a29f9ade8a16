"""Async client for Qwen-MT over either protocol: OpenAI-compatible or DashScope native.

::

    client = QwenClient(ClientConfig(api_key=os.environ["DASHSCOPE_API_KEY"]))
    answer = await client.translate(TranslationRequest("Open file", "English", "German"))
    answer.text  # -> 'Datei öffnen'

Every error answer becomes an ``errors.ApiError`` subclass in ``_classify``; httpx's own exceptions
are translated in ``_send`` only. Transient failures (429, 5xx, timeouts, resets, garbled bodies)
are retried with exponential backoff and full jitter; ``ratelimit.RateLimiter`` keeps the client
under the account's quota. Endpoints, body shapes and limits follow Alibaba's Qwen-MT API reference.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from l10n_qwen.errors import (
    ApiError,
    AuthError,
    ConfigError,
    ContentRejected,
    FatalApiError,
    OutputCut,
    TextTooLong,
    TransientApiError,
)
from l10n_qwen.provider import Translation, TranslationRequest, Usage
from l10n_qwen.ratelimit import RateLimiter
from l10n_qwen.service import (
    API_OPENAI,
    DEFAULT_API,
    DEFAULT_MODEL,
    DEFAULT_REGION,
    LITE_MODEL,
    MAX_INPUT_TOKENS,
    MAX_OUTPUT_TOKENS,
    MODELS,
    PROMPT_OVERHEAD_TOKENS,
    base_url_for,
    endpoint_url,
)

logger = logging.getLogger("l10n_qwen")

_REJECTED_CODES = frozenset({"DataInspectionFailed", "data_inspection_failed"})
_MAX_RETRY_AFTER = 600.0  # seconds; a longer Retry-After is capped


def default_max_tokens(text: str) -> int:
    """The output bound sent when none is configured: four times the text, at least 256."""
    return min(MAX_OUTPUT_TOKENS, max(256, 4 * estimate_tokens(text) + 64))


def estimate_tokens(text: str) -> int:
    """A rough, rather high token count: ~4 ASCII characters, 2 other letters or 1 CJK per token."""
    if not text:
        return 0
    if text.isascii():
        return math.ceil(len(text) / 4)
    ascii_chars = wide = 0
    for char in text:
        code = ord(char)
        if code < 0x80:
            ascii_chars += 1
        elif code >= 0x2E80:  # CJK, kana, Hangul, emoji: about a token each
            wide += 1
    other = len(text) - ascii_chars - wide
    return math.ceil(ascii_chars / 4 + other / 2 + wide)


def estimate_request_tokens(text: str, options: dict[str, Any]) -> int:
    """Input tokens of a request: text, terms, tm_list and domains, plus the service's prompt."""
    total = PROMPT_OVERHEAD_TOKENS + estimate_tokens(text)
    for key in ("terms", "tm_list"):
        for pair in options.get(key, ()):
            total += estimate_tokens(pair["source"]) + estimate_tokens(pair["target"]) + 2
    return total + estimate_tokens(options.get("domains") or "")


def estimate_input_tokens(request: TranslationRequest, model: str = DEFAULT_MODEL) -> int:
    """``estimate_request_tokens`` of what would be sent for ``request`` (for dry runs)."""
    options: dict[str, Any] = {
        "terms": [{"source": s, "target": t} for s, t in request.terms],
        "tm_list": [{"source": s, "target": t} for s, t in request.tm_list],
    }
    if request.domains and model != LITE_MODEL:
        options["domains"] = request.domains
    return estimate_request_tokens(request.text, options)


def check_base_url(url: str) -> str:
    """Return ``url`` without a trailing slash; refuse plain http:// except to loopback hosts."""
    try:  # urlsplit and httpx refuse "[::1", a tab, a port out of range only when used
        parts = urlsplit(url)
        port = parts.port
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as exc:
        raise ConfigError(f"invalid base URL {url!r}: {exc}") from None
    if any(char.isspace() or not char.isprintable() for char in url):
        raise ConfigError(f"invalid base URL {url!r}: it holds a space or control character")
    if port is not None and not 0 < port < 65536:
        raise ConfigError(f"invalid base URL {url!r}: port {port} is not in 1..65535")
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return url.rstrip("/")
    if parts.scheme == "http" and host:
        if _is_loopback(host):
            return url.rstrip("/")
        raise ConfigError(
            f"refusing plain http:// base URL {url}: the API key would travel unencrypted "
            "(http:// is only allowed for loopback test servers); use https://"
        )
    raise ConfigError(f"invalid base URL {url!r}: expected https://host/path")


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ClientConfig:
    """Everything the client needs; ``repr`` never shows the key."""

    api_key: str = field(repr=False)
    model: str = DEFAULT_MODEL
    api: str = DEFAULT_API
    region: str = DEFAULT_REGION
    base_url: str | None = None  # overrides the region
    seed: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    top_k: int | None = None
    repetition_penalty: float | None = None
    max_tokens: int | None = None
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_attempts: int = 6
    rpm: int = 60
    tpm: int = 100_000
    backoff_base: float = 1.0  # seconds
    backoff_max: float = 60.0

    def validate(self) -> None:
        """Raise ``ConfigError`` for anything the service would refuse or the client cannot use."""
        key = self.api_key
        if not key:
            raise ConfigError("no API key: set DASHSCOPE_API_KEY (keys are per region)")
        if not key.isascii() or not key.isprintable() or any(c.isspace() for c in key):
            raise ConfigError("the API key (DASHSCOPE_API_KEY) holds spaces or odd characters")
        if self.model not in MODELS:
            raise ConfigError(f"unknown model {self.model!r}: choose one of {', '.join(MODELS)}")
        base_url_for(self.region, self.api)  # checks both names
        checks = [
            (self.seed is None or 0 <= self.seed <= 2**31 - 1, "seed must be in 0..2147483647"),
            (
                self.temperature is None or 0 <= self.temperature < 2,
                "temperature must be in [0, 2)",
            ),
            (self.top_p is None or 0 < self.top_p <= 1, "top_p must be in (0, 1]"),
            (
                self.temperature is None or self.top_p is None,
                "set temperature or top_p, not both (as the Qwen-MT reference asks)",
            ),
            (self.top_k is None or self.top_k >= 0, "top_k must be 0 or more"),
            (
                self.repetition_penalty is None or 0 < self.repetition_penalty < math.inf,
                "repetition_penalty must be a finite number above 0",
            ),
            (
                self.max_tokens is None or 1 <= self.max_tokens <= MAX_OUTPUT_TOKENS,
                f"max_tokens must be in 1..{MAX_OUTPUT_TOKENS}",
            ),
            (self.max_attempts >= 1, "max_attempts must be 1 or more"),
            (self.rpm > 0 and self.tpm > 0, "rpm and tpm must be positive"),
            (self.connect_timeout > 0 and self.read_timeout > 0, "timeouts must be positive"),
            (self.backoff_base >= 0 and self.backoff_max >= 0, "backoff must not be negative"),
        ]
        for ok, message in checks:
            if not ok:
                raise ConfigError(message)


@dataclass
class _Reply:
    """A successful answer, parsed."""

    text: str
    finish_reason: str | None
    input_tokens: int
    output_tokens: int
    request_id: str | None


class QwenClient:
    """Translates one text per request; implements ``provider.Provider``.

    ``clock``, ``sleep`` and ``rng`` are for tests (virtual time, reproducible jitter).
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        config.validate()
        self.config = config
        self.usage = Usage()
        self.base_url = check_base_url(config.base_url or base_url_for(config.region, config.api))
        self.url = endpoint_url(self.base_url, config.api)
        self._sleep = sleep or asyncio.sleep
        self._rng = rng or random.Random()
        self._limiter = RateLimiter(
            config.rpm, config.tpm, clock=clock or time.monotonic, sleep=self._sleep
        )
        self._warned_domains = False
        self._transport = transport
        self._client: httpx.AsyncClient | None = None  # made for the first request (``_http``)

    @property
    def _http(self) -> httpx.AsyncClient:
        """The connection pool, made when first needed: a run the cache settles sends nothing,
        and making one (its TLS context) costs 20-40 ms."""
        if self._client is None:
            self._client = httpx.AsyncClient(
                transport=self._transport,
                timeout=httpx.Timeout(
                    self.config.read_timeout, connect=self.config.connect_timeout, pool=None
                ),
                headers={"Authorization": f"Bearer {self.config.api_key}"},
                # a proxy from the environment must not see requests to a loopback test server
                trust_env=not _is_loopback(urlsplit(self.base_url).hostname or ""),
            )
        return self._client

    def __repr__(self) -> str:
        return f"QwenClient(model={self.config.model!r}, api={self.config.api!r}, url={self.url!r})"

    @property
    def limiter(self) -> RateLimiter:
        """The client's pacing (shared by every ``translate`` call)."""
        return self._limiter

    async def aclose(self) -> None:
        """Close the connection pool, if a request opened one."""
        if self._client is not None:
            await self._client.aclose()

    async def __aenter__(self) -> QwenClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def translate(self, request: TranslationRequest) -> Translation:
        """Translate one text; raises ``ApiError`` or a subclass when it cannot."""
        if not request.text.strip():
            return Translation(text=request.text)
        options = self._options(request)
        input_tokens = estimate_request_tokens(request.text, options)
        if input_tokens > MAX_INPUT_TOKENS:
            raise TextTooLong(
                f"text too long to send: about {input_tokens} input tokens with its terms, "
                f"tm_list and domains, over Qwen-MT's limit of {MAX_INPUT_TOKENS}; "
                "split the text or send fewer terms and translation-memory pairs",
                code="too_long",
            )
        cost = input_tokens + estimate_tokens(request.text)  # the output is about as long
        # Unset, the service allows the model's whole 8,192 output tokens: a model caught in a
        # loop would bill all of them. A translation is rarely over four times its source, so
        # the default bound is that (generous for short texts); a cut answer gets the maximum.
        max_tokens = self.config.max_tokens or default_max_tokens(request.text)
        reply = await self._complete(self._body(request.text, options, max_tokens), cost)
        if reply.finish_reason == "length":
            # A cut translation is not a translation: once more with room to finish.
            larger = (
                MAX_OUTPUT_TOKENS
                if self.config.max_tokens is None
                else min(2 * max_tokens, MAX_OUTPUT_TOKENS)
            )
            if larger > max_tokens:
                logger.info("output cut at max_tokens=%s; retrying with %d", max_tokens, larger)
                self.usage.retries += 1
                first = reply
                reply = await self._complete(self._body(request.text, options, larger), cost)
                reply.input_tokens += first.input_tokens
                reply.output_tokens += first.output_tokens
            if reply.finish_reason == "length":
                raise OutputCut(
                    "the translation was cut at the output token limit (finish_reason length)",
                    status=200,
                    code="length",
                    request_id=reply.request_id,
                )
        return Translation(
            text=reply.text,
            input_tokens=reply.input_tokens,
            output_tokens=reply.output_tokens,
            request_id=reply.request_id,
        )

    def _options(self, request: TranslationRequest) -> dict[str, Any]:
        options: dict[str, Any] = {
            "source_lang": request.source_lang,
            "target_lang": request.target_lang,
        }
        if request.terms:
            options["terms"] = [{"source": s, "target": t} for s, t in request.terms]
        if request.tm_list:
            options["tm_list"] = [{"source": s, "target": t} for s, t in request.tm_list]
        if request.domains:
            if self.config.model == LITE_MODEL:
                if not self._warned_domains:
                    self._warned_domains = True
                    logger.warning(
                        "qwen-mt-lite does not support domains: the domain prompt is not sent"
                    )
            else:
                options["domains"] = request.domains
        return options

    def _body(self, text: str, options: dict[str, Any], max_tokens: int | None) -> dict[str, Any]:
        cfg = self.config
        params: dict[str, Any] = {
            name: value
            for name, value in (
                ("seed", cfg.seed),
                ("temperature", cfg.temperature),
                ("top_p", cfg.top_p),
                ("top_k", cfg.top_k),
                ("repetition_penalty", cfg.repetition_penalty),
                ("max_tokens", max_tokens),
            )
            if value is not None
        }
        messages = [{"role": "user", "content": text}]
        if cfg.api == API_OPENAI:
            return {
                "model": cfg.model,
                "messages": messages,
                "translation_options": options,
                **params,
            }
        # The SDKs' examples all ask for the message format, the shape parsed here; the plain-HTTP
        # default is not documented, so it is asked for explicitly.
        return {
            "model": cfg.model,
            "input": {"messages": messages},
            "parameters": {"translation_options": options, "result_format": "message", **params},
        }

    async def _complete(self, body: dict[str, Any], cost: int) -> _Reply:
        """POST ``body``, retrying transient failures; the parsed answer or an ``ApiError``."""
        attempts = self.config.max_attempts
        for attempt in range(1, attempts + 1):
            await self._limiter.acquire(cost)
            self.usage.requests += 1
            try:
                response = await self._send(body)
                self.usage.by_status[response.status_code] = (
                    self.usage.by_status.get(response.status_code, 0) + 1
                )
                if response.status_code == 200:
                    reply = self._parse_reply(response)
                    self.usage.input_tokens += reply.input_tokens
                    self.usage.output_tokens += reply.output_tokens
                    return reply
                raise self._classify(response)
            except TransientApiError as transient:
                if transient.status == 429:
                    self._limiter.throttled(transient.retry_after)
                if attempt == attempts:
                    raise
                delay = self._backoff(attempt, transient.retry_after)
                logger.debug(
                    "attempt %d/%d failed (%s); retrying in %.2fs",
                    attempt, attempts, transient, delay,
                )  # fmt: skip
                self.usage.retries += 1
                await self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, _MAX_RETRY_AFTER)
        ceiling = min(self.config.backoff_max, self.config.backoff_base * 2 ** (attempt - 1))
        return self._rng.uniform(0, ceiling)  # full jitter

    async def _send(self, body: dict[str, Any]) -> httpx.Response:
        """The one place where httpx's exceptions become ours."""
        try:
            return await self._http.post(self.url, json=body)
        except httpx.TimeoutException as exc:
            kind = "connect" if isinstance(exc, httpx.ConnectTimeout) else "read"
            message = f"{kind} timeout talking to {self.base_url}"
            raise TransientApiError(message, code="timeout") from exc
        except httpx.HTTPError as exc:
            raise TransientApiError(
                f"connection error talking to {self.base_url}: {type(exc).__name__}: {exc}",
                code="connection_error",
            ) from exc

    def _redact(self, text: str | None) -> str | None:
        """``text`` with the API key (if it is in there) replaced by ``***``."""
        return text.replace(self.config.api_key, "***") if text else text

    def _parse_reply(self, response: httpx.Response) -> _Reply:
        request_id = self._redact(_header_request_id(response))
        try:
            body = response.json()
            if self.config.api == API_OPENAI:
                choice, usage = body["choices"][0], body.get("usage") or {}
                input_tokens, output_tokens = (
                    usage.get("prompt_tokens"),
                    usage.get("completion_tokens"),
                )
                request_id = request_id or body.get("request_id") or body.get("id")
            else:
                output, usage = body["output"], body.get("usage") or {}
                choice = output["choices"][0]
                input_tokens, output_tokens = usage.get("input_tokens"), usage.get("output_tokens")
                request_id = body.get("request_id") or request_id
            text = choice["message"]["content"]
            finish = choice.get("finish_reason") or None
            if not isinstance(text, str):
                raise TypeError("content is not a string")
            if self.config.api_key in text:  # never into a locale file, the cache or a report
                raise ValueError("the answer holds the API key")
            request_id = self._redact(request_id if isinstance(request_id, str) else None)
            return _Reply(text, finish, int(input_tokens or 0), int(output_tokens or 0), request_id)
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise TransientApiError(
                self._redact(f"malformed response body ({type(exc).__name__}: {exc})") or "",
                status=200,
                code="malformed_response",
                request_id=self._redact(request_id if isinstance(request_id, str) else None),
            ) from exc

    def _classify(self, response: httpx.Response) -> ApiError:
        """Map an error answer onto errors.py; a ``TransientApiError`` when trying again can
        help."""
        status = response.status_code
        # Some services and gateways echo the key: in the message, the code or the request id.
        code, message, request_id = map(self._redact, _error_fields(response))
        message = message or ""
        if status in (401, 403):
            where = (
                f"the base URL {self.base_url}"
                if self.config.base_url
                else f"the {self.config.region} region"
            )
            return AuthError(
                f"{message.rstrip('.')}. The API key comes from DASHSCOPE_API_KEY and API keys "
                f"are per region (singapore, us, beijing): check that it is valid for {where}",
                status=status,
                code=code,
                request_id=request_id,
            )
        if status == 404:
            return FatalApiError(
                f"model {self.config.model!r} not found at {self.url}: {message}",
                status=status,
                code=code,
                request_id=request_id,
            )
        if status == 400 and code in _REJECTED_CODES:
            return ContentRejected(message, status=status, code=code, request_id=request_id)
        if status == 400:
            return FatalApiError(message, status=status, code=code, request_id=request_id)
        if status in (408, 429) or status >= 500:
            transient = TransientApiError(message, status=status, code=code, request_id=request_id)
            transient.retry_after = _retry_after(response)
            return transient
        return ApiError(message, status=status, code=code, request_id=request_id)


def _header_request_id(response: httpx.Response) -> str | None:
    value = response.headers.get("x-request-id") or response.headers.get("x-dashscope-request-id")
    return str(value) if value else None


def _error_fields(response: httpx.Response) -> tuple[str | None, str, str | None]:
    """(code, message, request id) from either error body shape, or from the status alone."""
    request_id = _header_request_id(response)
    try:
        body: Any = json.loads(response.content)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return None, response.reason_phrase or f"HTTP {response.status_code}", request_id
    detail: dict[str, Any] = body["error"] if isinstance(body.get("error"), dict) else body
    code = detail.get("code") or detail.get("type")
    message = detail.get("message") or response.reason_phrase or f"HTTP {response.status_code}"
    request_id = body.get("request_id") or request_id
    return (
        str(code) if code else None,
        str(message),
        str(request_id) if request_id else None,
    )


def _retry_after(response: httpx.Response) -> float | None:
    """The ``Retry-After`` header in seconds (an HTTP date is ignored)."""
    try:
        seconds = float(response.headers.get("retry-after", ""))
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None
