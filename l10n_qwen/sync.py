"""Release sync and the pre-commit hooks: every configured file set, or those a change touches.

A file set is a table in the config::

    [[tool.l10n-qwen.files]]
    template = "po/messages.pot"        # PO: the template the targets follow
    target = "po/{locale}.po"           # where each locale's file lives
    locales = ["de", "fr", "ja"]        # optional: default, the files that match the pattern

    [[tool.l10n-qwen.files]]
    source = "web/locales/en.json"      # JSON/YAML: the source-language file
    target = "web/locales/{locale}.json"

    [[tool.l10n-qwen.files]]
    target = "app/locale/{locale}/LC_MESSAGES/django.po"   # PO kept up to date by the framework


Syncing a PO set brings each target up to date with its template first: a missing target is
created from the template (as ``msginit`` would) and an existing one whose messages differ is
merged with GNU ``msgmerge`` (the gettext reference implementation of the merge; targets
already up to date are left byte for byte). Its fuzzy matching is off: a guess borrowed from a
similar message is worse than a fresh translation, and similar approved messages reach the model
as ``tm_list`` anyway. JSON/YAML targets are filled from their source key by
key, which also creates missing keys and files. A PO set without a template is kept up to date
by the framework's own tool (Django's ``makemessages``, ``pybabel update``, ``msgmerge``):
``sync`` fills and checks its targets as they are.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

from l10n_qwen import checks, gcpause, languages, loose, pipeline, review, workspace
from l10n_qwen.config import Settings, api_key
from l10n_qwen.errors import EXIT_INCOMPLETE, ConfigError, InputError, UsageError
from l10n_qwen.formats.po import file_charset
from l10n_qwen.fsutil import atomic_write
from l10n_qwen.glossary import load_glossary
from l10n_qwen.paths import check_locale, inside
from l10n_qwen.planning import display_path
from l10n_qwen.report import Problem, RunResult
from l10n_qwen.tmfiles import load_tm
from l10n_qwen.workspace import FileSpec

PO_SUFFIXES = (".po",)


@dataclass
class FileSet:
    """One configured set: a template or source, and a target per locale."""

    origin: Path | None  # the template (PO) or source-language file (JSON/YAML); None: PO alone
    pattern: str  # target path relative to the root, with "{locale}"
    locales: tuple[str, ...]
    is_template: bool  # PO template (merge), else JSON/YAML source (pairing)
    targets: dict[str, Path] = field(default_factory=dict)  # locale -> path


def _glob_locales(root: Path, pattern: str, source_lang: str) -> tuple[str, ...]:
    """Locales of the existing files that match ``pattern`` (the source locale left out)."""
    head, _, tail = pattern.partition("{locale}")
    code = r"(?P<locale>[A-Za-z]{2,3}(?:[-_@][A-Za-z0-9]+)*)"
    regex = re.compile(re.escape(head) + code + re.escape(tail) + r"\Z")
    found = set()
    for path in root.glob(pattern.replace("{locale}", "*")):
        match = regex.match(path.relative_to(root).as_posix())
        if match and match["locale"] != source_lang:
            found.add(match["locale"])
    return tuple(sorted(found))


def file_sets(settings: Settings) -> list[FileSet]:
    """The configured file sets with their targets resolved; a config mistake is a ConfigError."""
    root = settings.project_root
    sets = []
    for number, table in enumerate(settings.file_sets, start=1):
        where = f"config: files #{number}"
        sets.append(_file_set(root, table, where, settings.source_lang))
    return sets


def _file_set(root: Path, table: dict[str, Any], where: str, source_lang: str) -> FileSet:
    unknown = set(table) - {"template", "source", "target", "locales"}
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    if "template" in table and "source" in table:
        raise ConfigError(f"{where}: give one of 'template' (PO) or 'source' (JSON/YAML), not both")
    pattern = table.get("target")
    if not isinstance(pattern, str) or "{locale}" not in pattern:
        raise ConfigError(
            f"{where}: 'target' must be a path with {{locale}}, e.g. po/{{locale}}.po"
        )
    if Path(pattern).is_absolute():
        try:
            pattern = Path(pattern).relative_to(root).as_posix()
        except ValueError:
            raise ConfigError(
                f"{where}: 'target' {pattern} is outside the project {root}"
            ) from None
    # Before globbing: a pattern that leaves the project names no target there to match.
    inside(Path(pattern.replace("{locale}", "xx")), root, f"{where}: target {pattern!r}")
    po_suffixes = (".pot", ".po")
    if "template" not in table and "source" not in table:
        if Path(pattern).suffix.lower() != ".po":
            raise ConfigError(
                f"{where}: only .po targets can go without a 'template' (their framework updates"
                " them); JSON/YAML targets need their 'source'"
            )
        origin = None
    else:
        origin = root / str(table.get("template") or table.get("source"))
        if not origin.is_file():
            raise ConfigError(f"{where}: {origin} does not exist")
    is_template = "template" in table
    origin_suffix = origin.suffix.lower() if origin else ".po"
    target_suffix = Path(pattern).suffix.lower()
    if is_template and (origin_suffix not in po_suffixes or target_suffix != ".po"):
        raise ConfigError(f"{where}: a 'template' is a .pot file and its targets .po files")
    if (
        origin
        and not is_template
        and (origin_suffix in po_suffixes or target_suffix != origin_suffix)
    ):
        raise ConfigError(
            f"{where}: a 'source' is a JSON or YAML file, and its targets have its suffix"
        )
    locales = table.get("locales")
    if locales is None:
        locales = _glob_locales(root, pattern, source_lang)
    elif not isinstance(locales, list) or not all(isinstance(x, str) for x in locales):
        raise ConfigError(f"{where}: 'locales' must be a list of locale codes")
    for locale in locales:
        check_locale(locale, f"{where}: locales")  # it becomes a part of a path
        try:
            languages.resolve(locale)  # an unknown code is an error before anything is done
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    file_set = FileSet(origin, pattern, tuple(locales), is_template)
    file_set.targets = {
        loc: inside(Path(pattern.replace("{locale}", loc)), root, f"{where}: target {pattern!r}")
        for loc in file_set.locales
    }
    return file_set


def affected(sets: list[FileSet], changed: list[Path]) -> list[tuple[FileSet, str, Path]]:
    """(set, locale, target) for every target that ``changed`` files touch (all when empty).

    A changed template or source touches all its targets; a changed target only itself.
    """
    wanted = {path.resolve() for path in changed}
    picked = []
    for file_set in sets:
        whole = not changed or (file_set.origin is not None and file_set.origin.resolve() in wanted)
        for locale, target in file_set.targets.items():
            if whole or target.resolve() in wanted:
                picked.append((file_set, locale, target))
    return picked


def unconfigured_po(sets: list[FileSet], changed: list[Path]) -> list[Path]:
    """Changed .po files that belong to no file set: targets in their own right."""
    known = {t.resolve() for s in sets for t in s.targets.values()}
    return [p for p in changed if p.suffix in PO_SUFFIXES and p.resolve() not in known]


# -- PO targets and their template --------------------------------------------------------------


def _message_ids(path: Path) -> set[tuple[str | None, str, str | None]]:
    try:
        catalog = polib.pofile(str(path), encoding=file_charset(path))
    except (OSError, ValueError) as exc:
        raise InputError(path, str(exc)) from exc
    return {(e.msgctxt, e.msgid, e.msgid_plural) for e in catalog if not e.obsolete}


def po_out_of_date(template: Path, target: Path) -> str | None:
    """Why ``target`` needs updating from ``template``, or None when it is up to date."""
    if not target.exists():
        return "missing: would be created from the template"
    theirs, ours = _message_ids(template), _message_ids(target)
    if theirs == ours:
        return None
    new, gone = len(theirs - ours), len(ours - theirs)
    return f"out of date with {template.name}: {new} new, {gone} removed messages"


def create_from_template(template: Path, target: Path, locale: str) -> None:
    """A new target from the template, as msginit makes it: Language set, header not fuzzy.

    The template's own charset is kept (a template still saying CHARSET becomes UTF-8).
    """
    charset = file_charset(template)
    try:
        text = template.read_bytes().decode(charset)
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(template, f"not valid {charset} text: {exc}") from exc
    end = text.find("\n\n")
    head, rest = (text[:end], text[end:]) if end >= 0 else (text, "")
    head = re.sub(r'^"Language: *\\n"$', f'"Language: {locale}\\\\n"', head, count=1, flags=re.M)
    head = head.replace("charset=CHARSET", "charset=UTF-8", 1)
    head = re.sub(r"^#, fuzzy\n", "", head, count=1, flags=re.M)
    atomic_write(target, (head + rest).encode(charset))


def merge_template(template: Path, target: Path) -> None:
    """Bring ``target`` up to date with ``template`` using GNU msgmerge (atomically)."""
    msgmerge = shutil.which("msgmerge")
    if msgmerge is None:
        raise ConfigError(
            f"{target}: updating a .po file from its template needs GNU gettext's msgmerge "
            "(apt-get install gettext, brew install gettext)"
        )
    done = subprocess.run(
        [msgmerge, "--quiet", "--no-fuzzy-matching", "-o", "-", str(target), str(template)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise InputError(target, f"msgmerge failed: {done.stderr.decode(errors='replace').strip()}")
    atomic_write(target, done.stdout)


def prepare_targets(
    picked: list[tuple[FileSet, str, Path]], *, check_only: bool, root: Path
) -> list[Problem]:
    """Create or merge PO targets from their templates; with ``check_only``, only report.

    Returns what is out of date (``check_only``) or what was updated (the files it wrote).
    """
    problems = []
    for file_set, locale, target in picked:
        if file_set.origin is None:  # the framework's own tool creates and updates it
            if check_only and not target.exists():
                missing = "missing: create it with the framework's tool (see the README's recipes)"
                problems.append(Problem(display_path(target, root), 0, "", missing))
            continue
        if not file_set.is_template:
            if check_only and not target.exists():
                missing = "missing: would be created from the source"
                problems.append(Problem(display_path(target, root), 0, "", missing))
            continue
        why = po_out_of_date(file_set.origin, target)
        if why is None:
            continue
        shown = display_path(target, root)
        if check_only:
            problems.append(Problem(shown, 0, "", why))
        elif target.exists():
            merge_template(file_set.origin, target)
            problems.append(Problem(shown, 0, "", "merged with its template"))
        else:
            create_from_template(file_set.origin, target, locale)
            problems.append(Problem(shown, 0, "", "created from its template"))
    return problems


# -- the command ---------------------------------------------------------------------------------

Picked = list[tuple[FileSet, str, Path]]


def select(
    settings: Settings, files: list[Path]
) -> tuple[Picked, list[FileSpec], list[loose.Skipped]]:
    """The targets to sync (all, or those ``files`` touch), how to open each, and the changed
    locale files skipped (outside every file set, with no source file to pair them with)."""
    sets = file_sets(settings)
    if not sets and not files:
        where = "[[files]] tables in l10n-qwen.toml, or [[tool.l10n-qwen.files]] in pyproject.toml"
        raise UsageError(f"no file sets configured: add {where} (see the README)")
    picked = affected(sets, files)
    specs = [
        FileSpec(target, locale, None if s.is_template else s.origin)
        for s, locale, target in picked
    ]
    loose_po = unconfigured_po(sets, files)
    missing = [path for path in loose_po if not path.exists()]
    if missing:
        raise UsageError(f"{missing[0]}: no such file (and no file set names it as a target)")
    covered = {p.resolve() for s in sets for p in (s.origin, *s.targets.values()) if p}
    paired, skipped = loose.pick(files, covered, settings.source_lang, settings.project_root)
    return picked, specs + [FileSpec(path) for path in loose_po] + paired, skipped


def check(settings: Settings, picked: Picked, specs: list[FileSpec]) -> list[Problem]:
    """``sync --check``: what is out of date, missing, untranslated, unreviewed or broken."""
    problems = prepare_targets(picked, check_only=True, root=settings.project_root)
    return problems + checks.check(settings, [spec for spec in specs if spec.path.exists()])


def _validate(settings: Settings, picked: Picked, specs: list[FileSpec]) -> None:
    """Read everything the fill will read (files, languages, glossary, TM, review state), so a
    mistake in any of them stops the run before a target is merged or created (issue #8)."""
    for spec in specs:
        if spec.path.exists():
            workspace.read(spec, settings)
    model = settings.model if settings.provider == "qwen" else "qwen-mt-plus"
    languages.qwen_name(settings.source_lang, model)
    locales = sorted({locale for _, locale, _ in picked})
    for locale in locales:
        languages.qwen_name(locale, model)
    if settings.glossary:
        load_glossary(settings.glossary)
    for path in settings.tm:
        load_tm(path, settings.source_lang, locales[0] if locales else settings.source_lang)
    review.ReviewState.load(settings.project_root)


def run(
    settings: Settings,
    picked: Picked,
    specs: list[FileSpec],
    *,
    echo: Callable[[str], None],
    progress: pipeline.ProgressFactory | None = None,
) -> RunResult:
    """``sync``: bring PO targets up to date with their templates, then fill everything."""
    updated: list[Problem] = []

    def prepare(specs: list[FileSpec]) -> list[FileSpec]:
        # Under the lock, before the files are loaded: merging creates some of them.
        if settings.dry_run:
            # Nothing is merged in a dry run, so what merging would add is not in the estimate.
            for problem in prepare_targets(picked, check_only=True, root=settings.project_root):
                echo(f"note: {problem} (not in the estimate: sync would update it first)")
        else:
            # Everything that can fail fails before the first target is merged or created.
            if settings.provider == "qwen":
                api_key()
            _validate(settings, picked, specs)
            updated.extend(prepare_targets(picked, check_only=False, root=settings.project_root))
        return [spec for spec in specs if spec.path.exists() or spec.source is not None]

    write = not settings.dry_run
    with (
        gcpause.run_scope(),
        workspace.open(settings, specs, write=write, translate=True, prepare=prepare) as opened,
    ):
        result = pipeline.run(opened, echo=echo, progress=progress)
    if not settings.dry_run:  # a target its framework has not created yet: nothing to fill
        for file_set, _locale, target in picked:
            if file_set.origin is None and not target.exists():
                shown = display_path(target, settings.project_root)
                result.failed.append(
                    Problem(shown, 0, "", "missing: create it with the framework's tool")
                )
    if not settings.dry_run:
        # Merged and created targets are written too, whatever the fill did after them.
        merged = [p.path for p in updated if p.path not in result.written]
        result.written[:0] = merged
        if result.stopped and result.written:
            result.exit_code = EXIT_INCOMPLETE
    return result
