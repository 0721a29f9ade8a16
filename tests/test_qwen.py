"""Unit tests of the Qwen-MT client against httpx.MockTransport, on virtual time."""

from __future__ import annotations

import asyncio
import dataclasses
import heapq
import itertools
import json
import logging
import random
import weakref
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import httpx
import pytest

from l10n_qwen import errors, pipeline
from l10n_qwen.config import Settings
from l10n_qwen.errors import ApiError, AuthError, ConfigError, ContentRejected, FatalApiError
from l10n_qwen.provider import TranslationRequest
from l10n_qwen.qwen import (
    ClientConfig,
    QwenClient,
    check_base_url,
    default_max_tokens,
    estimate_input_tokens,
    estimate_tokens,
)
from l10n_qwen.ratelimit import RateLimiter
from l10n_qwen.service import (
    API_DASHSCOPE,
    API_OPENAI,
    MODELS,
    PRICES,
    REGIONS,
    base_url_for,
    endpoint_url,
)

KEY = "sk-SECRET-0123456789abcdef"
T = TypeVar("T")
Handler = Callable[[httpx.Request], httpx.Response]


class VirtualTime:
    """A clock and a ``sleep`` for asyncio that never wait: time jumps to the next wake-up once
    every task is blocked."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(0.0, seconds), next(self._order), future))
        await future

    def run(self, awaitable: Awaitable[T]) -> T:
        return asyncio.run(self._drive(awaitable))

    async def _drive(self, awaitable: Awaitable[T]) -> T:
        task = asyncio.ensure_future(awaitable)
        idle = 0
        while idle < 100:
            for _ in range(50):  # let every runnable task run until it blocks
                await asyncio.sleep(0)
            if task.done():
                return task.result()
            if self._sleepers:
                when, _, future = heapq.heappop(self._sleepers)
                self.now = max(self.now, when)
                future.set_result(None)
            else:
                idle += 1
        task.cancel()
        raise AssertionError("blocked on something other than virtual time")


def ok_body(api: str, content: str = "Hallo", finish: str = "stop") -> dict[str, Any]:
    message = {"role": "assistant", "content": content}
    if api == API_OPENAI:
        return {
            "id": "chatcmpl-1",
            "choices": [{"index": 0, "finish_reason": finish, "message": message}],
            "usage": {"prompt_tokens": 53, "completion_tokens": 9, "total_tokens": 62},
        }
    return {
        "request_id": "req-native",
        "output": {"choices": [{"finish_reason": finish, "message": message}]},
        "usage": {"input_tokens": 50, "output_tokens": 7, "total_tokens": 57},
    }


def error_body(api: str, code: str, message: str = "nope", request_id: str = "rid-1") -> Any:
    if api == API_OPENAI:
        return {
            "error": {"message": message, "type": code, "code": code, "param": None},
            "request_id": request_id,
        }
    return {"code": code, "message": message, "request_id": request_id}


class Recorder:
    """A MockTransport handler answering from a list (the last answer repeats)."""

    def __init__(self, *answers: httpx.Response | Exception | Callable[[], httpx.Response]):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self.times: list[float] = []
        self.clock: VirtualTime | None = None

    @property
    def bodies(self) -> list[Any]:
        return [json.loads(r.content) for r in self.requests]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.clock is not None:
            self.times.append(self.clock.now)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer() if callable(answer) else answer


def make_client(
    recorder: Recorder,
    clock: VirtualTime | None = None,
    rng: random.Random | None = None,
    **kw: Any,
) -> QwenClient:
    clock = clock or VirtualTime()
    recorder.clock = clock
    settings: dict[str, Any] = {"api_key": KEY, "rpm": 60_000, "tpm": 10_000_000}
    settings.update(kw)
    client = QwenClient(
        ClientConfig(**settings),
        transport=httpx.MockTransport(recorder),
        clock=clock,
        sleep=clock.sleep,
        rng=rng or random.Random(0),
    )
    _CLOCKS[client] = clock
    return client


_CLOCKS: weakref.WeakKeyDictionary[QwenClient, VirtualTime] = weakref.WeakKeyDictionary()


def translate(client: QwenClient, clock: VirtualTime | None, request: TranslationRequest) -> Any:
    async def go() -> Any:
        try:
            return await client.translate(request)
        finally:
            await client.aclose()

    return (clock or _CLOCKS[client]).run(go())


REQUEST = TranslationRequest("Open %s file", "English", "German")
FULL_REQUEST = TranslationRequest(
    "Open the biosensor",
    "English",
    "German",
    terms=(("biosensor", "Biosensor"),),
    tm_list=(("Close the file", "Datei schließen"),),
    domains="Medical device UI.",
)
SAMPLING = {
    "seed": 42,
    "temperature": 0.3,  # the reference: set temperature or top_p, not both
    "top_k": 5,
    "repetition_penalty": 1.1,
    "max_tokens": 256,
}
FULL_OPTIONS = {
    "source_lang": "English",
    "target_lang": "German",
    "terms": [{"source": "biosensor", "target": "Biosensor"}],
    "tm_list": [{"source": "Close the file", "target": "Datei schließen"}],
    "domains": "Medical device UI.",
}
MESSAGES = [{"role": "user", "content": "Open the biosensor"}]


def one_shot(api: str, request: TranslationRequest, **kw: Any) -> tuple[Recorder, Any]:
    recorder = Recorder(httpx.Response(200, json=ok_body(api)))
    clock = VirtualTime()
    result = translate(make_client(recorder, clock, api=api, **kw), clock, request)
    return recorder, result


# -- request bodies ---------------------------------------------------------------------------


def test_openai_body_has_options_and_sampling_at_top_level() -> None:
    recorder, _ = one_shot(API_OPENAI, FULL_REQUEST, **SAMPLING)
    assert recorder.bodies == [
        {
            "model": "qwen-mt-flash",
            "messages": MESSAGES,
            "translation_options": FULL_OPTIONS,
            **SAMPLING,
        }
    ]
    sent = recorder.requests[0]
    assert sent.method == "POST"
    assert sent.headers["Authorization"] == f"Bearer {KEY}"
    assert sent.headers["Content-Type"] == "application/json"
    assert (
        str(sent.url) == "https://dashscope-intl.aliyuncs.com/compatible-mode/v1/chat/completions"
    )


def test_native_body_nests_options_and_sampling_in_parameters() -> None:
    recorder, _ = one_shot(API_DASHSCOPE, FULL_REQUEST, model="qwen-mt-plus", **SAMPLING)
    assert recorder.bodies == [
        {
            "model": "qwen-mt-plus",
            "input": {"messages": MESSAGES},
            "parameters": {
                "translation_options": FULL_OPTIONS,
                "result_format": "message",
                **SAMPLING,
            },
        }
    ]
    assert recorder.requests[0].headers["Authorization"] == f"Bearer {KEY}"
    assert str(recorder.requests[0].url) == (
        "https://dashscope-intl.aliyuncs.com/api/v1/services/aigc/text-generation/generation"
    )


@pytest.mark.parametrize("api", [API_OPENAI, API_DASHSCOPE])
def test_empty_options_and_unset_sampling_are_left_out(api: str) -> None:
    recorder, _ = one_shot(api, TranslationRequest("Hi", "auto", "Japanese", domains=""))
    body = recorder.bodies[0]
    params = body if api == API_OPENAI else body["parameters"]
    assert params["translation_options"] == {"source_lang": "auto", "target_lang": "Japanese"}
    assert not (set(SAMPLING) - {"max_tokens"}) & set(params)
    # Unset, the output is bounded by four times the text (at least 256), not the model's 8,192.
    assert params["max_tokens"] == default_max_tokens("Hi") == 256


def test_temperature_and_top_p_together_are_refused() -> None:
    with pytest.raises(ConfigError, match="temperature or top_p"):
        ClientConfig(api_key=KEY, temperature=0.3, top_p=0.9).validate()


# -- URLs ---------------------------------------------------------------------------------------

HOSTS = {
    "singapore": "https://dashscope-intl.aliyuncs.com",
    "us": "https://dashscope-us.aliyuncs.com",
    "beijing": "https://dashscope.aliyuncs.com",
}


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize(
    ("api", "base_path", "endpoint"),
    [
        (API_OPENAI, "/compatible-mode/v1", "/chat/completions"),
        (API_DASHSCOPE, "/api/v1", "/services/aigc/text-generation/generation"),
    ],
)
def test_region_urls(region: str, api: str, base_path: str, endpoint: str) -> None:
    assert base_url_for(region, api) == HOSTS[region] + base_path
    recorder, _ = one_shot(api, REQUEST, region=region)
    assert str(recorder.requests[0].url) == HOSTS[region] + base_path + endpoint


def test_unknown_region_model_or_api_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="region"):
        base_url_for("frankfurt", API_OPENAI)
    with pytest.raises(ConfigError, match="API"):
        endpoint_url("https://x", "grpc")
    with pytest.raises(ConfigError, match="model"):
        QwenClient(ClientConfig(api_key=KEY, model="qwen-max"))
    with pytest.raises(ConfigError, match="temperature"):
        QwenClient(ClientConfig(api_key=KEY, temperature=2.0))
    with pytest.raises(ConfigError, match="DASHSCOPE_API_KEY"):
        QwenClient(ClientConfig(api_key=""))


@pytest.mark.parametrize("api", [API_OPENAI, API_DASHSCOPE])
def test_base_url_overrides_region(api: str) -> None:
    recorder, _ = one_shot(api, REQUEST, region="beijing", base_url="https://ws-1.example.com/p/")
    suffix = (
        "/chat/completions" if api == API_OPENAI else "/services/aigc/text-generation/generation"
    )
    assert str(recorder.requests[0].url) == "https://ws-1.example.com/p" + suffix


@pytest.mark.parametrize(
    "url", ["http://dashscope-intl.aliyuncs.com/api/v1", "http://10.0.0.1:8080/v1", "ftp://x/y"]
)
def test_plain_http_or_other_schemes_are_refused(url: str) -> None:
    with pytest.raises(ConfigError, match="base URL"):
        QwenClient(ClientConfig(api_key=KEY, base_url=url))


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8089/x", "http://127.9.8.7/x", "http://[::1]:80/x", "http://localhost:1/x"],
)
def test_plain_http_to_loopback_is_allowed(url: str) -> None:
    assert check_base_url(url + "/") == url


# -- qwen-mt-lite and domains -------------------------------------------------------------------


def test_lite_never_gets_domains_and_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    recorder = Recorder(httpx.Response(200, json=ok_body(API_OPENAI)))
    clock = VirtualTime()
    client = make_client(recorder, clock, model="qwen-mt-lite")

    async def go() -> None:
        await client.translate(FULL_REQUEST)
        await client.translate(FULL_REQUEST)
        await client.aclose()

    with caplog.at_level(logging.DEBUG, logger="l10n_qwen"):
        clock.run(go())
    assert [b["translation_options"].get("domains") for b in recorder.bodies] == [None, None]
    assert recorder.bodies[0]["translation_options"]["terms"] == FULL_OPTIONS["terms"]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert warnings[0].name == "l10n_qwen" and "domains" in warnings[0].getMessage()


# -- answers and usage --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("api", "tokens", "request_id"),
    [(API_OPENAI, (53, 9), "x-req-7"), (API_DASHSCOPE, (50, 7), "req-native")],
)
def test_usage_and_request_id_are_collected(
    api: str, tokens: tuple[int, int], request_id: str
) -> None:
    answer = httpx.Response(
        200, json=ok_body(api, "Datei öffnen"), headers={"x-request-id": "x-req-7"}
    )
    recorder = Recorder(answer)
    clock = VirtualTime()
    client = make_client(recorder, clock, api=api)

    async def go() -> Any:
        results = [await client.translate(REQUEST), await client.translate(REQUEST)]
        await client.aclose()
        return results

    first, second = clock.run(go())
    assert first.text == "Datei öffnen"
    assert (first.input_tokens, first.output_tokens) == tokens
    assert first.request_id == request_id
    assert second == first
    usage = client.usage
    assert (usage.requests, usage.retries) == (2, 0)
    assert (usage.input_tokens, usage.output_tokens) == (2 * tokens[0], 2 * tokens[1])
    assert usage.by_status == {200: 2}


def test_whitespace_only_text_sends_nothing() -> None:
    recorder = Recorder(httpx.Response(500))
    result = translate(make_client(recorder), None, TranslationRequest("  \n", "English", "German"))
    assert result.text == "  \n"
    assert recorder.requests == []


def test_prices_and_estimates() -> None:
    assert set(PRICES) == set(MODELS)
    assert PRICES["qwen-mt-flash"] == (0.16, 0.49)
    assert estimate_tokens("") == 0
    assert estimate_tokens("abcd" * 10) == 10
    assert estimate_tokens("你好世界") == 4
    assert estimate_tokens("Привет") == 3


# -- error mapping ------------------------------------------------------------------------------


@pytest.mark.parametrize("api", [API_OPENAI, API_DASHSCOPE])
@pytest.mark.parametrize(
    ("status", "codes", "error_type"),
    [
        (401, ("invalid_api_key", "InvalidApiKey"), AuthError),
        (403, ("AccessDenied", "Arrearage"), AuthError),
        (404, ("model_not_found", "ModelNotFound"), FatalApiError),
        (400, ("InvalidParameter", "InvalidParameter"), FatalApiError),
        (400, ("data_inspection_failed", "DataInspectionFailed"), ContentRejected),
        (413, ("request_too_large", "RequestTooLarge"), ApiError),
    ],
)
def test_fatal_errors_are_mapped_and_not_retried(
    api: str, status: int, codes: tuple[str, str], error_type: type[ApiError]
) -> None:
    code = codes[0] if api == API_OPENAI else codes[1]
    recorder = Recorder(httpx.Response(status, json=error_body(api, code, "It went wrong.")))
    with pytest.raises(ApiError) as info:
        translate(make_client(recorder, api=api, model="qwen-mt-turbo"), None, REQUEST)
    error = info.value
    assert type(error) is error_type
    assert (error.status, error.code, error.request_id) == (status, code, "rid-1")
    assert "It went wrong" in str(error)
    assert len(recorder.requests) == 1
    if error_type is AuthError:
        assert "DASHSCOPE_API_KEY" in str(error)
        assert "singapore, us, beijing" in str(error)
    if status == 404:
        assert "'qwen-mt-turbo'" in str(error)


def test_error_without_json_body_still_maps_by_status() -> None:
    recorder = Recorder(httpx.Response(401, text="<html>denied</html>"))
    with pytest.raises(AuthError) as info:
        translate(make_client(recorder), None, REQUEST)
    assert info.value.status == 401 and info.value.code is None


@pytest.mark.parametrize("api", [API_OPENAI, API_DASHSCOPE])
def test_retry_honours_retry_after_then_backs_off(api: str) -> None:
    recorder = Recorder(
        httpx.Response(
            429, json=error_body(api, "Throttling.RateQuota"), headers={"Retry-After": "7"}
        ),
        httpx.Response(500, json=error_body(api, "InternalError")),
        httpx.Response(200, json=ok_body(api)),
    )
    clock = VirtualTime()
    client = make_client(recorder, clock, api=api, backoff_base=2.0)
    result = translate(client, clock, REQUEST)
    assert result.text == "Hallo"
    assert len(recorder.requests) == 3
    assert recorder.times[1] >= 7  # nothing was sent before Retry-After ran out
    assert 7 < recorder.times[2] <= 7 + 4  # full jitter on the 2nd attempt: [0, base * 2)
    assert client.usage.by_status == {429: 1, 500: 1, 200: 1}
    assert (client.usage.requests, client.usage.retries) == (3, 2)
    assert client.limiter.factor == 0.5  # the 429 slowed the client down


class CeilingRng(random.Random):
    """Full jitter at its ceiling, to see the exponential bound."""

    def uniform(self, a: float, b: float) -> float:
        return b


def test_backoff_is_exponential_capped_and_bounded_by_max_attempts() -> None:
    recorder = Recorder(httpx.Response(503, json=error_body(API_OPENAI, "ServiceUnavailable")))
    clock = VirtualTime()
    client = make_client(
        recorder, clock, rng=CeilingRng(), max_attempts=6, backoff_base=1.0, backoff_max=10.0
    )
    with pytest.raises(ApiError) as info:
        translate(client, clock, REQUEST)
    assert type(info.value) is errors.TransientApiError  # retried, then raised: the service failed
    assert (info.value.status, info.value.code, info.value.request_id) == (
        503,
        "ServiceUnavailable",
        "rid-1",
    )
    assert len(recorder.requests) == 6
    assert clock.sleeps == [1.0, 2.0, 4.0, 8.0, 10.0]
    assert client.usage.retries == 5


def test_jitter_stays_under_the_ceiling() -> None:
    recorder = Recorder(httpx.Response(502))
    clock = VirtualTime()
    client = make_client(recorder, clock, rng=random.Random(3), max_attempts=5, backoff_base=1.0)
    with pytest.raises(ApiError):
        translate(client, clock, REQUEST)
    waits = clock.sleeps
    assert len(waits) == 4
    assert all(0 <= w <= 2**i for i, w in enumerate(waits))
    assert len(set(waits)) == 4  # jittered, not fixed


@pytest.mark.parametrize(
    ("failure", "code"),
    [
        (httpx.ReadTimeout("read timed out"), "timeout"),
        (httpx.ConnectTimeout("connect timed out"), "timeout"),
        (httpx.ConnectError("connection refused"), "connection_error"),
        (httpx.RemoteProtocolError("server disconnected"), "connection_error"),
    ],
)
def test_transport_failures_are_retried_then_wrapped(failure: Exception, code: str) -> None:
    recorder = Recorder(failure)
    with pytest.raises(ApiError) as info:
        translate(make_client(recorder, max_attempts=3, backoff_base=0.01), None, REQUEST)
    assert type(info.value) is errors.TransientApiError  # retried, then raised: the service failed
    assert info.value.code == code and info.value.status is None
    assert info.value.__cause__ is failure
    assert len(recorder.requests) == 3

    recorder = Recorder(failure, httpx.Response(200, json=ok_body(API_OPENAI)))
    assert translate(make_client(recorder), None, REQUEST).text == "Hallo"


@pytest.mark.parametrize("api", [API_OPENAI, API_DASHSCOPE])
@pytest.mark.parametrize(
    "content",
    [b"{not json", b"<html>502</html>", b'{"choices": []}', b'{"output": {}}', b"[]", b'"x"'],
)
def test_malformed_bodies_are_retried(api: str, content: bytes) -> None:
    recorder = Recorder(
        httpx.Response(200, content=content), httpx.Response(200, json=ok_body(api))
    )
    assert translate(make_client(recorder, api=api), None, REQUEST).text == "Hallo"
    assert len(recorder.requests) == 2

    recorder = Recorder(httpx.Response(200, content=content))
    with pytest.raises(ApiError) as info:
        translate(make_client(recorder, api=api, max_attempts=2), None, REQUEST)
    assert info.value.code == "malformed_response"


# -- finish_reason length and too_long -----------------------------------------------------------


def test_length_is_retried_once_with_twice_the_max_tokens() -> None:
    recorder = Recorder(
        httpx.Response(200, json=ok_body(API_OPENAI, "Hal", finish="length")),
        httpx.Response(200, json=ok_body(API_OPENAI, "Hallo")),
    )
    clock = VirtualTime()
    client = make_client(recorder, clock, max_tokens=100)
    result = translate(client, clock, REQUEST)
    assert result.text == "Hallo"
    assert [b["max_tokens"] for b in recorder.bodies] == [100, 200]
    assert (result.input_tokens, result.output_tokens) == (106, 18)  # both requests paid


@pytest.mark.parametrize(("max_tokens", "sent"), [(None, [256, 8192]), (5000, [5000, 8192])])
def test_length_twice_is_an_error(max_tokens: int | None, sent: list[int | None]) -> None:
    recorder = Recorder(httpx.Response(200, json=ok_body(API_DASHSCOPE, "Ha", finish="length")))
    with pytest.raises(errors.OutputCut) as info:
        translate(make_client(recorder, api=API_DASHSCOPE, max_tokens=max_tokens), None, REQUEST)
    assert info.value.code == "length"
    assert [b["parameters"].get("max_tokens") for b in recorder.bodies] == sent


def test_length_at_the_output_limit_is_not_retried() -> None:
    recorder = Recorder(httpx.Response(200, json=ok_body(API_OPENAI, "Ha", finish="length")))
    with pytest.raises(errors.OutputCut, match="cut"):
        translate(make_client(recorder, max_tokens=8192), None, REQUEST)
    assert len(recorder.requests) == 1


@pytest.mark.parametrize(
    "request_",
    [
        TranslationRequest("word " * 8000, "English", "German"),
        TranslationRequest("Hi", "English", "German", tm_list=(("a " * 20_000, "b"),)),
        TranslationRequest("Hi", "English", "German", domains="x" * 40_000),
    ],
)
def test_too_long_is_not_sent(request_: TranslationRequest) -> None:
    recorder = Recorder(httpx.Response(200, json=ok_body(API_OPENAI)))
    with pytest.raises(errors.TextTooLong) as info:
        translate(make_client(recorder), None, request_)
    assert (info.value.code, info.value.status) == ("too_long", None)
    assert "8192" in str(info.value)
    assert recorder.requests == []


def test_estimate_input_tokens_counts_what_would_be_sent() -> None:
    request = TranslationRequest("abcd" * 10, "English", "German", domains="x" * 400)
    assert estimate_input_tokens(request, "qwen-mt-flash") == 48 + 10 + 100
    assert estimate_input_tokens(request, "qwen-mt-lite") == 48 + 10
    assert estimate_input_tokens(FULL_REQUEST) > estimate_input_tokens(REQUEST) > 48


def test_lite_domains_do_not_count_towards_too_long() -> None:
    request = TranslationRequest("Hi", "English", "German", domains="x" * 40_000)
    recorder = Recorder(httpx.Response(200, json=ok_body(API_OPENAI)))
    assert translate(make_client(recorder, model="qwen-mt-lite"), None, request).text == "Hallo"


# -- the rate limiter ---------------------------------------------------------------------------


def run_acquires(limiter: RateLimiter, clock: VirtualTime, costs: list[int]) -> list[float]:
    starts: list[float] = []

    async def one(cost: int) -> None:
        await limiter.acquire(cost)
        starts.append(clock.now)

    async def go() -> None:
        await asyncio.gather(*(one(c) for c in costs))

    clock.run(go())
    return starts


def test_limiter_spaces_requests_at_rpm_with_a_small_burst() -> None:
    clock = VirtualTime()
    limiter = RateLimiter(60, 10_000_000, clock=clock, sleep=clock.sleep)
    starts = run_acquires(limiter, clock, [1] * 130)
    gap = 61 / 60  # one a second, and a second of margin on the minute
    assert starts[:5] == pytest.approx([0.0, gap, 2 * gap, 3 * gap, 4 * gap])
    assert starts == sorted(starts)
    for i, start in enumerate(starts):  # never more than 60 in any rolling minute
        assert sum(1 for s in starts[i:] if s < start + 60) <= 60


def test_limiter_keeps_under_tpm() -> None:
    clock = VirtualTime()
    limiter = RateLimiter(10_000, 6_000, clock=clock, sleep=clock.sleep)
    starts = run_acquires(limiter, clock, [500] * 30)
    # The bucket holds 200 tokens and refills at (6000 - 200) a minute: 500 tokens take ~5.2 s.
    step = 500 / (5_800 / 61)
    assert starts[:5] == pytest.approx([0.0, step, 2 * step, 3 * step, 4 * step])
    for i, start in enumerate(starts):  # never more than 6,000 tokens in any rolling minute
        assert 500 * sum(1 for s in starts[i:] if s < start + 60) <= 6_000


def test_limiter_throttled_pauses_everyone_and_halves_the_rate() -> None:
    clock = VirtualTime()
    limiter = RateLimiter(60, 10_000_000, clock=clock, sleep=clock.sleep)
    limiter.throttled(retry_after=5)
    assert limiter.paused_until == 5 and limiter.factor == 0.5
    limiter.throttled(retry_after=None)  # the same volley of 429s: no second halving
    assert limiter.factor == 0.5
    starts = run_acquires(limiter, clock, [1] * 4)
    gap = 2 * 61 / 60  # half the rate
    assert starts == pytest.approx([5.0, 5 + gap, 5 + 2 * gap, 5 + 3 * gap])
    clock.now = 5 + 30  # a cooldown without 429s restores the rate
    assert limiter.factor == 1.0


def test_limiter_requeues_tasks_caught_by_a_pause() -> None:
    clock = VirtualTime()
    limiter = RateLimiter(60, 10_000_000, burst=1, clock=clock, sleep=clock.sleep)
    starts: list[float] = []

    async def one() -> None:
        await limiter.acquire(1)
        starts.append(clock.now)
        if len(starts) == 1:  # the first request's 429 comes while the others wait their turn
            await clock.sleep(0.5)
            limiter.throttled(retry_after=10)

    async def go() -> None:
        await asyncio.gather(*(one() for _ in range(3)))

    clock.run(go())
    assert starts == pytest.approx([0.0, 10.5, 10.5 + 2 * 61 / 60])  # then at half the rate


def test_client_requests_are_paced_by_the_limiter() -> None:
    recorder = Recorder(httpx.Response(200, json=ok_body(API_OPENAI)))
    clock = VirtualTime()
    client = make_client(recorder, clock, rpm=60)

    async def go() -> None:
        await asyncio.gather(*(client.translate(REQUEST) for _ in range(6)))
        await client.aclose()

    clock.run(go())
    gap = 61 / 60
    assert recorder.times == pytest.approx([0.0, gap, 2 * gap, 3 * gap, 4 * gap, 5 * gap])


# -- the key never leaks ------------------------------------------------------------------------


def _texts(error: BaseException) -> Iterator[str]:
    seen: BaseException | None = error
    while seen is not None:
        yield str(seen)
        yield repr(seen)
        yield " ".join(map(str, seen.args))
        seen = seen.__cause__ or seen.__context__


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(401, json=error_body(API_OPENAI, "invalid_api_key", f"Bad key {KEY}.")),
        httpx.Response(400, json=error_body(API_OPENAI, "InvalidParameter", f"key={KEY}")),
        httpx.Response(503, json={"code": "x", "message": f"echo {KEY}"}),
        httpx.ConnectError("refused"),
        httpx.Response(200, content=b"garbage"),
    ],
)
def test_the_key_never_appears_in_errors_logs_or_reprs(
    answer: httpx.Response | Exception, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder(answer)
    client = make_client(recorder, max_attempts=2)
    with caplog.at_level(logging.DEBUG), pytest.raises(ApiError) as info:
        translate(client, None, REQUEST)
    assert recorder.requests[0].headers["Authorization"] == f"Bearer {KEY}"  # it was sent
    for text in [*_texts(info.value), caplog.text, repr(client), repr(client.config)]:
        assert KEY not in text
    if isinstance(answer, httpx.Response) and answer.status_code != 200:
        assert "***" in str(info.value)  # the echoed key was blanked out


def test_a_malformed_key_is_refused_without_showing_it() -> None:
    with pytest.raises(ConfigError) as info:
        QwenClient(ClientConfig(api_key="sk-secret with space"))
    assert "secret" not in str(info.value)


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(401, json=error_body(API_OPENAI, KEY, "bad key", request_id=KEY)),
        httpx.Response(400, json=error_body(API_OPENAI, f"code-{KEY}", "x", f"rid-{KEY}")),
        httpx.Response(503, json={"code": KEY}, headers={"x-request-id": KEY}),
        httpx.Response(429, json={"code": "Throttling", "request_id": KEY}),
        httpx.Response(200, json=ok_body(API_OPENAI, f"Hallo {KEY}")),  # echoed as the answer
        httpx.Response(200, json={"id": KEY, "choices": []}),
    ],
    ids=["401-code-and-id", "400-code", "503-header-id", "429-body-id", "answer", "malformed"],
)
def test_a_key_echoed_as_request_id_code_or_answer_is_blanked_out(
    answer: httpx.Response, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue #8: a gateway that echoes the key must not get it printed or into --report."""
    client = make_client(Recorder(answer), max_attempts=2)
    with caplog.at_level(logging.DEBUG), pytest.raises(ApiError) as info:
        translate(client, None, REQUEST)
    error = info.value
    for text in [*_texts(error), caplog.text, str(error.code), str(error.request_id)]:
        assert KEY not in text


def test_an_answer_echoing_the_key_with_a_good_request_id_is_never_returned() -> None:
    answer = httpx.Response(
        200, json=ok_body(API_OPENAI, f"Öffnen {KEY}"), headers={"x-request-id": KEY}
    )
    client = make_client(Recorder(answer), max_attempts=1)
    with pytest.raises(ApiError) as info:
        translate(client, None, REQUEST)
    assert "the answer holds the API key" in str(info.value)
    assert info.value.request_id == "***"


def test_the_client_config_takes_every_setting_it_shares(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHSCOPE_API_KEY", KEY)
    settings = Settings(
        model="qwen-mt-plus",
        region="us",
        api=API_DASHSCOPE,
        base_url="http://127.0.0.1:9/api/v1",
        seed=7,
        temperature=0.5,
        top_k=3,
        repetition_penalty=1.1,
        max_tokens=100,
        rpm=5,
        tpm=1000,
    )
    client = pipeline.make_provider(settings)
    assert isinstance(client, QwenClient)
    # ClientConfig is built field by field: a setting both know must not be left at a default.
    shared = {f.name for f in dataclasses.fields(ClientConfig)} & {
        f.name for f in dataclasses.fields(Settings)
    }
    assert {name: getattr(client.config, name) for name in shared} == {
        name: getattr(settings, name) for name in shared
    }
    asyncio.run(client.aclose())
