"""Format flags the placeholder verification does not cover are checked by GNU msgfmt itself.

``placeholders.verify`` knows c-format, python-format and python-brace-format exactly (and is
stricter than msgfmt there). gettext checks two dozen more (sh-format's ``$FILE``,
qt-plural-format's ``%n``, scheme-format's ``~a``, smalltalk-format's ``%1``, boost, kde, lisp,
php, tcl, ...); before a machine translation of such an entry is written, the reference
implementation checks it, so the file passes ``msgfmt --check-format`` (issue #8). Without msgfmt
such an entry is not written: it stays untranslated and is reported.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess

import polib

#: Checked by ``placeholders.verify`` at least as strictly as msgfmt checks them.
OWN = frozenset({"c-format", "python-format", "python-brace-format"})
_PROBLEM = re.compile(r"^<stdin>:\d+: (.*)$", re.MULTILINE)


def others(flags: frozenset[str]) -> list[str]:
    """The format flags of ``flags`` that only msgfmt verifies (``no-...-format`` is none)."""
    return sorted(
        f for f in flags if f.endswith("-format") and not f.startswith("no-") and f not in OWN
    )


def problems(
    source: str, translation: str, flags: frozenset[str], single_number: bool
) -> list[str]:
    """What ``msgfmt --check-format`` finds wrong in ``translation`` for the flags only it knows.

    ``single_number``: the translation is a plural form used for one number only, which may
    leave the number out (msgfmt allows it for such forms).
    """
    formats = others(flags)
    if not formats:
        return []
    return list(_check(source, translation, tuple(formats), single_number))


def completed_entry(
    msgid: str, msgid_plural: str, forms: list[str], flags: frozenset[str], plural_forms: str
) -> list[str]:
    """What ``msgfmt --check-format`` finds wrong in a plural entry completed by a fill.

    The forms a person wrote are checked only once the entry is complete (msgfmt skips an
    entry with an empty form): a kept form that breaks the checks would make the filled file
    fail them. Nothing without msgfmt: the kept forms are a person's work, not this tool's.
    """
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return []
    strings = "".join(f'msgstr[{i}] "{polib.escape(text)}"\n' for i, text in enumerate(forms))
    wanted = sorted(f for f in flags if f.endswith("-format"))
    entry = (
        (f"#, {', '.join(wanted)}\n" if wanted else "")
        + f'msgid "{polib.escape(msgid)}"\nmsgid_plural "{polib.escape(msgid_plural)}"\n'
        + strings
    )
    return list(_run(msgfmt, _header(plural_forms) + entry))


def _header(plural_forms: str) -> str:
    return (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Plural-Forms: {polib.escape(plural_forms)}\\n"\n\n'
    )


def _run(msgfmt: str, text: str) -> tuple[str, ...]:
    done = subprocess.run(
        [msgfmt, "--check-format", "-o", os.devnull, "-"],
        input=text.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    if done.returncode == 0:
        return ()
    found = _PROBLEM.findall(done.stderr.decode("utf-8", "replace"))
    detail = next((p for p in found if "fatal error" not in p), "rejected")
    return (f"msgfmt --check-format: {detail}",)


@functools.lru_cache(maxsize=4096)
def _check(
    source: str, translation: str, formats: tuple[str, ...], single: bool
) -> tuple[str, ...]:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return (f"cannot verify {', '.join(formats)} without GNU msgfmt (install gettext)",)
    src, tgt = polib.escape(source), polib.escape(translation)
    if single:  # form 0 of "n != 1" is used for n = 1 alone
        entry = f'msgid "{src}"\nmsgid_plural "{src}"\nmsgstr[0] "{tgt}"\nmsgstr[1] "{src}"\n'
    else:
        entry = f'msgid "{src}"\nmsgstr "{tgt}"\n'
    text = _header("nplurals=2; plural=(n != 1);") + f"#, {', '.join(formats)}\n{entry}"
    return _run(msgfmt, text)
