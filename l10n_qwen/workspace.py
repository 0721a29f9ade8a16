"""Where every command meets its files: ``open(settings, specs)``, once per command.

It resolves each path (a symlink is followed only inside the project, see ``paths``), loads the
file through its format, settles its locale, reads the review state and applies it to the loaded
entries, and, for a command that writes, holds the project lock for as long as the workspace is
open. What comes out is final: planning, ``check`` and ``approve`` read ``Entry.state`` as it is,
with no step of their own that changes it.

>>> from l10n_qwen.config import Settings
>>> with open(Settings(), []) as workspace:
...     workspace.targets
[]
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from l10n_qwen import languages, review
from l10n_qwen.catalog import LoadOptions, LocaleFile
from l10n_qwen.config import Settings
from l10n_qwen.errors import UsageError
from l10n_qwen.formats import load as load_file
from l10n_qwen.fsutil import atomic_write, project_lock
from l10n_qwen.paths import real_path, state_path


@dataclass(frozen=True)
class FileSpec:
    """One file to work on, with what the config knows about it beyond the options."""

    path: Path
    locale: str | None = None  # the target locale (sync knows it from the file set)
    source: Path | None = None  # JSON/YAML: its source-language file


@dataclass
class Target:
    """A loaded file, the language it is translated into, and its review marks."""

    path: Path  # the file to write (a symlink inside the project resolved)
    file: LocaleFile
    locale: str  # "" where the command needs none and neither file nor path tells it
    language: str  # Qwen-MT name; "" for a command that translates nothing
    #: JSON/YAML: the keys the review state marks ``awaiting`` or ``stale`` (their entries are
    #: ``State.FUZZY`` already); PO keeps its own marks in the file.
    marks: dict[str, review.Status] = field(default_factory=dict)
    dirty: bool = False

    def save(self) -> None:
        """Write the file atomically, as it is now."""
        atomic_write(self.path, self.file.dumps())
        self.dirty = False


@dataclass
class Workspace:
    """The loaded files of one command and the project's review state."""

    settings: Settings
    specs: list[FileSpec]
    targets: list[Target]
    state: review.ReviewState
    translate: bool

    def reload(self) -> Workspace:
        """The same files read again (after this command wrote them), under the same lock."""
        return _load(self.settings, self.specs, translate=self.translate)


#: Runs under the lock before anything is loaded; returns the files to load (``sync`` merges
#: and creates PO targets there, the review page tests that nothing changed since it read).
Prepare = Callable[[list[FileSpec]], Sequence[FileSpec]]


@contextlib.contextmanager
def open(
    settings: Settings,
    specs: Sequence[Path | FileSpec],
    *,
    write: bool = False,
    translate: bool = False,
    prepare: Prepare | None = None,
) -> Iterator[Workspace]:
    """Load ``specs`` for one command; bad input fails here, before anything is written.

    ``write``: hold the project's lock while open. Two runs at once would each save the review
    state they loaded, and the second would erase the first's records. ``translate``: every file
    needs a target language Qwen-MT knows (a UsageError/ConfigError otherwise).
    """
    wanted = [spec if isinstance(spec, FileSpec) else FileSpec(spec) for spec in specs]
    lock = project_lock(state_path(settings.project_root, "lock")) if write else None
    with lock or contextlib.nullcontext():
        if prepare is not None:
            wanted = list(prepare(wanted))
        yield _load(settings, wanted, translate=translate)


def _load(settings: Settings, specs: list[FileSpec], *, translate: bool) -> Workspace:
    targets = [_target(spec, settings, translate) for spec in specs]
    state = review.ReviewState.load(settings.project_root)
    for target in targets:
        # At load time, for every command alike: awaiting and stale JSON/YAML keys are fuzzy.
        target.marks = review.apply(state, target.file)
    return Workspace(settings, specs, targets, state, translate)


def _target(spec: FileSpec, settings: Settings, translate: bool) -> Target:
    path, locale_file, locale = read(spec, settings)
    if not translate:
        return Target(path, locale_file, locale or "", "")
    if not locale:
        raise UsageError(
            f"{path}: cannot tell the target language (no Language header, no locale in the "
            "path); pass --target-lang"
        )
    model = settings.model if settings.provider == "qwen" else "qwen-mt-plus"
    return Target(path, locale_file, locale, languages.qwen_name(locale, model))


def read(spec: Path | FileSpec, settings: Settings) -> tuple[Path, LocaleFile, str | None]:
    """Load one file: (the path to write, the loaded file, its target locale if known)."""
    if not isinstance(spec, FileSpec):
        spec = FileSpec(spec)
    path = real_path(spec.path, settings.project_root)
    if path.suffix == ".pot":
        raise UsageError(
            f"{spec.path}: is a template; work on the .po files made from it "
            "(l10n-qwen sync creates and updates them from the template)"
        )
    if path.is_dir():
        raise UsageError(f"{spec.path}: is a folder; name the locale files")
    if path.suffix == ".po" and not path.exists():
        raise UsageError(f"{spec.path}: no such file")
    locale = spec.locale or settings.target_lang
    options = LoadOptions(
        target_lang=locale,
        source_lang=settings.source_lang,
        source_path=spec.source or settings.source,
    )
    locale_file = load_file(path, options)
    return path, locale_file, locale or locale_file.language or languages.locale_from_path(path)
