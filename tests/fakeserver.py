"""A fake Qwen-MT service on loopback: both protocols, strict validation, fault injection.

It checks every request against Alibaba's API reference and answers a violation with
400 InvalidParameter (recording it in ``violations``); it translates deterministically:
``"  Open %s file"`` to German is ``"  [German] Open %s file"`` (terms applied, outer whitespace
kept). Faults (latency, 429, 5xx, timeouts, dropped connections, garbled bodies, broken
placeholders, ``finish_reason: length``, content rejection, a server-side RPM limit) are drawn
from a RNG seeded per (seed, text, target, attempt), so a run is reproducible however its
requests interleave; ``script()`` forces the answers to the next requests.

    with FakeQwenServer(latency=0.2, rpm_limit=60) as server:
        config = ClientConfig(api_key=server.api_key, base_url=server.compat_url)

    python tests/fakeserver.py --port 8089 --latency 0.2 --rpm 60
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import random
import re
import socket
import sys
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

OPENAI = "openai"
DASHSCOPE = "dashscope"
OPENAI_PATH = "/compatible-mode/v1/chat/completions"
NATIVE_PATH = "/api/v1/services/aigc/text-generation/generation"
PATHS = {OPENAI_PATH: OPENAI, NATIVE_PATH: DASHSCOPE}
DEFAULT_KEY = "sk-fake-qwen-0123456789abcdef"
MODELS = ("qwen-mt-plus", "qwen-mt-flash", "qwen-mt-lite", "qwen-mt-turbo")
LITE = "qwen-mt-lite"
MAX_INPUT_TOKENS = 8192
MAX_OUTPUT_TOKENS = 8192

# The 92 names of the reference; lite takes 31 of them and says "Persian" for "Western Persian".
# fmt: off
LITE_LANGUAGES = frozenset([
    "English", "Chinese", "Traditional Chinese", "Russian", "Japanese", "Korean", "Spanish",
    "French", "Portuguese", "German", "Italian", "Thai", "Vietnamese", "Indonesian", "Malay",
    "Arabic", "Hindi", "Hebrew", "Urdu", "Bengali", "Polish", "Dutch", "Turkish", "Khmer", "Czech",
    "Swedish", "Hungarian", "Danish", "Finnish", "Tagalog", "Persian",
])
LANGUAGES = (LITE_LANGUAGES - {"Persian"}) | frozenset([
    "Western Persian", "Burmese", "Tamil", "Romanian", "Lao", "Cantonese", "Greek", "Ukrainian",
    "Bulgarian", "Serbian", "Telugu", "Afrikaans", "Armenian", "Assamese", "Asturian", "Basque",
    "Belarusian", "Bosnian", "Catalan", "Cebuano", "Croatian", "Egyptian Arabic", "Estonian",
    "Galician", "Georgian", "Gujarati", "Icelandic", "Javanese", "Kannada", "Kazakh", "Latvian",
    "Lithuanian", "Luxembourgish", "Macedonian", "Maithili", "Maltese", "Marathi",
    "Mesopotamian Arabic", "Moroccan Arabic", "Najdi Arabic", "Nepali", "North Azerbaijani",
    "North Levantine Arabic", "Northern Uzbek", "Norwegian Bokmål", "Norwegian Nynorsk",
    "Occitan", "Odia", "Pangasinan", "Sicilian", "Sindhi", "Sinhala", "Slovak", "Slovenian",
    "South Levantine Arabic", "Swahili", "Ta’izzi-Adeni Arabic", "Tosk Albanian",
    "Tunisian Arabic", "Venetian", "Waray", "Welsh",
])
# fmt: on
assert len(LANGUAGES) == 92 and len(LITE_LANGUAGES) == 31

_SAMPLING = ("seed", "temperature", "top_p", "top_k", "repetition_penalty", "max_tokens")
OPENAI_KEYS = frozenset({"model", "messages", "translation_options", "stream", "stream_options"})
OPENAI_KEYS |= frozenset(_SAMPLING)
NATIVE_KEYS = frozenset({"model", "input", "parameters"})
NATIVE_PARAMETERS = frozenset({"translation_options", "result_format", "incremental_output"})
NATIVE_PARAMETERS |= frozenset(_SAMPLING)
OPTION_KEYS = frozenset({"source_lang", "target_lang", "terms", "tm_list", "domains"})

# The first placeholder or tag in a text: %(name)s, %1$s, %s, %{name}, {{name}}, {name}, <b>.
PLACEHOLDER_RE = re.compile(
    r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%\d+\$[a-zA-Z]|%\{\w+\}|\{\{\s*[\w.]+\s*\}\}"
    r"|\{[\w.]*\}|%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs@]|</?[A-Za-z][^<>]*>"
)

# error kind -> (status, native code, compatible-mode code, message)
ERRORS: dict[str, tuple[int, str, str, str]] = {
    "400": (400, "InvalidParameter", "InvalidParameter", "Invalid parameter."),
    "reject": (
        400,
        "DataInspectionFailed",
        "data_inspection_failed",
        "Input data may contain inappropriate content.",
    ),
    "401": (401, "InvalidApiKey", "invalid_api_key", "Invalid API-key provided."),
    "403": (403, "AccessDenied", "AccessDenied", "Access denied."),
    "404": (404, "ModelNotFound", "model_not_found", "The model does not exist."),
    "429": (
        429,
        "Throttling.RateQuota",
        "insufficient_quota",
        "Requests rate limit exceeded, please try again later.",
    ),
    "500": (500, "InternalError", "internal_error", "An internal error has occurred."),
    "503": (503, "ServiceUnavailable", "service_unavailable", "The service is unavailable."),
}
# Kinds ``script()`` takes besides those of ERRORS (and a ``Reply``).
KINDS = (
    "ok",
    "429_retry_after",
    "timeout",
    "drop",
    "malformed",
    "length",
    "broken_placeholder",
    "merged_lines",
    *ERRORS,
)


@dataclass
class Faults:
    """What goes wrong, and how often (rates are probabilities per request, summing to <= 1)."""

    latency: float = 0.0  # seconds before every answer
    rate_429: float = 0.0  # 429 without Retry-After
    rate_429_retry_after: float = 0.0  # 429 with Retry-After: retry_after
    retry_after: float = 1.0  # seconds (a float like 0.01 is sent as is)
    rate_5xx: float = 0.0  # 500 or 503
    rate_timeout: float = 0.0  # wait timeout_seconds, then close without an answer
    timeout_seconds: float = 5.0  # set it above the client's read timeout
    rate_drop: float = 0.0  # close the connection at once without an answer
    rate_malformed: float = 0.0  # 200 with an unusable body
    rate_broken_placeholder: float = 0.0  # the first placeholder/tag of the answer is dropped
    rate_length: float = 0.0  # 200, cut, finish_reason "length"
    rate_merged_lines: float = 0.0  # 200, the first two lines of the answer run together
    reject_texts: set[str] = field(default_factory=set)  # 400 DataInspectionFailed (any line)
    rpm_limit: int | None = None  # more than this many requests in a rolling minute -> 429
    rpm_retry_after: bool = True  # send Retry-After with the rpm_limit 429s
    seed: int = 0


@dataclass
class Reply:
    """A scripted answer given exactly: ``body`` as JSON (dict/list) or bytes/str as is."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordedRequest:
    """One request as received (the Authorization header left out) and what was answered."""

    protocol: str  # "openai", "dashscope" or "unknown"
    path: str
    headers: dict[str, str]
    body: Any  # the parsed JSON, or None
    text: str | None  # the user message, when there was one
    answer: str  # "ok", a kind of KINDS, "rpm_limit", "violation", "unauthorized", "scripted"
    time: float


def fake_translate(text: str, target: str, terms: Sequence[tuple[str, str]] = ()) -> str:
    """The fake translation, line by line as a real model keeps lines: terms applied,
    ``[Target] `` before each line's core, the whitespace around it kept."""
    return "\n".join(_translate_line(line, target, terms) for line in text.split("\n"))


def _translate_line(text: str, target: str, terms: Sequence[tuple[str, str]]) -> str:
    core = text.strip()
    if not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    for source, replacement in terms:
        if source:
            core = core.replace(source, replacement)
    return f"{lead}[{target}] {core}{trail}"


def merge_lines(text: str) -> str:
    """``text`` with its first line break gone, as models occasionally answer."""
    return text.replace("\n", " ", 1)


def break_placeholder(text: str) -> str:
    """``text`` without its first placeholder or tag (unchanged when it has none)."""
    return PLACEHOLDER_RE.sub("", text, count=1)


def count_tokens(text: str) -> int:
    """The fake's token count: a token per 4 characters, at least 1."""
    return max(1, math.ceil(len(text) / 4))


def input_tokens(text: str, options: dict[str, Any]) -> int:
    """The fake's input tokens: text, terms, tm_list and domains (no prompt of its own)."""
    pairs = [*options.get("terms", ()), *options.get("tm_list", ())]
    material = text + "".join(p["source"] + p["target"] for p in pairs)
    return count_tokens(material + options.get("domains", ""))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def validate_request(protocol: str, body: Any) -> list[str]:
    """Every way ``body`` breaks the reference for ``protocol``; empty when it is valid."""
    if not isinstance(body, dict):
        return ["the body must be a JSON object"]
    problems: list[str] = []
    params: Any
    model = body.get("model")
    if model not in MODELS:
        problems.append(f"model must be one of {', '.join(MODELS)}, not {model!r}")
    if protocol == OPENAI:
        allowed, messages, params = OPENAI_KEYS, body.get("messages"), body
    else:
        allowed, params = NATIVE_KEYS, body.get("parameters")
        inp = body.get("input")
        if not isinstance(inp, dict) or set(inp) != {"messages"}:
            problems.append("input must be an object holding exactly 'messages'")
        messages = inp.get("messages") if isinstance(inp, dict) else None
        if not isinstance(params, dict):
            problems.append("parameters must be an object (it holds translation_options)")
            params = {}
        elif unknown := set(params) - NATIVE_PARAMETERS:
            problems.append(f"unknown parameters: {', '.join(sorted(unknown))}")
    if unknown := set(body) - allowed:
        problems.append(f"unknown top-level fields: {', '.join(sorted(unknown))}")
    problems += _check_messages(messages)
    problems += _check_options(params.get("translation_options"), model)
    problems += _check_sampling(params)
    return problems


def _check_messages(messages: Any) -> list[str]:
    if not isinstance(messages, list) or len(messages) != 1:
        return ["messages must be a list of exactly one user message"]
    message = messages[0]
    if not isinstance(message, dict) or set(message) != {"role", "content"}:
        return ["the message must be an object with exactly 'role' and 'content'"]
    problems = []
    if message["role"] != "user":
        problems.append(f"the message role must be 'user', not {message['role']!r}")
    if not isinstance(message["content"], str) or not message["content"]:
        problems.append("the message content must be a non-empty string")
    return problems


def _check_options(options: Any, model: Any) -> list[str]:
    if not isinstance(options, dict):
        return ["translation_options (an object) is required"]
    problems = []
    if unknown := set(options) - OPTION_KEYS:
        problems.append(f"unknown translation_options: {', '.join(sorted(unknown))}")
    names = LITE_LANGUAGES if model == LITE else LANGUAGES
    source, target = options.get("source_lang"), options.get("target_lang")
    if source != "auto" and source not in names:
        problems.append(f"source_lang {source!r} is not a language name {model} supports")
    if target not in names:
        problems.append(f"target_lang {target!r} is not a language name {model} supports")
    for key in ("terms", "tm_list"):
        if key not in options:
            continue
        pairs = options[key]
        if not isinstance(pairs, list) or not all(
            isinstance(pair, dict)
            and set(pair) == {"source", "target"}
            and all(isinstance(value, str) for value in pair.values())
            for pair in pairs
        ):
            problems.append(f"{key} must be a list of {{'source': str, 'target': str}} objects")
    if "domains" in options:
        if model == LITE:
            problems.append("qwen-mt-lite does not support domains")
        elif not isinstance(options["domains"], str):
            problems.append("domains must be a string")
        elif not options["domains"].isascii():  # the reference asks for English
            problems.append(f"domains must be English (ASCII): {options['domains']!r}")
    return problems


def _check_sampling(params: dict[str, Any]) -> list[str]:
    rules: dict[str, tuple[Callable[[Any], bool], Callable[[Any], bool], str]] = {
        "seed": (_is_int, lambda v: 0 <= v <= 2**31 - 1, "an integer in [0, 2^31-1]"),
        "temperature": (_is_number, lambda v: 0 <= v < 2, "a number in [0, 2)"),
        "top_p": (_is_number, lambda v: 0 < v <= 1, "a number in (0, 1]"),
        "top_k": (_is_int, lambda v: v >= 0, "an integer >= 0"),
        "repetition_penalty": (_is_number, lambda v: v > 0, "a number > 0"),
        "max_tokens": (_is_int, lambda v: 1 <= v <= MAX_OUTPUT_TOKENS, "an integer in [1, 8192]"),
    }
    problems = []
    for name, (kind, in_range, what) in rules.items():
        if name in params and not (kind(params[name]) and in_range(params[name])):
            problems.append(f"{name} must be {what}, not {params[name]!r}")
    if params.get("stream") not in (None, False) or params.get("incremental_output"):
        problems.append("streaming is not supported by the fake server")
    if "temperature" in params and "top_p" in params:
        problems.append("set temperature or top_p, not both (the reference asks for one)")
    if params.get("result_format", "message") != "message":
        problems.append("the fake server answers only result_format 'message'")
    return problems


def _request_parts(protocol: str, body: dict[str, Any]) -> tuple[str, dict[str, Any], Any]:
    """(text, translation_options, max_tokens) of a valid request."""
    if protocol == OPENAI:
        return body["messages"][0]["content"], body["translation_options"], body.get("max_tokens")
    params = body["parameters"]
    text = body["input"]["messages"][0]["content"]
    return text, params["translation_options"], params.get("max_tokens")


class _Handler(BaseHTTPRequestHandler):
    # Answers go out in two writes (headers, body); with Nagle's algorithm on, the second
    # waits for the client's delayed ACK, adding ~40 ms to every request.
    disable_nagle_algorithm = True
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, as the real service
    timeout = 30  # idle keep-alive connections are closed

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests and benchmarks read ``requests`` instead."""

    def do_POST(self) -> None:
        self.server.fake._handle(self)

    def do_GET(self) -> None:
        self.server.fake._send(self, 405, {"code": "MethodNotAllowed", "message": "POST only"})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 512  # the default backlog of 5 resets bursts of concurrent connections
    fake: FakeQwenServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the client went away (it timed out, or we dropped it on purpose)
        super().handle_error(request, client_address)


class FakeQwenServer:
    """The fake service; ``start()``/``stop()`` or use it as a context manager.

    Faults: ``server.faults.rate_5xx = 0.1`` (any ``Faults`` field, at any time) or
    ``server.set_faults(rate_5xx=0.1, seed=3)``; ``server.script("429", "ok", Reply(...))``.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str = DEFAULT_KEY,
        faults: Faults | None = None,
        **fault_fields: Any,
    ) -> None:
        self.host = host
        self.port = port
        self.api_key = api_key
        self.faults = faults or Faults(**fault_fields)
        self.allow_violations = False  # the pytest fixture fails a test that left violations
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._requests: list[RecordedRequest] = []
        self._violations: list[str] = []
        self._text_counts: Counter[str] = Counter()
        self._attempts: Counter[tuple[str, str]] = Counter()
        self._script: deque[str | Reply] = deque()
        self._window: deque[float] = deque()  # start times of accepted requests, for rpm_limit
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> FakeQwenServer:
        self._stopping.clear()
        httpd = _Server((self.host, self.port), _Handler)
        httpd.fake = self
        self._httpd = httpd
        self.port = httpd.server_address[1]
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-qwen",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping on latency or timeouts
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> FakeQwenServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what tests use ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def compat_url(self) -> str:
        """The OpenAI-compatible base URL (``--base-url`` with ``--api openai``)."""
        return self.url + "/compatible-mode/v1"

    @property
    def native_url(self) -> str:
        """The DashScope native base URL (``--base-url`` with ``--api dashscope``)."""
        return self.url + "/api/v1"

    def base_url(self, api: str) -> str:
        return self.compat_url if api == OPENAI else self.native_url

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def violations(self) -> list[str]:
        with self._lock:
            return list(self._violations)

    @property
    def text_counts(self) -> Counter[str]:
        """How many requests each distinct text got (retries included)."""
        with self._lock:
            return Counter(self._text_counts)

    def set_faults(self, **changes: Any) -> None:
        """Replace the faults: ``set_faults(rate_429=0.1, seed=2)`` (the rest back to defaults)."""
        self.faults = Faults(**changes)

    def script(self, *answers: str | Reply) -> None:
        """Force the answers to the next valid, authorized requests, in order (see ``KINDS``)."""
        for answer in answers:
            if not isinstance(answer, Reply) and answer not in KINDS:
                raise ValueError(f"unknown scripted answer {answer!r}: one of {KINDS}")
        with self._lock:
            self._script.extend(answers)

    def reset(self) -> None:
        """Forget requests, violations, counts and script (faults stay)."""
        with self._lock:
            self._requests.clear()
            self._violations.clear()
            self._text_counts.clear()
            self._attempts.clear()
            self._script.clear()
            self._window.clear()

    # -- serving ----------------------------------------------------------------------------

    def _handle(self, handler: _Handler) -> None:
        path = handler.path.split("?", 1)[0]
        protocol = PATHS.get(path, "unknown")
        raw = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in handler.headers.items() if k.lower() != "authorization"}
        try:
            body: Any = json.loads(raw)
        except ValueError:
            body = None
        problems = validate_request(protocol, body) if body is not None else ["invalid JSON body"]
        if not handler.headers.get("Content-Type", "").startswith("application/json"):
            problems.append("Content-Type must be application/json")
        if protocol == "unknown":
            problems = [f"no such endpoint: POST {path}"]
        authorized = handler.headers.get("Authorization") == f"Bearer {self.api_key}" or (
            protocol == DASHSCOPE and handler.headers.get("Authorization") == self.api_key
        )
        text: str | None = None
        options: dict[str, Any] = {}
        max_tokens: Any = None
        if not problems:
            text, options, max_tokens = _request_parts(protocol, body)
            if input_tokens(text, options) > MAX_INPUT_TOKENS:
                problems.append("Range of input length should be [1, 8192]")

        with self._lock:
            if problems:
                self._violations.append(f"{protocol} {path}: " + "; ".join(problems))
            if text is not None:
                self._text_counts[text] += 1
            answer, scripted = self._decide(problems, authorized, text, options)
            self._requests.append(
                RecordedRequest(protocol, path, headers, body, text, answer, time.time())
            )
            faults = self.faults

        if faults.latency > 0:
            self._stopping.wait(faults.latency)
        if protocol == "unknown":
            self._send(handler, 404, {"code": "NotFound", "message": problems[0]})
        elif answer == "unauthorized":
            self._error(handler, protocol, "401")
        elif answer == "violation":
            self._error(handler, protocol, "400", "; ".join(problems))
        elif isinstance(scripted, Reply):
            self._send(handler, scripted.status, scripted.body, scripted.headers)
        else:
            assert text is not None
            self._answer(handler, protocol, answer, body, text, options, max_tokens, faults)

    def _decide(
        self, problems: list[str], authorized: bool, text: Any, options: Any
    ) -> tuple[str, Reply | None]:
        """What to answer, and the scripted ``Reply`` if any (called under the lock)."""
        if not authorized:
            return "unauthorized", None
        if problems:
            return "violation", None
        if self._script:
            scripted = self._script.popleft()
            if isinstance(scripted, Reply):
                return "scripted", scripted
            return scripted, None
        faults = self.faults
        now = time.monotonic()
        if faults.rpm_limit is not None:
            while self._window and self._window[0] <= now - 60:
                self._window.popleft()
            if len(self._window) >= faults.rpm_limit:
                return "rpm_limit", None
            self._window.append(now)
        target = str(options.get("target_lang"))
        self._attempts[(text, target)] += 1
        attempt = self._attempts[(text, target)]
        rng = random.Random(f"{faults.seed}\0{text}\0{target}\0{attempt}")
        draw = rng.random()
        for kind, rate in (
            ("429", faults.rate_429),
            ("429_retry_after", faults.rate_429_retry_after),
            (rng.choice(("500", "503")), faults.rate_5xx),
            ("timeout", faults.rate_timeout),
            ("drop", faults.rate_drop),
            ("malformed", faults.rate_malformed),
            ("length", faults.rate_length),
            ("broken_placeholder", faults.rate_broken_placeholder),
            ("merged_lines", faults.rate_merged_lines),
        ):
            if draw < rate:
                return kind, None
            draw -= rate
        # A rejected text is rejected inside a batch too (any of its lines).
        rejected = text in faults.reject_texts or not faults.reject_texts.isdisjoint(
            str(text).split("\n")
        )
        return ("reject" if rejected else "ok"), None

    def _answer(
        self,
        handler: _Handler,
        protocol: str,
        answer: str,
        body: dict[str, Any],
        text: str,
        options: dict[str, Any],
        max_tokens: int | None,
        faults: Faults,
    ) -> None:
        if answer in ERRORS:
            self._error(handler, protocol, answer)
        elif answer in ("429_retry_after", "rpm_limit"):
            if answer == "rpm_limit" and not faults.rpm_retry_after:
                self._error(handler, protocol, "429")
                return
            wait = faults.retry_after
            if answer == "rpm_limit":
                with self._lock:
                    oldest = self._window[0] if self._window else time.monotonic()
                wait = max(1, math.ceil(oldest + 60 - time.monotonic()))
            value = str(int(wait)) if float(wait).is_integer() else str(wait)
            self._error(handler, protocol, "429", headers={"Retry-After": value})
        elif answer in ("timeout", "drop"):
            if answer == "timeout":
                self._stopping.wait(faults.timeout_seconds)
            handler.close_connection = True
            with contextlib.suppress(OSError):
                handler.connection.shutdown(socket.SHUT_RDWR)
        elif answer == "malformed":
            self._send(handler, 200, self._malformed(protocol, text))
        else:
            terms = [(t["source"], t["target"]) for t in options.get("terms", ())]
            translation = fake_translate(text, options["target_lang"], terms)
            finish = "stop"
            if answer == "broken_placeholder":
                translation = break_placeholder(translation)
            if answer == "merged_lines":
                translation = merge_lines(translation)
            if answer == "length":
                translation, finish = translation[: len(translation) // 2], "length"
            elif max_tokens is not None and count_tokens(translation) > max_tokens:
                translation, finish = translation[: 4 * max_tokens], "length"
            usage = (input_tokens(text, options), count_tokens(translation))
            self._send(handler, 200, self._success(protocol, body, translation, finish, usage))

    def _success(
        self, protocol: str, body: dict[str, Any], content: str, finish: str, usage: tuple[int, int]
    ) -> dict[str, Any]:
        request_id = str(uuid.uuid4())
        message = {"role": "assistant", "content": content}
        if protocol == OPENAI:
            return {
                "id": f"chatcmpl-{request_id}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body["model"],
                "choices": [
                    {"index": 0, "finish_reason": finish, "logprobs": None, "message": message}
                ],
                "usage": {
                    "prompt_tokens": usage[0],
                    "completion_tokens": usage[1],
                    "total_tokens": sum(usage),
                },
            }
        return {
            "request_id": request_id,
            "output": {
                "text": None,
                "finish_reason": finish,
                "choices": [{"finish_reason": finish, "message": message}],
                "model_name": body["model"],
            },
            "usage": {
                "input_tokens": usage[0],
                "output_tokens": usage[1],
                "total_tokens": sum(usage),
            },
        }

    @staticmethod
    def _malformed(protocol: str, text: str) -> bytes:
        rng = random.Random(text)
        return rng.choice(
            [
                b'{"choices": [{"message": {"content": "cut sh',
                b"<html><body>502 Bad Gateway</body></html>",
                b'{"id": "chatcmpl-x", "object": "chat.completion"}'
                if protocol == OPENAI
                else b'{"request_id": "x", "output": {}}',
            ]
        )

    def _error(
        self,
        handler: _Handler,
        protocol: str,
        kind: str,
        message: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        status, native_code, compat_code, default = ERRORS[kind]
        request_id = str(uuid.uuid4())
        message = message or default
        if protocol == OPENAI:
            body: dict[str, Any] = {
                "error": {
                    "message": message,
                    "type": compat_code,
                    "param": None,
                    "code": compat_code,
                },
                "request_id": request_id,
            }
        else:
            body = {"code": native_code, "message": message, "request_id": request_id}
        self._send(handler, status, body, {"x-request-id": request_id, **(headers or {})})

    @staticmethod
    def _send(
        handler: _Handler, status: int, body: Any, headers: dict[str, str] | None = None
    ) -> None:
        if isinstance(body, (bytes, str)):
            payload = body.encode() if isinstance(body, str) else body
        else:
            payload = json.dumps(body, ensure_ascii=False).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(payload)
        except OSError:
            handler.close_connection = True  # the client gave up (its read timeout)


def main(argv: list[str] | None = None) -> None:
    """Run the fake service by hand, for benchmarks and manual tries."""
    parser = argparse.ArgumentParser(description="A fake Qwen-MT service on loopback.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--key", default=DEFAULT_KEY, help="the API key it accepts")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per request")
    parser.add_argument("--rpm", type=int, default=None, help="429 above this many requests/min")
    for spec in fields(Faults):
        if spec.name.startswith("rate_") or spec.name in ("retry_after", "timeout_seconds", "seed"):
            flag = "--" + spec.name.replace("_", "-")
            parser.add_argument(flag, type=type(spec.default), default=spec.default)
    args = parser.parse_args(argv)
    faults = Faults(latency=args.latency, rpm_limit=args.rpm)
    for spec in fields(Faults):
        if spec.name.startswith("rate_") or spec.name in ("retry_after", "timeout_seconds", "seed"):
            setattr(faults, spec.name, getattr(args, spec.name))
    server = FakeQwenServer(host=args.host, port=args.port, api_key=args.key, faults=faults)
    server.start()
    print(f"fake Qwen-MT on {server.url}  key {server.api_key}", flush=True)
    print(f"  --api openai    --base-url {server.compat_url}", flush=True)
    print(f"  --api dashscope --base-url {server.native_url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        print(f"{len(server.requests)} requests, {len(server.violations)} violations")


if __name__ == "__main__":
    main()
