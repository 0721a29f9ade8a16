"""Fuzz l10n-qwen with mutated locale files, glossaries, translation memories and configs.

Each case is a small project built from the fixtures, one of its files mutated (byte flips,
lines dropped, doubled or swapped, splices from other seeds, and tokens known to have broken
parsers: ``nplurals=100000000``, ``charset=rot13``, CR CR LF, ``\\ud800``, deep brackets, YAML
aliases, ``../`` in config paths). Every case runs ``check``, ``fill --provider pseudo
--dry-run`` and ``fill --provider pseudo`` (``sync`` for configs) and must hold:

- the exit code is 0, 1 or 2 (3 is "unexpected error", a bug; a kill is a crash);
- each command ends within 20 s;
- a dry run changes nothing, and neither does a run that exits 2;
- nothing is written outside the case's project;
- a target that its runtime's parser read before (msgfmt, ``json``, YAML 1.1) still reads after.

Cases run in a worker process (in-process CLI calls, so thousands fit in minutes); a case that
hangs is killed with its worker and counted. Usage::

    python conformance/fuzz.py --cases 10000 --seed 1 [--report fuzz.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
TIME_LIMIT = 20.0  # seconds per command
MEMORY_LIMIT = 3 * 1024**3  # bytes of address space per worker: a blow-up fails, not the host

# -- seeds: (kind, the file to mutate, the other files of the project) -------------------------


def _read(rel: str) -> bytes:
    return (FIXTURES / rel).read_bytes()


PO_TARGETS = [
    "po/basic/de.po",
    "po/plurals_ru/ru.po",
    "po/crlf/de.po",
    "po/bom/de.po",
    "po/previous/de.po",
    "po/latin1/de.po",
    "po/escapes/de.po",
    "po/no_header/de.po",
    "po/no_plural_forms/pl.po",
    "check_plural/ar.po",
    "sync/project/po/de.po",
]
JSON_PAIRS = [("json/i18next/en.json", "json/i18next/de.json"), ("json/tabs/en.json", None)]
JSON_PAIRS += [("json/escaped/en.json", "json/escaped/de.json"), ("json/flat4/en.json", None)]
YAML_PAIRS = [("yaml/rails/en.yml", "yaml/rails/de.yml"), ("yaml/comments/en.yml", None)]
YAML_PAIRS += [("yaml/yaml11/en.yml", "yaml/yaml11/de.yml"), ("yaml/indent4/en.yaml", None)]
GLOSSARIES = [
    "glossary/csv/glossary.csv",
    "glossary/tbx/glossary.tbx",
    "glossary/tbx3/glossary.tbx",
    "glossary/yaml_list/glossary.yml",
    "glossary/yaml_by_target/glossary.yaml",
    "glossary/tsv/glossary.tsv",
]
MEMORIES = ["tm/po/de.po", "tm/tmx/memory.tmx"]
KINDS: tuple[str, ...] = (
    "po",
    "json-target",
    "json-source",
    "yaml-target",
    "yaml-source",
    "glossary",
    "tm",
)
KINDS += ("config",)

SYNC_CONFIG = b"""source-lang = "en"
report = "report.json"

[[files]]
template = "po/messages.pot"
target = "po/{locale}.po"
locales = ["de", "fr"]

[[files]]
source = "web/en.json"
target = "web/{locale}.json"
"""

# Tokens that broke a parser once, or might: inserted at random places.
TOKENS = [
    b"nplurals=100000000",
    b"nplurals=7",
    b"charset=rot13",
    b"charset=UTF-8-SIG",
    b"charset=unicode_escape",
    b"\r",
    b"\r\r\n",
    b"\n",
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff",
    b"\\ud800",
    b"\\",
    b'"',
    b"'",
    b"#, fuzzy\n",
    b"#, python-format, sh-format\n",
    b'msgstr[7] ""\n',
    b'msgid_plural "x"\n',
    b"%s %(name)s {0} {{count}} %{count} $FILE %n ~a %1",
    b"1" * 5000,
    b"1e999",
    b"[" * 300,
    b"{" * 300,
    b"- " * 300,
    b"&a [x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
    b"*a",
    b"~",
    b"--- # c\n",
    b"<!ENTITY x 'y'>",
    b"<hi>" * 200,
    b'encoding="EBCDIC"',
    b"../",
    b"/../../../x",
    b"de@x/../../y",
    b"inf",
    b"nan",
    b"{locale}",
    b"__proto__",
    b"\t",
    b"\xe2\x80\xae",
]


@dataclass
class Case:
    """One fuzz case: its number, kind and files (relative path -> bytes), which one mutated."""

    number: int
    kind: str
    files: dict[str, bytes]
    mutated: str
    target: str  # the file the commands name (for config: none, sync)
    args: tuple[str, ...] = ()  # extra options: --glossary, --tm


def _mutate(data: bytes, rng: random.Random, splice: bytes) -> bytes:
    """Apply one to four random mutations."""
    for _ in range(rng.choice((1, 1, 1, 2, 3))):  # mostly one: most cases should still parse
        lines = data.splitlines(keepends=True) or [b""]
        op = rng.randrange(9)
        pos = rng.randint(0, len(data))
        if rng.random() < 0.5:  # at a line start, where a token is most often still well-formed
            pos = data.rfind(b"\n", 0, pos) + 1
        if op == 0 and data:  # flip a byte
            i = rng.randrange(len(data))
            data = data[:i] + bytes([data[i] ^ (1 << rng.randrange(8))]) + data[i + 1 :]
        elif op == 1:  # insert a token
            data = data[:pos] + rng.choice(TOKENS) + data[pos:]
        elif op == 2 and data:  # delete a run
            data = data[:pos] + data[pos + rng.randint(1, 40) :]
        elif op == 3:  # drop a line
            del lines[rng.randrange(len(lines))]
            data = b"".join(lines)
        elif op == 4:  # double a line
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
            data = b"".join(lines)
        elif op == 5 and len(lines) > 1:  # swap two lines
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            data = b"".join(lines)
        elif op == 6 and splice:  # splice a piece of another seed
            start = rng.randrange(len(splice))
            data = data[:pos] + splice[start : start + rng.randint(1, 200)] + data[pos:]
        elif op == 7:  # replace a token by another
            old = rng.choice([b"de", b"en", b"=", b":", b'"', b"{", b"\n", b"%", b"msgstr"])
            data = data.replace(old, rng.choice(TOKENS), rng.randint(1, 3))
        else:  # truncate
            data = data[:pos]
    return data


def make_case(number: int, seed: int) -> Case:
    """Case ``number`` of the run with ``seed``: the same inputs every time."""
    rng = random.Random(f"{seed}:{number}")
    kind = KINDS[number % len(KINDS)]
    every = [*PO_TARGETS, *GLOSSARIES, *MEMORIES, *(p for pair in JSON_PAIRS for p in pair if p)]
    splice = _read(rng.choice(every))
    po_target = _read(rng.choice(PO_TARGETS[:3]))
    files: dict[str, bytes]
    args: tuple[str, ...] = ()
    if kind == "po":
        files = {"de.po": _read(rng.choice(PO_TARGETS))}
        mutated = target = "de.po"
    elif kind.startswith(("json", "yaml")):
        pairs = JSON_PAIRS if kind.startswith("json") else YAML_PAIRS
        source, existing = rng.choice(pairs)
        suffix = Path(source).suffix
        files = {f"en{suffix}": _read(source)}
        target = f"de{suffix}"
        files[target] = _read(existing) if existing else b""
        mutated = target if kind.endswith("target") else f"en{suffix}"
    elif kind in ("glossary", "tm"):
        seed_file = rng.choice(GLOSSARIES if kind == "glossary" else MEMORIES)
        mutated = f"{kind}{Path(seed_file).suffix}"
        files = {"de.po": po_target, mutated: _read(seed_file)}
        target = "de.po"
        args = ("--glossary" if kind == "glossary" else "--tm", mutated)
    else:
        files = {
            "l10n-qwen.toml": SYNC_CONFIG,
            "po/messages.pot": _read("sync/project/po/messages.pot"),
            "po/de.po": _read("sync/project/po/de.po"),
            "web/en.json": _read("sync/project/web/en.json"),
            "web/de.json": _read("sync/project/web/de.json"),
        }
        mutated, target = "l10n-qwen.toml", ""
    files[mutated] = _mutate(files[mutated], rng, splice)
    return Case(number, kind, files, mutated, target, args)


# -- checking the outputs ------------------------------------------------------------------------


def parses(path: Path) -> bool:
    """Whether the file's runtime parser reads it: msgfmt (-c), JSON, YAML 1.1 (PyYAML)."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    suffix = path.suffix
    try:
        if suffix == ".po":
            done = subprocess.run(
                ["msgfmt", "--check", "--use-fuzzy", "-o", os.devnull, str(path)],
                capture_output=True,
                timeout=30,
                check=False,
            )
            return done.returncode == 0
        if suffix == ".json":
            json.loads(data.decode("utf-8-sig"))
            return True
        if suffix in (".yml", ".yaml"):
            import yaml  # PyYAML: YAML 1.1, as Ruby's Psych reads it

            yaml.safe_load(data.decode("utf-8-sig"))
            return True
    except Exception:
        return False
    return True


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` but the tool's own state folder."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".l10n-qwen" not in p.relative_to(folder).parts
    }


@dataclass
class Outcome:
    """What one case did, and every rule it broke."""

    number: int
    kind: str
    exits: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def commands(case: Case) -> list[tuple[str, ...]]:
    """check, dry run, fill (sync for configs)."""
    if case.kind == "config":
        fill = ("sync", "--provider", "pseudo")
        return [("sync", "--check"), (*fill, "--dry-run"), fill]
    check = ("check", case.target)
    dry = ("fill", "--provider", "pseudo", "--dry-run", *case.args, case.target)
    return [check, dry, ("fill", "--provider", "pseudo", *case.args, case.target)]


def run_case(case: Case, sandbox: Path, invoke: Callable[[tuple[str, ...]], int]) -> Outcome:
    """Build the case in ``sandbox``, run its commands with ``invoke`` and check the rules."""
    outcome = Outcome(case.number, case.kind)
    home = sandbox / str(case.number)
    project = home / "project"
    (project / ".git").mkdir(parents=True)
    for rel, data in case.files.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_bytes(data)
    targets = [case.target] if case.target else ["po/de.po", "po/fr.po", "web/de.json"]
    readable = {t: parses(project / t) for t in targets if (project / t).exists()}
    previous = os.getcwd()
    os.chdir(project)
    try:
        for args in commands(case):
            before = snapshot(project)
            started = time.monotonic()
            code = invoke(args)
            took = time.monotonic() - started
            outcome.exits.append(code)
            outcome.seconds.append(round(took, 3))
            name = " ".join(args[:1] + (("--dry-run",) if "--dry-run" in args else ()))
            if code not in (0, 1, 2):
                outcome.problems.append(f"{name}: exit {code}")
            if took > TIME_LIMIT:
                outcome.problems.append(f"{name}: took {took:.1f} s")
            after = snapshot(project)
            for rel, data in list(after.items()):  # the report the config asks for: a dry run's too
                if b'"dry_run": ' in data and before.get(rel) != data and rel not in case.files:
                    del after[rel]
            if (code == 2 or "--dry-run" in args or "--check" in args) and after != before:
                changed = sorted(
                    k for k in set(before) | set(after) if before.get(k) != after.get(k)
                )
                outcome.problems.append(f"{name}: exit {code} changed {changed}")
            if "--dry-run" not in args and "--check" not in args and args[0] != "check":
                for rel, was_readable in readable.items():
                    if was_readable and (project / rel).exists() and not parses(project / rel):
                        outcome.problems.append(f"{name}: {rel} no longer parses")
    finally:
        os.chdir(previous)
    outside = sorted(p.name for p in home.iterdir() if p.name != "project")
    if outside:
        outcome.problems.append(f"wrote outside the project: {outside}")
    shutil.rmtree(home, ignore_errors=True)
    return outcome


# -- the worker: many cases in one process, fed over stdin ---------------------------------------


def _worker(seed: int, sandbox: Path) -> None:
    """Read case numbers from stdin, run each in-process, answer one JSON line per case."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    from click.testing import CliRunner

    from l10n_qwen.cli import cli

    env: dict[str, str | None] = {"DASHSCOPE_API_KEY": None, "L10N_QWEN_BASE_URL": None}

    def invoke(args: tuple[str, ...]) -> int:
        result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            return 99  # escaped the error boundary: as bad as exit 3
        return result.exit_code

    for line in sys.stdin:
        outcome = run_case(make_case(int(line), seed), sandbox, invoke)
        print(json.dumps(asdict(outcome)), flush=True)


class Pool:
    """One worker process; a case that outlasts its time kills it (and a new one starts)."""

    def __init__(self, seed: int, sandbox: Path) -> None:
        self.seed, self.sandbox = seed, sandbox
        self.proc: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        if self.proc is None or self.proc.poll() is not None:
            worker = ["--worker", "--seed", str(self.seed), "--sandbox", str(self.sandbox)]
            self.proc = subprocess.Popen(
                [sys.executable, __file__, *worker],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                cwd=ROOT,
            )
        return self.proc

    def run(self, number: int) -> Outcome:
        proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(f"{number}\n")
        proc.stdin.flush()
        answer = _read_line(proc, 3 * TIME_LIMIT + 30)
        if answer is None:
            code = proc.poll()
            proc.kill()
            self.close()
            self.proc = None
            why = "hang: killed after the time limit" if code is None else f"worker died ({code})"
            return Outcome(number, make_case(number, self.seed).kind, problems=[why])
        return Outcome(**json.loads(answer))

    def close(self) -> None:
        if self.proc is not None:
            assert self.proc.stdin is not None and self.proc.stdout is not None
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
            self.proc.stdout.close()


def _read_line(proc: subprocess.Popen[str], timeout: float) -> str | None:
    import selectors

    assert proc.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            return None
    line = proc.stdout.readline()
    return line or None


def run(cases: int, seed: int, *, start: int = 0) -> Iterator[Outcome]:
    """Run ``cases`` cases (numbers ``start``...) and yield each outcome."""
    with tempfile.TemporaryDirectory(prefix="l10n-qwen-fuzz-") as folder:
        pool = Pool(seed, Path(folder))
        try:
            for number in range(start, start + cases):
                yield pool.run(number)
        finally:
            pool.close()


def summary(outcomes: list[Outcome], seconds: float) -> dict[str, Any]:
    """The figures the README quotes."""
    exits: dict[str, int] = {}
    for outcome in outcomes:
        for code in outcome.exits:
            exits[str(code)] = exits.get(str(code), 0) + 1
    failing = [o for o in outcomes if o.problems]
    slowest = max((s for o in outcomes for s in o.seconds), default=0.0)
    return {
        "cases": len(outcomes),
        "runs": sum(len(o.exits) for o in outcomes),
        "exit_codes": dict(sorted(exits.items())),
        "failing_cases": len(failing),
        "hangs": sum(any(p.startswith("hang") for p in o.problems) for o in outcomes),
        "slowest_run_seconds": slowest,
        "wall_seconds": round(seconds),
        "failures": [asdict(o) for o in failing[:50]],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--report", type=Path)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--sandbox", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        _worker(options.seed, options.sandbox)
        return 0
    started = time.monotonic()
    outcomes = []
    for outcome in run(options.cases, options.seed, start=options.start):
        outcomes.append(outcome)
        if outcome.problems:
            print(f"case {outcome.number} ({outcome.kind}): {'; '.join(outcome.problems)}")
        if len(outcomes) % 500 == 0:
            print(f"... {len(outcomes)} cases, {time.monotonic() - started:.0f} s", flush=True)
    figures = summary(outcomes, time.monotonic() - started)
    if options.report:
        options.report.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps({k: v for k, v in figures.items() if k != "failures"}, indent=2))
    return 1 if figures["failing_cases"] else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
