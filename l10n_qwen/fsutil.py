"""Safe file writes: a reader never sees a half-written file."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, runs are not serialised
    fcntl = None  # type: ignore[assignment]

from l10n_qwen.errors import ConfigError, WriteError

log = logging.getLogger("l10n_qwen")


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename.

    The rename is atomic on POSIX, so an interrupted run leaves either the old or the new file.
    The file's permission bits are kept.
    """
    path = Path(path)
    try:
        _atomic_write(path, data)
    except OSError as exc:  # disk full, file-size limit (EFBIG), read-only: name the file
        raise WriteError(path, exc) from exc


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)  # a new locale's folder (locales/de/app.json)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        # A new file gets what open() would give it; mkstemp's 0600 would hide it from others.
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def state_dir(folder: Path) -> Path:
    """Make sure the tool's own folder (``.l10n-qwen/``) exists; a clear error if it cannot."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise ConfigError(
            f"{folder}: must be a folder (l10n-qwen keeps its cache and lock there)"
        ) from exc
    ignore = folder / ".gitignore"
    if not ignore.exists():
        # As pytest's cache folder does: `git add -A` never stages the cache or the lock.
        with contextlib.suppress(OSError):  # a read-only checkout still runs, just unignored
            atomic_write(ignore, b"# created by l10n-qwen: its cache and lock are not for git\n*\n")
    return folder


@contextlib.contextmanager
def project_lock(path: Path) -> Iterator[None]:
    """Hold the project's lock file while a run reads and writes its files and state.

    Two runs at once (``parallel l10n-qwen fill ::: locales/*.json``) would each save the review
    state they loaded, and the second would erase the first's records: its machine text would
    then pass as approved. The second run waits for the first instead. ``workspace.open`` is
    the one caller: a command takes the lock once.
    """
    if fcntl is None:
        yield
        return
    state_dir(path.parent)
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("another l10n-qwen run is working in this project; waiting for it")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
