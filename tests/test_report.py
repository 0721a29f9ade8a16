from __future__ import annotations

import json
from pathlib import Path

from l10n_qwen.report import Problem, RunResult


def result() -> RunResult:
    return RunResult(
        files=2,
        filled=5,
        requests=4,
        input_tokens=100,
        output_tokens=50,
        cost_usd=0.0000405,
        written=["po/de.po"],
        failed=[Problem("po/de.po", 12, "menu\x04Open | close", "placeholders broken: %s missing")],
    )


def test_summary_line() -> None:
    assert result().summary() == (
        "filled 5 entries in 2 files, 1 failed; 4 requests, 150 tokens (100 in, 50 out), "
        "cost about $0.0000; 0 reused from cache/memory"
    )


def test_problem_names_file_line_and_entry() -> None:
    problem = result().failed[0]
    assert str(problem) == "po/de.po:12: 'menu | Open | close': placeholders broken: %s missing"
    assert str(Problem("po/fr.po", 0, "", "missing")) == "po/fr.po: missing"


def test_json_and_markdown_reports(tmp_path: Path) -> None:
    run = result()
    run.write(tmp_path / "r.json")
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["failed"][0]["line"] == 12 and data["filled"] == 5
    run.write(tmp_path / "r.md")
    text = (tmp_path / "r.md").read_text()
    assert "- `po/de.po`" in text
    assert "| po/de.po | 12 | menu \\| Open \\| close | placeholders broken: %s missing |" in text
