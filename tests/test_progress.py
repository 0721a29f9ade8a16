"""The progress display: a bar on a terminal, timed plain lines in a log (issue 11)."""

from __future__ import annotations

import io
import itertools
import os
import pty
import shutil
import subprocess
import time
from pathlib import Path

from l10n_qwen.progress import Progress, duration
from tests.fakeserver import FakeQwenServer


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_duration_reads_like_a_person_would_say_it() -> None:
    assert [duration(s) for s in (8.4, 65, 3725)] == ["8 s", "1 min 05 s", "1 h 02 min"]


def test_a_terminal_gets_a_bar_with_rate_time_left_and_the_quota_note() -> None:
    screen = Terminal()
    progress = Progress(40, screen, quota="60 requests/min")
    progress(10)
    progress.tick(waiting_on_quota=True)
    shown = screen.getvalue()
    assert "10/40" in shown
    assert "entries/s" in shown  # the rate
    assert "<" in shown  # elapsed<remaining: the time left
    assert "waiting on the quota (60 requests/min)" in shown
    progress(30)
    progress.tick(waiting_on_quota=False)
    progress.close()
    assert "40/40" in screen.getvalue()


def test_a_log_gets_a_line_every_interval_even_when_nothing_finishes() -> None:
    log, clock = io.StringIO(), Clock()
    progress = Progress(1000, log, interval=10, quota="60 requests/min", clock=clock)
    for second in range(1, 36):
        clock.now = float(second)
        progress.tick(waiting_on_quota=True)
    lines = log.getvalue().splitlines()
    assert (
        lines
        == [
            "l10n-qwen: 0/1000 entries (0%); waiting on the quota (60 requests/min)",
        ]
        * 3
    )


def test_a_log_gets_a_line_per_tenth_but_not_more_than_one_every_fifth_interval() -> None:
    log, clock = io.StringIO(), Clock()
    progress = Progress(100, log, interval=10, clock=clock)
    clock.now = 1.0
    progress(50)  # half done within a second: too soon for a line
    clock.now = 2.0
    progress(10)  # 60% two seconds in: a line
    clock.now = 3.0
    progress(10)  # 70%, a second later: too soon
    clock.now = 5.0
    progress.tick(waiting_on_quota=False)  # the 70% line, now that two seconds passed
    progress.close()
    assert log.getvalue().splitlines() == [
        "l10n-qwen: 60/100 entries (60%), 30.0/s, about 1 s left",
        "l10n-qwen: 70/100 entries (70%), 14.0/s, about 2 s left",
        "l10n-qwen: 70/100 entries done in 5 s",
    ]


def test_a_short_run_prints_no_progress_at_all() -> None:
    log, clock = io.StringIO(), Clock()
    progress = Progress(3, log, clock=clock)
    clock.now = 0.5
    progress(3)
    progress.close()
    assert log.getvalue() == ""


def test_a_run_without_a_terminal_prints_progress_lines_on_time(
    fake_qwen: FakeQwenServer, tmp_path: Path
) -> None:
    # A real run of the installed command with stderr a pipe (as in CI): 0.25 s a request, one
    # at a time, ~5 s in all; the knob makes the interval 1 s instead of 10 s.
    command = shutil.which("l10n-qwen")
    assert command, "the package must be installed (pip install -e .)"
    (tmp_path / "l10n-qwen.toml").write_text("progress-interval = 1.0\n")
    body = "".join(f'msgid "Text {i}"\nmsgstr ""\n\n' for i in range(20))
    (tmp_path / "de.po").write_text('msgid ""\nmsgstr ""\n"Language: de\\n"\n\n' + body)
    fake_qwen.set_faults(latency=0.25)
    env = {**os.environ, "DASHSCOPE_API_KEY": fake_qwen.api_key}
    cmd = [command, "fill", "de.po", "--batch-size", "1", "--concurrency", "1"]
    cmd += ["--base-url", fake_qwen.compat_url, "--rpm", "100000", "--tpm", "100000000"]
    stamps = []
    with subprocess.Popen(
        cmd, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stderr is not None
        for line in proc.stderr:
            if line.startswith("l10n-qwen: ") and "entries" in line:
                stamps.append((time.time(), line.strip()))
        assert proc.wait(timeout=30) == 0
    ended = time.time()
    # From the first request (start-up and loading before it are not the run's progress) to
    # the end of the process, no stretch without a line longer than the interval (1 s) and
    # a tick (0.5 s), with some room for a busy machine.
    started = fake_qwen.requests[0].time
    assert ended - started >= 4, "the run must be slow enough to need progress lines"
    times = [started, *(t for t, _ in stamps), ended]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert max(gaps) <= 2.0, (gaps, stamps)
    assert stamps[-1][1] == "l10n-qwen: 20/20 entries done in " + stamps[-1][1].rsplit(" in ")[1]
    assert "/s, about " in stamps[1][1] and " left" in stamps[1][1]


def test_a_terminal_run_shows_the_bar_and_the_quota_wait(
    fake_qwen: FakeQwenServer, tmp_path: Path
) -> None:
    # A real run on a pseudo-terminal nobody gave a size (as on some CI runners): 8 texts one
    # per request at 120 requests/min, so the limiter holds requests back for ~3 s.
    command = shutil.which("l10n-qwen")
    assert command, "the package must be installed (pip install -e .)"
    (tmp_path / ".git").mkdir()
    body = "".join(f'msgid "Text {i}"\nmsgstr ""\n\n' for i in range(8))
    (tmp_path / "de.po").write_text('msgid ""\nmsgstr ""\n"Language: de\\n"\n\n' + body)
    env = {**os.environ, "DASHSCOPE_API_KEY": fake_qwen.api_key}
    cmd = [command, "fill", "de.po", "--batch-size", "1", "--rpm", "120"]
    cmd += ["--base-url", fake_qwen.compat_url]
    controller, terminal = pty.openpty()
    with subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=terminal, stderr=terminal) as proc:
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            shown += chunk
        assert proc.wait(timeout=30) == 0
    os.close(controller)
    frames = shown.decode("utf-8", "replace").split("\r")
    assert any("waiting on the quota (120 requests/min)" in f for f in frames), frames
    assert any(" entries/s" in f and "/8 [" in f for f in frames), frames
    assert any("8/8" in f for f in frames)
