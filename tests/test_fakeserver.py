"""The Qwen-MT client against the real fake server on loopback, faults included."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from l10n_qwen.errors import ApiError, AuthError, ContentRejected
from l10n_qwen.provider import Translation, TranslationRequest
from l10n_qwen.qwen import ClientConfig, QwenClient
from l10n_qwen.service import API_DASHSCOPE, API_OPENAI
from tests.fakeserver import DEFAULT_KEY, FakeQwenServer, Reply, break_placeholder

APIS = [API_OPENAI, API_DASHSCOPE]


def client_for(server: FakeQwenServer, api: str = API_OPENAI, **kw: Any) -> QwenClient:
    settings: dict[str, Any] = {
        "api_key": server.api_key,
        "api": api,
        "base_url": server.base_url(api),
        "rpm": 100_000,
        "tpm": 100_000_000,
        "backoff_base": 0.001,
        "backoff_max": 0.01,
    }
    settings.update(kw)
    return QwenClient(ClientConfig(**settings))


def run(client: QwenClient, *requests: TranslationRequest) -> list[Translation]:
    async def go() -> list[Translation]:
        try:
            return list(await asyncio.gather(*(client.translate(r) for r in requests)))
        finally:
            await client.aclose()

    return asyncio.run(go())


def de(text: str, **kw: Any) -> TranslationRequest:
    return TranslationRequest(text, "English", "German", **kw)


@pytest.mark.parametrize("api", APIS)
def test_translation_over_both_protocols(fake_qwen: FakeQwenServer, api: str) -> None:
    client = client_for(fake_qwen, api, seed=7, temperature=0.2, top_k=3, max_tokens=512)
    request = de(
        "  Open the biosensor %(name)s\n",
        terms=(("biosensor", "Biosensor"),),
        tm_list=(("Close", "Schließen"),),
        domains="Lab equipment UI.",
    )
    (result,) = run(client, request)
    assert result.text == "  [German] Open the Biosensor %(name)s\n"
    assert result.input_tokens > 0 and result.output_tokens > 0 and result.request_id
    assert client.usage.by_status == {200: 1}
    assert fake_qwen.violations == []
    (seen,) = fake_qwen.requests
    assert seen.protocol == api and seen.answer == "ok"
    assert "authorization" not in {name.lower() for name in seen.headers}
    assert fake_qwen.text_counts == Counter({request.text: 1})


def test_lite_with_every_option_is_valid(fake_qwen: FakeQwenServer) -> None:
    client = client_for(fake_qwen, API_DASHSCOPE, model="qwen-mt-lite", top_p=0.5, seed=0)
    request = TranslationRequest("Hello {name}", "auto", "Persian", domains="Chat app.")
    (result,) = run(client, request)
    assert result.text == "[Persian] Hello {name}"
    assert fake_qwen.violations == []  # no domains reached the lite model


BAD_BODIES = [
    ({"messages": [{"role": "system", "content": "Be nice"}]}, "role"),
    ({"messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}]}, "one"),
    ({"stream_everything": True}, "unknown top-level"),
    ({"translation_options": {"source_lang": "en", "target_lang": "de"}}, "source_lang"),
    ({"translation_options": {"source_lang": "English", "target_lang": "auto"}}, "target_lang"),
    ({"temperature": 2.0}, "temperature"),
    ({"top_p": 0}, "top_p"),
    ({"seed": -1}, "seed"),
    ({"max_tokens": 0}, "max_tokens"),
    ({"model": "qwen-max"}, "model"),
    (
        {
            "translation_options": {
                "source_lang": "English",
                "target_lang": "German",
                "terms": [{"src": "a", "target": "b"}],
            }
        },
        "terms",
    ),
    (
        {
            "model": "qwen-mt-lite",
            "translation_options": {
                "source_lang": "English",
                "target_lang": "German",
                "domains": "IT",
            },
        },
        "domains",
    ),
    (
        {
            "model": "qwen-mt-lite",
            "translation_options": {"source_lang": "English", "target_lang": "Greek"},
        },
        "target_lang",
    ),
    ({"temperature": 0.3, "top_p": 0.9}, "not both"),
]


def openai_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": "qwen-mt-flash",
        "messages": [{"role": "user", "content": "Hello"}],
        "translation_options": {"source_lang": "English", "target_lang": "German"},
    }
    body.update(changes)
    return body


@pytest.mark.parametrize(("changes", "problem"), BAD_BODIES)
def test_strict_validation_catches_bad_openai_requests(
    fake_qwen: FakeQwenServer, changes: dict[str, Any], problem: str
) -> None:
    fake_qwen.allow_violations = True
    response = httpx.post(
        fake_qwen.compat_url + "/chat/completions",
        json=openai_body(**changes),
        headers={"Authorization": f"Bearer {fake_qwen.api_key}"},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "InvalidParameter" and problem in error["message"]
    assert len(fake_qwen.violations) == 1 and problem in fake_qwen.violations[0]


def test_strict_validation_of_native_requests(fake_qwen: FakeQwenServer) -> None:
    fake_qwen.allow_violations = True
    headers = {"Authorization": f"Bearer {fake_qwen.api_key}"}
    url = fake_qwen.native_url + "/services/aigc/text-generation/generation"
    # the OpenAI shape sent to the native endpoint
    response = httpx.post(url, json=openai_body(), headers=headers)
    assert response.status_code == 400
    assert response.json()["code"] == "InvalidParameter"
    assert "unknown top-level fields: messages, translation_options" in response.json()["message"]
    # sampling outside `parameters`, and not JSON at all
    body = {
        "model": "qwen-mt-plus",
        "input": {"messages": [{"role": "user", "content": "Hi"}]},
        "parameters": {"translation_options": {"source_lang": "English", "target_lang": "Welsh"}},
        "seed": 1,
    }
    assert httpx.post(url, json=body, headers=headers).status_code == 400
    del body["seed"]
    assert httpx.post(url, json=body, headers=headers).status_code == 200
    bad = httpx.post(url, content=b"{", headers={**headers, "Content-Type": "application/json"})
    assert bad.status_code == 400
    assert len(fake_qwen.violations) == 3


def test_wrong_key_is_an_auth_error_not_a_violation(fake_qwen: FakeQwenServer) -> None:
    client = client_for(fake_qwen, api_key="sk-wrong-key")
    with pytest.raises(AuthError) as info:
        run(client, de("Hello"))
    assert info.value.code == "invalid_api_key"
    assert len(fake_qwen.requests) == 1 and fake_qwen.violations == []


@pytest.mark.parametrize("api", APIS)
def test_fifty_concurrent_translations_survive_5xx_and_429(
    fake_qwen: FakeQwenServer, api: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake_qwen.set_faults(
        rate_5xx=0.1, rate_429=0.05, rate_429_retry_after=0.05, retry_after=0.01, seed=11
    )
    texts = [f"String number {i} with %s and <b>bold</b>" for i in range(50)]
    client = client_for(fake_qwen, api, max_attempts=10)
    with caplog.at_level(logging.DEBUG):
        results = run(client, *(de(t) for t in texts))
    assert [r.text for r in results] == [f"[German] {t}" for t in texts]
    answers = Counter(r.answer for r in fake_qwen.requests)
    failures = sum(n for kind, n in answers.items() if kind != "ok")
    assert answers["ok"] == 50
    assert answers["500"] + answers["503"] > 0 and answers["429"] + answers["429_retry_after"] > 0
    assert client.usage.retries == failures
    assert client.usage.requests == 50 + failures
    assert fake_qwen.api_key not in caplog.text


def test_timeouts_and_dropped_connections_are_retried(fake_qwen: FakeQwenServer) -> None:
    fake_qwen.faults.timeout_seconds = 2.0
    fake_qwen.script("timeout", "drop", "malformed", "503", "ok")
    client = client_for(fake_qwen, read_timeout=0.3)
    (result,) = run(client, de("Save"))
    assert result.text == "[German] Save"
    assert [r.answer for r in fake_qwen.requests] == ["timeout", "drop", "malformed", "503", "ok"]
    assert client.usage.retries == 4


def test_retry_after_from_the_server_is_honoured(fake_qwen: FakeQwenServer) -> None:
    fake_qwen.faults.retry_after = 0.3
    fake_qwen.script("429_retry_after")
    client = client_for(fake_qwen)
    (result,) = run(client, de("Quit"))
    first, second = fake_qwen.requests
    assert second.time - first.time >= 0.29
    assert result.text == "[German] Quit"


def test_exhausted_retries_raise_the_last_error(fake_qwen: FakeQwenServer) -> None:
    fake_qwen.script("500", "503", "429")
    with pytest.raises(ApiError) as info:
        run(client_for(fake_qwen, API_DASHSCOPE, max_attempts=3), de("Quit"))
    assert (info.value.status, info.value.code) == (429, "Throttling.RateQuota")
    assert info.value.request_id  # the fake's request id came through


def test_rejected_text_is_content_rejected(fake_qwen: FakeQwenServer) -> None:
    fake_qwen.faults.reject_texts = {"Bad words"}
    client = client_for(fake_qwen)

    async def go() -> tuple[BaseException | Translation, ...]:
        try:
            return tuple(
                await asyncio.gather(
                    client.translate(de("Bad words")), client.translate(de("Good")),
                    return_exceptions=True,
                )
            )  # fmt: skip
        finally:
            await client.aclose()

    rejected, good = asyncio.run(go())
    assert isinstance(rejected, ContentRejected) and rejected.code == "data_inspection_failed"
    assert isinstance(good, Translation) and good.text == "[German] Good"
    assert fake_qwen.text_counts["Bad words"] == 1  # not retried


def test_length_from_a_small_max_tokens_is_retried_larger(fake_qwen: FakeQwenServer) -> None:
    text = "A sentence long enough to need more than twenty tokens of output, surely: " * 2
    client = client_for(fake_qwen, API_DASHSCOPE, max_tokens=30)
    (result,) = run(client, de(text))
    assert result.text == f"[German] {text.strip()} "
    sent = [r.body["parameters"]["max_tokens"] for r in fake_qwen.requests]
    assert sent == [30, 60]


def test_broken_placeholder_fault_drops_the_first_placeholder(fake_qwen: FakeQwenServer) -> None:
    fake_qwen.script("broken_placeholder", "broken_placeholder")
    results = run(client_for(fake_qwen), de("Open %(file)s in {app}"))
    assert results[0].text == "[German] Open  in {app}"
    assert break_placeholder("<b>Hi</b> {{ user }}") == "Hi</b> {{ user }}"
    assert break_placeholder("Delete %{count} files") == "Delete  files"


def test_scripted_custom_reply(fake_qwen: FakeQwenServer) -> None:
    fake_qwen.script(Reply(200, {"choices": [{"message": {"content": "Exakt"}}]}))
    (result,) = run(client_for(fake_qwen), de("Exactly"))
    assert result.text == "Exakt"


def test_server_side_rpm_limit(fake_qwen: FakeQwenServer) -> None:
    fake_qwen.faults.rpm_limit = 3
    fake_qwen.faults.rpm_retry_after = False
    client = client_for(fake_qwen, max_attempts=1)

    async def go() -> None:
        try:
            for i in range(3):
                await client.translate(de(f"Text {i}"))
            with pytest.raises(ApiError) as info:
                await client.translate(de("Four"))
            assert info.value.status == 429
        finally:
            await client.aclose()

    asyncio.run(go())
    assert [r.answer for r in fake_qwen.requests] == ["ok", "ok", "ok", "rpm_limit"]


def test_faults_are_reproducible_with_a_seed(fake_qwen: FakeQwenServer) -> None:
    def answers() -> list[str]:
        fake_qwen.reset()
        fake_qwen.set_faults(rate_5xx=0.3, rate_malformed=0.2, seed=5)
        run(client_for(fake_qwen, max_attempts=20), *(de(f"Line {i}") for i in range(20)))
        return sorted(f"{r.text}:{r.answer}" for r in fake_qwen.requests)

    first = answers()
    assert first == answers()
    assert any(not a.endswith(":ok") for a in first)


def test_fake_server_runs_from_the_command_line() -> None:
    script = Path(__file__).with_name("fakeserver.py")
    process = subprocess.Popen(
        [sys.executable, str(script), "--port", "0", "--latency", "0.01", "--rpm", "60"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        url = first_line.split()[3]
        response = httpx.post(
            url + "/compatible-mode/v1/chat/completions",
            json=openai_body(),
            headers={"Authorization": f"Bearer {DEFAULT_KEY}"},
        )
        assert response.json()["choices"][0]["message"]["content"] == "[German] Hello"
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
