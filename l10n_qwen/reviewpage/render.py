"""The page's HTML, rendered on the server from the templates beside this module.

Every text from a file is escaped here; the templates only place it. Filters and pages are
plain links and a GET form, so the page works as a document; the JavaScript adds editing.
"""

from __future__ import annotations

import functools
import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from string import Template
from urllib.parse import urlencode

from l10n_qwen import placeholders
from l10n_qwen.reviewpage.queue import AWAITING, STALE, Item, Queue, direction, wraps_by_character

PAGE_SIZE = 50


@functools.cache
def template(name: str) -> Template:
    """A template of ``templates/`` (read once)."""
    folder = resources.files(__package__).joinpath("templates")
    return Template(folder.joinpath(name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class View:
    """What the reviewer asked to see: filters and page number (from the query string)."""

    file: str = ""
    locale: str = ""
    state: str = ""
    page: int = 1

    @classmethod
    def parse(cls, query: Mapping[str, str]) -> View:
        """The view a query string asks for; anything unreadable falls back to the default."""
        try:
            page = max(1, int(query.get("page", "1")))
        except ValueError:
            page = 1
        state = query.get("state", "")
        return cls(
            query.get("file", ""),
            query.get("locale", ""),
            state if state in (AWAITING, STALE) else "",
            page,
        )

    def select(self, items: Sequence[Item]) -> list[Item]:
        """The items this view's filters let through."""
        return [
            item
            for item in items
            if (not self.file or item.file.shown == self.file)
            and (not self.locale or item.file.locale == self.locale)
            and (not self.state or item.status == self.state)
        ]

    def link(self, token: str, **changes: object) -> str:
        """The address of this view with ``changes`` (the token kept)."""
        values = {"file": self.file, "locale": self.locale, "state": self.state, "page": self.page}
        values.update(changes)
        query = {"token": token, **{k: str(v) for k, v in values.items() if v not in ("", 1)}}
        return "/?" + urlencode(query)


def page(queue: Queue, view: View, token: str) -> str:
    """The whole page for ``view``."""
    items = queue.items()
    chosen = view.select(items)
    pages = max(1, math.ceil(len(chosen) / PAGE_SIZE))
    number = min(view.page, pages)
    shown = chosen[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    files = list(queue.files)
    locales = sorted({loaded.locale for loaded in queue.files.values()})
    summary = f"{len(items)} {'entry' if len(items) == 1 else 'entries'} to review"
    summary += f" in {len(files)} {'file' if len(files) == 1 else 'files'}"
    if len(chosen) != len(items):
        summary += f"; {len(chosen)} match the filters"
    body = "\n".join(entry(queue, item) for item in shown)
    if not shown:
        body = '<p class="empty">Nothing to review here.</p>'
    return template("page.html").substitute(
        token=html.escape(token),
        summary=html.escape(summary),
        file_options=_options(files, view.file, "all files"),
        locale_options=_options(locales, view.locale, "all locales"),
        state_options=_options([AWAITING, STALE], view.state, "awaiting and stale"),
        entries=body,
        pager=_pager(view, number, pages, len(chosen), token),
    )


def _options(values: Sequence[str], chosen: str, everything: str) -> str:
    out = [f'<option value=""{" selected" if not chosen else ""}>{everything}</option>']
    for value in values:
        selected = " selected" if value == chosen else ""
        out.append(f'<option value="{html.escape(value)}"{selected}>{html.escape(value)}</option>')
    return "".join(out)


def _pager(view: View, number: int, pages: int, total: int, token: str) -> str:
    if total == 0:
        return ""
    first = (number - 1) * PAGE_SIZE + 1
    last = min(total, number * PAGE_SIZE)
    parts = []
    if number > 1:
        href = html.escape(view.link(token, page=number - 1))
        parts.append(f'<a rel="prev" href="{href}">previous</a>')
    parts.append(f'<span class="range">{first}–{last} of {total}</span>')
    if number < pages:
        href = html.escape(view.link(token, page=number + 1))
        parts.append(f'<a rel="next" href="{href}">next</a>')
    return " ".join(parts)


def highlight(text: str, flags: frozenset[str]) -> str:
    """``text`` escaped, each placeholder and tag wrapped in ``<mark>``."""
    out = []
    pos = 0
    for found in placeholders.find(text, flags):
        out.append(html.escape(text[pos : found.start]))
        kind = html.escape(found.kind)
        out.append(f'<mark class="ph" title="{kind}">{html.escape(found.text)}</mark>')
        pos = found.end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def entry(queue: Queue, item: Item) -> str:
    """One entry's card."""
    loaded, current = item.file, item.entry
    return template("entry.html").substitute(
        id=item.id,
        file=html.escape(loaded.shown),
        hash=loaded.fingerprint,
        line=current.line,
        locale=html.escape(loaded.locale),
        status=item.status,
        slots="\n  ".join(_slot(queue, item, index) for index in range(len(current.sources))),
        context=_context(item),
        terms=_terms(queue.terms(item, current.targets)),
        memory=_memory(queue.memory_pairs(item)),
    )


def _slot(queue: Queue, item: Item, index: int) -> str:
    current, locale = item.entry, item.file.locale
    text = current.targets[index] if index < len(current.targets) else ""
    label = ""
    if len(current.sources) > 1:
        hint = current.hints[index] if index < len(current.hints) else ""
        label = f"form {index}" + (f": {hint}" if hint else "")
    rows = min(12, max(2, text.count("\n") + 1, math.ceil(len(text) / 70)))
    return template("slot.html").substitute(
        label=f'<div class="form">{html.escape(label)}</div>' if label else "",
        label_text=html.escape(f" ({label})" if label else ""),
        source_lang=html.escape(queue.settings.source_lang.replace("_", "-")),
        source=highlight(current.sources[index], current.flags),
        wrap=" cjk" if wraps_by_character(locale) else "",
        lang=html.escape(locale.replace("_", "-").split("@")[0]),
        dir=direction(locale),
        rows=rows,
        index=index,
        text=html.escape(text),
    )


def _context(item: Item) -> str:
    rows = [("key", item.entry.key.replace("\x04", " | "))]
    if item.entry.context is not None:
        rows.append(("context", item.entry.context))
    if item.entry.comments:
        rows.append(("comments", item.entry.comments))
    if item.entry.flags:
        rows.append(("flags", ", ".join(sorted(item.entry.flags))))
    if item.previous is not None:
        rows.append(("previous source", item.previous))
    cells = "".join(
        f'<dt>{name}</dt><dd class="{name.replace(" ", "-")}">{html.escape(value)}</dd>'
        for name, value in rows
    )
    return f'<dl class="context">{cells}</dl>'


def _terms(terms: Sequence[tuple[str, str, bool]]) -> str:
    if not terms:
        return ""
    cells = "".join(
        f'<li class="term{"" if present else " missing"}" data-target="{html.escape(target)}">'
        f"{html.escape(source)} → <b>{html.escape(target)}</b></li>"
        for source, target, present in terms
    )
    return f'<ul class="terms" title="glossary terms in the source">{cells}</ul>'


def _memory(pairs: Sequence[tuple[str, str]]) -> str:
    if not pairs:
        return ""
    cells = "".join(
        f"<li>{html.escape(source)} → {html.escape(target)}</li>" for source, target in pairs
    )
    summary = f"<summary>memory ({len(pairs)})</summary>"
    return f'<details class="memory">{summary}<ul>{cells}</ul></details>'
