"""End to end under the faults a real service shows: broken placeholders, 5xx, 429, interruption."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from l10n_qwen import placeholders
from tests.conftest import CliRun, msgfmt_check
from tests.fakeserver import FakeQwenServer

Run = Callable[..., CliRun]
#: The command as a user runs it, from this interpreter whatever PATH says.
COMMAND = (sys.executable, "-m", "l10n_qwen")
FAST = ("--rpm", "100000", "--tpm", "100000000")

HEADER = """msgid ""
msgstr ""
"Language: de\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"""

PATTERNS = [
    ("c-format", "Copied %d files to %s, round {i}"),
    ("python-format", "Hello %(name)s, you are visitor {i}"),
    ("python-brace-format", "Page {{page}} of {{total}}, section {i}"),
    ("", "Read the <b>manual</b> part {i}"),
    ("", "Plain sentence number {i}"),
]


def write_catalog(path: Path, count: int) -> list[str]:
    """A German catalog of ``count`` untranslated entries with mixed placeholders."""
    texts, blocks = [], [HEADER]
    for i in range(count):
        flag, pattern = PATTERNS[i % len(PATTERNS)]
        text = pattern.format(i=i)
        texts.append(text)
        escaped = text.replace('"', '\\"')
        flag_line = f"#, {flag}\n" if flag else ""
        blocks.append(f'#: src/mod.py:{i}\n{flag_line}msgid "{escaped}"\nmsgstr ""\n')
    path.write_text("\n".join(blocks), encoding="utf-8")
    return texts


def args(fake: FakeQwenServer) -> list[str]:
    return ["--base-url", fake.compat_url, *FAST]


def test_broken_placeholders_are_never_written(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    po = tmp_path / "de.po"
    write_catalog(po, 60)
    fake_qwen.set_faults(rate_broken_placeholder=0.2, seed=7)

    result = run_cli("fill", po, "--batch-size", "1", *args(fake_qwen), key=fake_qwen.api_key)

    assert result.exit_code in (0, 1), result.stderr
    catalog = [e for e in polib.pofile(str(po)) if not e.obsolete]
    done = [e for e in catalog if e.msgstr]
    left = [e for e in catalog if not e.msgstr]
    assert done, "some entries must be translated"
    for entry in done:
        flags = frozenset(entry.flags) - {"fuzzy"}
        assert placeholders.verify(entry.msgid, entry.msgstr, flags) == [], entry.msgid
    # Whatever is left is reported, one line each, and the exit code says so.
    failures = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failures) == len(left)
    assert result.exit_code == (1 if left else 0)
    # Broken answers were retried with placeholders masked, and some retries were rescued.
    masked = [r for r in fake_qwen.requests if r.text and "<x0/>" in r.text]
    assert masked, "a broken placeholder must be retried with placeholders masked"
    assert any(r.answer == "ok" for r in masked)
    assert len(done) >= 0.8 * len(catalog), result.stderr
    msgfmt_check(po)


def test_5xx_and_429_are_retried_until_everything_is_filled(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    po = tmp_path / "de.po"
    texts = write_catalog(po, 40)
    fake_qwen.set_faults(rate_5xx=0.1, rate_429=0.05, rate_429_retry_after=0.05, retry_after=0.05)

    # One text per request: enough requests for the faults to hit some of them.
    result = run_cli("fill", po, "--batch-size", "1", *args(fake_qwen), key=fake_qwen.api_key)

    assert result.exit_code == 0, result.stderr
    answers = [r.answer for r in fake_qwen.requests]
    assert any(a.startswith("5") for a in answers) and any(a.startswith("429") for a in answers)
    catalog = polib.pofile(str(po))
    assert all(catalog.find(t).msgstr == f"[German] {t}" for t in texts)
    msgfmt_check(po)


def start_slow_fill(
    fake: FakeQwenServer, folder: Path, entries: int, stop_after: int
) -> tuple[list[str], list[str], dict[str, str], subprocess.Popen[bytes]]:
    """Start the command on a new catalog of ``entries`` (0.05 s a request, two at a
    time) and return once the server has seen ``stop_after`` requests: (texts, command, env,
    the running process)."""
    (folder / ".git").mkdir()
    texts = write_catalog(folder / "de.po", entries)
    fake.set_faults(latency=0.05)
    env = {**os.environ, "DASHSCOPE_API_KEY": fake.api_key}
    cmd = [*COMMAND, "fill", str(folder / "de.po"), "--concurrency", "2", "--batch-size", "1"]
    cmd += args(fake)
    proc = subprocess.Popen(
        cmd, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 30
    while len(fake.requests) < stop_after and time.monotonic() < deadline:
        time.sleep(0.02)
    return texts, cmd, env, proc


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_run_keeps_what_it_finished_and_rerun_asks_only_the_rest(
    signum: int, fake_qwen: FakeQwenServer, tmp_path: Path
) -> None:
    po = tmp_path / "de.po"
    texts, cmd, env, proc = start_slow_fill(fake_qwen, tmp_path, 120, stop_after=30)
    proc.send_signal(signum)
    stdout, stderr = proc.communicate(timeout=20)

    assert proc.returncode == 130, stderr.decode()
    assert b"run the same command again" in stderr
    msgfmt_check(po)
    finished = {e.msgid for e in polib.pofile(str(po)) if e.msgstr}
    assert 0 < len(finished) < len(texts)
    first_run = len(fake_qwen.requests)

    rerun = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, check=False)
    assert rerun.returncode == 0, rerun.stderr.decode()
    asked_again = {r.text for r in fake_qwen.requests[first_run:]}
    assert asked_again.isdisjoint(finished)  # nothing saved before the signal is paid for twice
    assert len(asked_again) <= len(texts) - len(finished)
    catalog = polib.pofile(str(po))
    assert all(catalog.find(t).msgstr == f"[German] {t}" for t in texts)
    msgfmt_check(po)
    assert fake_qwen.api_key.encode() not in stdout + stderr + rerun.stdout + rerun.stderr


def test_symlink_out_of_the_project_is_refused(run_cli: Run, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside.po"
    write_catalog(outside, 1)
    before = outside.read_bytes()
    (tmp_path / "de.po").symlink_to(outside)
    try:
        result = run_cli("fill", "de.po", "--provider", "pseudo")
        assert result.exit_code == 2
        assert "outside the project" in result.stderr
        assert outside.read_bytes() == before
    finally:
        outside.unlink()


def test_symlink_inside_the_project_is_written_through(run_cli: Run, tmp_path: Path) -> None:
    real = tmp_path / "locales" / "de.po"
    real.parent.mkdir()
    write_catalog(real, 2)
    link = tmp_path / "de.po"
    link.symlink_to(real)
    result = run_cli("fill", "de.po", "--provider", "pseudo")
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert all(e.msgstr for e in polib.pofile(str(real)) if not e.obsolete)


def test_plain_http_to_a_remote_host_is_refused(run_cli: Run, tmp_path: Path) -> None:
    po = tmp_path / "de.po"
    write_catalog(po, 1)
    result = run_cli("fill", po, "--base-url", "http://example.com/compatible-mode/v1", key="sk-x")
    assert result.exit_code == 2
    assert "https" in result.stderr
    assert "sk-x" not in result.stderr


def test_cut_translation_is_retried_once_then_reported(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    po = tmp_path / "de.po"
    write_catalog(po, 2)
    fake_qwen.script("length", "length")  # the first text: cut twice
    result = run_cli(
        "fill", po, "--concurrency", "1", "--batch-size", "1", *args(fake_qwen),
        key=fake_qwen.api_key,
    )  # fmt: skip
    assert result.exit_code == 1
    assert "length" in result.stderr
    first, second = fake_qwen.requests[:2]
    assert first.text == second.text
    assert second.body.get("max_tokens", 0) > first.body.get("max_tokens", 0)
    catalog = polib.pofile(str(po))
    assert [bool(e.msgstr) for e in catalog] == [False, True]
    msgfmt_check(po)


def test_unknown_model_stops_the_run(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    po = tmp_path / "de.po"
    write_catalog(po, 5)
    before = po.read_bytes()
    fake_qwen.script("404")
    result = run_cli("fill", po, "--concurrency", "1", *args(fake_qwen), key=fake_qwen.api_key)
    assert result.exit_code == 2
    assert "qwen-mt-flash" in result.stderr
    assert len(fake_qwen.requests) == 1
    assert po.read_bytes() == before


def test_text_over_the_input_limit_is_reported_not_sent(
    fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    po = tmp_path / "de.po"
    huge = "word " * 12_000
    po.write_text(HEADER + f'\nmsgid "{huge}"\nmsgstr ""\n\nmsgid "Short"\nmsgstr ""\n')
    result = run_cli("fill", po, *args(fake_qwen), key=fake_qwen.api_key)
    assert result.exit_code == 1
    assert [r.text for r in fake_qwen.requests] == ["Short"]
    assert "8192" in result.stderr or "8,192" in result.stderr or "too long" in result.stderr


def test_work_is_saved_as_the_run_goes_even_if_killed(
    fake_qwen: FakeQwenServer, tmp_path: Path
) -> None:
    po = tmp_path / "de.po"
    texts, cmd, env, proc = start_slow_fill(fake_qwen, tmp_path, 240, stop_after=140)
    proc.kill()  # SIGKILL: no chance to save; only what was saved on the way survives
    proc.communicate(timeout=20)
    msgfmt_check(po)
    saved = {e.msgid for e in polib.pofile(str(po)) if e.msgstr}
    assert len(saved) >= 40, "finished entries are written every few seconds"
    first_run = len(fake_qwen.requests)
    rerun = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, check=False)
    assert rerun.returncode == 0, rerun.stderr.decode()
    assert {r.text for r in fake_qwen.requests[first_run:]}.isdisjoint(saved)
    catalog = polib.pofile(str(po))
    assert all(catalog.find(t).msgstr == f"[German] {t}" for t in texts)


@pytest.mark.parametrize(("batch", "entries"), [("1", 20), ("10", 40)])
def test_a_service_that_keeps_failing_stops_the_run(
    batch: str, entries: int, fake_qwen: FakeQwenServer, run_cli: Run, tmp_path: Path
) -> None:
    po = tmp_path / "de.po"
    write_catalog(po, entries)
    before = po.read_bytes()
    # Every answer is a 429 asking to wait 10 ms: retried to the client's limit, text after text.
    fake_qwen.set_faults(rate_429_retry_after=1.0, retry_after=0.01)
    result = run_cli(
        "fill", po, "--concurrency", "1", "--batch-size", batch, *args(fake_qwen),
        key=fake_qwen.api_key,
    )  # fmt: skip
    assert result.exit_code == 1
    assert "in a row failed even after retries" in result.stderr
    # Three requests of six attempts each, then the stop; a failed batch (one request, however
    # many texts) is not sent again text by text.
    assert len(fake_qwen.requests) == 3 * 6
    assert po.read_bytes() == before


def test_two_runs_at_once_keep_both_review_records(
    fake_qwen: FakeQwenServer, tmp_path: Path
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "en.json").write_text(json.dumps({f"k{i}": f"Text {i}" for i in range(6)}))
    fake_qwen.set_faults(latency=0.1)
    env = {**os.environ, "DASHSCOPE_API_KEY": fake_qwen.api_key}
    runs = [
        subprocess.Popen(
            [*COMMAND, "fill", name, "--concurrency", "1", *args(fake_qwen)],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        for name in ("de.json", "fr.json")
    ]  # fmt: skip
    for proc in runs:
        proc.communicate(timeout=60)
        assert proc.returncode == 0
    state = json.loads((tmp_path / ".l10n-qwen-review.json").read_text())
    assert sorted(state["files"]) == ["de.json", "fr.json"]
    assert all(len(keys) == 6 for keys in state["files"].values())
