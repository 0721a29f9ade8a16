"""Conformance on real Rails and i18next locale files: fill, then resolve with the real runtimes.

For every target file of a Qwen-MT language in each corpus:

1. ``check`` the complete original (a human-made file: every problem found is a false alarm
   unless the file really is broken; the original is also resolved, to tell the two apart);
2. drop a share of its keys (whole lines, as a developer adding keys to the source leaves them
   missing), fill with ``--provider pseudo``;
3. count the lines of the dropped file that the fill changed (0 is the goal: only new lines);
4. resolve every source key in the filled file with Ruby's I18n (rails-i18n's plural rules) or
   i18next, plural groups at counts 0, 1, 2, 5 and 21;

and, for Rails' own English files (Active Support, Action View), create each target from nothing.

Corpora (fetched once into ``$L10N_QWEN_CORPORA``, default ``~/.cache/l10n-qwen-corpora``):
Debian's ``ruby-doorkeeper-i18n`` (``apt-get download``), npm's ``zod-i18n-map`` (``npm pack``),
Rails' English files from Debian's ``ruby-activesupport`` and ``ruby-actionview``. Needs ``ruby``,
``ruby-i18n``, ``ruby-rails-i18n`` (Debian), ``node`` and ``npm``; i18next is installed into the
cache folder with npm.

    python conformance/rails_i18next.py [--share 0.3] [--corpus doorkeeper] ...
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from l10n_qwen.errors import L10nError  # noqa: E402
from l10n_qwen.languages import resolve as resolve_language  # noqa: E402

HERE = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("L10N_QWEN_CORPORA", "~/.cache/l10n-qwen-corpora")).expanduser()
RAILS_GEMS = Path("/usr/share/rubygems-integration/all/gems")
#: Languages a file is created in from Rails' own English files: every plural rule shape.
NEW_LANGUAGES = ("de", "fr", "ru", "pl", "cs", "ar", "ja", "zh-CN", "pt-BR", "lt", "uk", "ko")


# --- corpora ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    """A source file and its targets; ``runtime`` is "rails" or "i18next"."""

    name: str
    runtime: str
    source: Path
    targets: tuple[Path, ...]  # existing files; a created one is named by ``new``
    new: tuple[str, ...] = ()  # locales to create from nothing

    def only(self, locales: Sequence[str]) -> Corpus:
        """The same corpus with only the targets of ``locales``."""
        targets = tuple(p for p in self.targets if _locale_of(p, self.runtime) in locales)
        new = tuple(locale for locale in self.new if locale in locales)
        return dataclasses.replace(self, targets=targets, new=new)

    def relative(self, path: Path) -> Path:
        """Where a file goes in a work folder: as laid out beside the source."""
        return path.relative_to(self.root)

    @property
    def root(self) -> Path:
        return self.source.parent.parent if self.runtime == "i18next" else self.source.parent

    def new_path(self, locale: str) -> Path:
        if self.runtime == "i18next":
            return self.root / locale / self.source.name
        return self.root / f"{locale}{self.source.suffix}"


def _run(cmd: Sequence[str], cwd: Path | None = None, stdin: str | None = None) -> str:
    done = subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout


def _qwen_language(locale: str) -> bool:
    try:
        resolve_language(locale)
    except L10nError:
        return False
    return True


def doorkeeper() -> Corpus:
    """Debian's ruby-doorkeeper-i18n: 19 Rails locale files."""
    folder = CACHE / "ruby-doorkeeper-i18n"
    if not folder.is_dir():
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            try:
                _run(["apt-get", "download", "ruby-doorkeeper-i18n"], cwd=Path(tmp))
            except RuntimeError:  # no package lists yet on a fresh machine
                _run(["apt-get", "update", "-qq"])
                _run(["apt-get", "download", "ruby-doorkeeper-i18n"], cwd=Path(tmp))
            deb = next(Path(tmp).glob("*.deb"))
            _run(["dpkg-deb", "-x", str(deb), str(Path(tmp) / "x")])
            found = next((Path(tmp) / "x").rglob("locales/en.yml")).parent
            shutil.copytree(found, folder)
    return _existing("doorkeeper-i18n", "rails", folder / "en.yml", "*.yml")


def npm_package(package: str, pattern: str, name: str | None = None) -> Corpus:
    """An npm package that ships i18next JSON files, ``pattern`` relative to the package."""
    folder = CACHE / "npm" / package
    if not folder.is_dir():
        (CACHE / "npm").mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            _run(["npm", "pack", "--silent", package], cwd=Path(tmp))
            tgz = next(Path(tmp).glob("*.tgz"))
            _run(["tar", "xzf", str(tgz), "-C", tmp])
            shutil.copytree(Path(tmp) / "package", folder)
    source = next(folder.glob(pattern.replace("*", "en")))
    return _existing(name or package, "i18next", source, pattern)


def _existing(name: str, runtime: str, source: Path, pattern: str) -> Corpus:
    root = source.parent.parent if runtime == "i18next" else source.parent
    targets = sorted(
        p
        for p in root.glob(pattern.split("/", 1)[-1] if runtime == "i18next" else pattern)
        if p != source and _qwen_language(_locale_of(p, runtime))
    )
    return Corpus(name, runtime, source, tuple(targets))


def rails_core() -> list[Corpus]:
    """Rails' own English files (Active Support, Action View): targets created from nothing."""
    found = []
    for gem, sub in (("activesupport", "active_support"), ("actionview", "action_view")):
        for source in sorted(RAILS_GEMS.glob(f"{gem}-*/lib/{sub}/locale/en.yml"))[-1:]:
            found.append(Corpus(f"rails {gem}", "rails", source, (), NEW_LANGUAGES))
    return found


def i18next_modules() -> Path:
    """The node_modules folder holding i18next (installed into the cache once)."""
    prefix = CACHE / "node"
    if not (prefix / "node_modules" / "i18next").is_dir():
        prefix.mkdir(parents=True, exist_ok=True)
        _run(["npm", "install", "--silent", "--prefix", str(prefix), "i18next"])
    return prefix / "node_modules"


def _locale_of(path: Path, runtime: str) -> str:
    return path.parent.name if runtime == "i18next" else path.stem


# --- dropping keys ----------------------------------------------------------------------------

_YAML_KEY = re.compile(r"^(?P<indent> *)(?P<key>[^\s#\-{\[][^:]*|\"[^\"]*\"|'[^']*'):(?: |$)")


def drop_yaml(text: str, share: float, rng: random.Random) -> tuple[str, int]:
    """``text`` without about ``share`` of its leaf keys (whole lines, continuations included)."""
    lines = text.splitlines(keepends=True)
    leaves = []
    for i, line in enumerate(lines):
        match = _YAML_KEY.match(line)
        if match is None or len(match["indent"]) == 0:
            continue
        rest = line[match.end() :].strip()
        if not rest or rest.startswith(("|", ">", "&", "*", "{", "[")):
            continue  # a parent, a block scalar or a flow collection: left alone
        leaves.append(i)
    picked = set(rng.sample(leaves, round(len(leaves) * share)))
    out = []
    skip_deeper: int | None = None
    for i, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if skip_deeper is not None:
            if line.strip() and indent > skip_deeper:
                continue  # a continuation line of a dropped value
            skip_deeper = None
        if i in picked:
            skip_deeper = indent
            continue
        out.append(line)
    return "".join(out), len(picked)


def drop_json(text: str, share: float, rng: random.Random) -> tuple[str, int]:
    """``text`` without about ``share`` of its one-line string members that end with a comma."""
    lines = text.splitlines(keepends=True)
    leaves = [
        i
        for i, line in enumerate(lines)
        if re.match(r'^\s*"(?:[^"\\]|\\.)*"\s*:\s*"(?:[^"\\]|\\.)*"\s*,\s*$', line)
    ]
    picked = set(rng.sample(leaves, round(len(leaves) * share)))
    out = "".join(line for i, line in enumerate(lines) if i not in picked)
    json.loads(out)  # still valid JSON
    return out, len(picked)


# --- one run ----------------------------------------------------------------------------------


@dataclass
class Row:
    """The figures of one target file."""

    corpus: str
    target: str
    dropped: int = 0
    refused: str = ""  # fill's error, if it refused the file
    changed: int = 0  # lines of the dropped file the fill changed
    lookups: int = 0
    unresolved: list[str] = field(default_factory=list)  # failed in the filled file only
    unresolved_original: int = 0  # lookups that failed in the complete original
    check_errors: int = -1  # problems ``check`` reported on the complete original
    check_warnings: int = 0
    check_lines: list[str] = field(default_factory=list)


def _cli(args: Sequence[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "l10n_qwen", *[str(a) for a in args]]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)


def _lay_out(corpus: Corpus, folder: Path) -> dict[str, Path]:
    """Copy the source and the targets into ``folder``; the target paths by locale."""
    (folder / ".git").mkdir(parents=True, exist_ok=True)  # the project root
    dest = folder / corpus.relative(corpus.source)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(corpus.source, dest)
    found = {}
    for target in corpus.targets:
        dest = folder / corpus.relative(target)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, dest)
        found[_locale_of(target, corpus.runtime)] = dest
    for locale in corpus.new:
        found[locale] = folder / corpus.relative(corpus.new_path(locale))
    return found


def _resolve(
    corpus: Corpus, source: Path, targets: dict[str, Path]
) -> dict[Path, dict[str, object]]:
    jobs = [
        {"source": str(source), "target": str(path), "lng": locale}
        for locale, path in targets.items()
        if path.exists()
    ]
    if corpus.runtime == "rails":
        out = _run(["ruby", str(HERE / "resolve_rails.rb")], stdin=json.dumps(jobs))
        env = None
    else:
        env = {**os.environ, "NODE_PATH": str(i18next_modules())}
        done = subprocess.run(
            ["node", str(HERE / "resolve_i18next.js")],
            input=json.dumps(jobs),
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"node exited {done.returncode}: {done.stderr[-2000:]}")
        out = done.stdout
    return {Path(r["target"]): r for r in json.loads(out)}


def _check(folder: Path, targets: dict[str, Path], rows: dict[str, Row]) -> None:
    """``check`` on the complete originals; the problems of each file, errors and warnings."""
    existing = {locale: path for locale, path in targets.items() if path.exists()}
    if not existing:
        return
    done = _cli(["check", *existing.values()], folder)
    for locale, path in existing.items():
        shown = str(path.relative_to(folder))
        lines = [line for line in done.stdout.splitlines() if line.startswith(shown + ":")]
        warnings = [line for line in lines if ": warning: " in line]  # as check prints them
        row = rows[locale]
        row.check_lines = lines
        row.check_warnings = len(warnings)
        row.check_errors = len(lines) - len(warnings)
        if done.returncode == 2:
            row.check_errors = -1
            row.check_lines = done.stderr.splitlines()[-3:]


def run_corpus(corpus: Corpus, share: float, seed: int = 10) -> list[Row]:
    """The figures of every target of ``corpus`` (see the module docstring)."""
    rows = {
        locale: Row(corpus.name, str(corpus.relative(path)))
        for locale, path in _targets(corpus).items()
    }
    with tempfile.TemporaryDirectory(prefix="l10n-qwen-conformance-") as tmp:
        original_dir, filled_dir = Path(tmp) / "original", Path(tmp) / "filled"
        originals = _lay_out(corpus, original_dir)
        source = original_dir / corpus.relative(corpus.source)
        _check(original_dir, originals, rows)
        baseline = _resolve(corpus, source, originals)
        targets = _lay_out(corpus, filled_dir)
        rng = random.Random(seed)
        dropped_text: dict[str, str] = {}
        for locale, path in targets.items():
            if not path.exists():
                continue
            drop = drop_yaml if corpus.runtime == "rails" else drop_json
            text, rows[locale].dropped = drop(path.read_text(encoding="utf-8"), share, rng)
            path.write_text(text, encoding="utf-8")
            dropped_text[locale] = text
        fill = ["fill", "--provider", "pseudo", "--no-cache"]
        if _cli([*fill, *targets.values()], filled_dir).returncode != 0:
            for locale, path in targets.items():  # again one by one, to tell which failed
                done = _cli([*fill, path], filled_dir)
                if done.returncode != 0:
                    rows[locale].refused = (done.stderr.strip().splitlines() or ["?"])[-1]
        filled_source = filled_dir / corpus.relative(corpus.source)
        resolved = _resolve(corpus, filled_source, targets)
        for locale, path in targets.items():
            row = rows[locale]
            if locale in dropped_text and path.exists():
                row.changed = changed_lines(dropped_text[locale], path.read_text(encoding="utf-8"))
            result = resolved.get(path)
            if result is None:
                row.unresolved = ["not written"]
                continue
            before = baseline.get(originals[locale])
            known: list[str] = list(before["failures"]) if before else []  # type: ignore[call-overload]
            failures: list[str] = list(result["failures"])  # type: ignore[call-overload]
            row.lookups = int(result["lookups"])  # type: ignore[call-overload]
            # A failure the original has too is the corpus's own (a wrong placeholder name).
            row.unresolved = [f for f in failures if f not in known]
            row.unresolved_original = len(known)
    return list(rows.values())


def _targets(corpus: Corpus) -> dict[str, Path]:
    found = {_locale_of(p, corpus.runtime): p for p in corpus.targets}
    for locale in corpus.new:
        found[locale] = corpus.new_path(locale)
    return found


# A key with no value yet (``scopes: ~``, ``"a": ""``, an empty ``{}``): filling it changes it.
_BLANK_VALUE = re.compile(
    r"""^\s*[^#]*:\s*(?:~|null|""|''|\{\})?\s*$|^\s*(?:"[^"]*"\s*:\s*)?(?:""|\{\}),?\s*$"""
)


def changed_lines(before: str, after: str) -> int:
    """How many lines of ``before`` are not in ``after`` as they were.

    Lines added don't count, nor a key that had no value (``scopes: ~``, ``{}``) and now has
    one, nor the comma JSON needs after what was the last member of an object.
    """
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    changed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag not in ("replace", "delete"):
            continue
        added_comma = {line.rstrip("\r\n") for line in new[j1:j2]}
        for line in old[i1:i2]:
            if not _BLANK_VALUE.match(line) and line.rstrip("\r\n") + "," not in added_comma:
                changed += 1
    return changed


# --- the table --------------------------------------------------------------------------------

CORPORA: dict[str, Callable[[], list[Corpus]]] = {
    "doorkeeper": lambda: [doorkeeper()],
    "zod": lambda: [npm_package("zod-i18n-map", "locales/*/zod.json", "zod-i18n-map")],
    "rails": rails_core,
}


def table(rows: Sequence[Row]) -> Iterator[str]:
    """The figures as a Markdown table: one line per corpus, then the totals."""
    head = (
        "| corpus | files | refused | keys dropped | lines changed | lookups | unresolved "
        "| unresolved in originals | check errors / warnings on originals |"
    )
    yield head
    yield "|" + "---|" * 9
    by_corpus: dict[str, list[Row]] = {}
    for row in rows:
        by_corpus.setdefault(row.corpus, []).append(row)
    for name, group in [*by_corpus.items(), ("all", list(rows))]:
        checked = [r for r in group if r.check_errors >= 0]
        check = (
            f"{sum(r.check_errors for r in checked)} / {sum(r.check_warnings for r in checked)}"
            if checked
            else "-"
        )
        yield (
            f"| {name} | {len(group)} | {sum(bool(r.refused) for r in group)} "
            f"| {sum(r.dropped for r in group)} | {sum(r.changed for r in group)} "
            f"| {sum(r.lookups for r in group)} | {sum(len(r.unresolved) for r in group)} "
            f"| {sum(r.unresolved_original for r in group)} | {check} |"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--share", type=float, default=0.3, help="share of keys to drop")
    parser.add_argument("--corpus", action="append", choices=sorted(CORPORA), help="repeatable")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every finding")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    for name in args.corpus or sorted(CORPORA):
        for corpus in CORPORA[name]():
            rows.extend(run_corpus(corpus, args.share))
    for line in table(rows):
        print(line)
    bad = [r for r in rows if r.refused or r.changed or r.unresolved]
    for row in rows if args.verbose else bad:
        print(f"\n{row.corpus} {row.target}: dropped {row.dropped}, changed {row.changed}")
        for line in [row.refused, *row.unresolved, *row.check_lines][:20]:
            if line:
                print(f"  {line}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
