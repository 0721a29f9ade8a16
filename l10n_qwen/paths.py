"""Where l10n-qwen may write: inside the project, unless the user named the place.

A repository's own config runs with the user's rights whenever the pre-commit hook runs ``sync``
in it, so nothing that comes from the project's files (a ``target`` pattern, a locale code, a
``report`` path, a symlinked ``.l10n-qwen/``) may lead a write out of the project root
(issue #8). A ``--report`` or a file named on the command line goes where the user says.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from l10n_qwen.errors import ConfigError, UsageError

STATE_DIR = ".l10n-qwen"  # the tool's own folder at the project root: cache and lock

# BCP 47 (``zh-Hant-TW``, ``sr-Latn``) or POSIX (``pt_BR.UTF-8@euro``, ``sr@latin``): letters,
# digits, ``-`` and ``_`` between subtags, one codeset and one modifier. No ``/``, ``\`` or
# ``..``: a locale code becomes a part of a path.
_LOCALE = re.compile(
    r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*"
    r"(?:\.[A-Za-z0-9][A-Za-z0-9_-]*)?"
    r"(?:@[A-Za-z0-9][A-Za-z0-9_-]*)?\Z"
)


def is_locale(code: str) -> bool:
    """Whether ``code`` has the syntax of a locale code (and so is safe as a part of a path)."""
    return _LOCALE.match(code) is not None


def check_locale(code: str, where: str) -> str:
    """``code`` if it has the syntax of a BCP 47 or POSIX locale code; else a ConfigError.

    >>> check_locale("sr@latin", "config")
    'sr@latin'
    """
    if not is_locale(code):
        raise ConfigError(
            f"{where}: {code!r} is not a locale code (BCP 47 like pt-BR, or POSIX like pt_BR)"
        )
    return code


def inside(path: Path, root: Path, what: str) -> Path:
    """``path`` (absolute, or relative to ``root``) if it stays in ``root`` once ``..`` and
    symbolic links are followed; else a ConfigError naming ``what`` (the offending value)."""
    absolute = Path(os.path.abspath(root / path))
    real = absolute.resolve()
    top = root.resolve()
    if not real.is_relative_to(top):
        shown = f"{absolute} (a link to {real})" if real != absolute else str(absolute)
        raise ConfigError(f"{what}: {shown} is outside the project {top}; not writing there")
    return absolute


def state_path(root: Path, *names: str) -> Path:
    """``root/.l10n-qwen/NAME``, the tool's own files; a ConfigError where a symbolic link
    (the folder, or the file in it) would lead them elsewhere."""
    folder = root / STATE_DIR
    path = folder.joinpath(*names)
    for part in (folder, path):
        if part.is_symlink():
            raise ConfigError(
                f"{part}: is a symbolic link (to {os.readlink(part)}); l10n-qwen keeps its "
                "cache and lock in the project itself: remove the link"
            )
    return inside(path, root, str(path))


def real_path(path: Path, root: Path) -> Path:
    """The file to read and write for ``path``: a symlink is followed only within the project.

    Writing goes to the link's target (the link stays a link); a link that leads out of the
    project is refused, so a crafted link in a repository cannot make a hook overwrite, say,
    a file in the user's home.
    """
    absolute = Path(os.path.abspath(path))
    real = absolute.resolve()
    if real != absolute and not real.is_relative_to(root.resolve()):
        raise UsageError(
            f"{path}: is a symbolic link to {real}, outside the project; not following it"
        )
    return real
