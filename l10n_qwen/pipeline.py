"""collect -> dedupe -> reuse (cache, memory) -> translate concurrently -> verify -> write.

Every distinct (language, text, domain hint) goes out once, however many files and entries share
it. Finished entries are applied to their files as results arrive and saved every few seconds,
so an interrupted run keeps what it finished; the cache makes the rerun free for those texts.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from l10n_qwen import languages, placeholders, review
from l10n_qwen.cache import TranslationCache, cache_key
from l10n_qwen.catalog import Entry, LoadOptions, LocaleFile, State
from l10n_qwen.config import STATE_DIR, Settings, api_key
from l10n_qwen.errors import ApiError, AuthError, ContentRejected, FatalApiError, UsageError
from l10n_qwen.formats import load as load_file
from l10n_qwen.fsutil import atomic_write
from l10n_qwen.glossary import Glossary, load_glossary
from l10n_qwen.memory import Memory
from l10n_qwen.provider import Provider, TranslationRequest
from l10n_qwen.pseudo import PseudoProvider
from l10n_qwen.qwen import (
    LITE_MODEL,
    PRICES,
    ClientConfig,
    QwenClient,
    base_url_for,
    endpoint_url,
    estimate_tokens,
)
from l10n_qwen.report import Problem, RunResult
from l10n_qwen.tmfiles import load_tm

log = logging.getLogger("l10n_qwen")

#: Finished work is saved at least this often (entries), besides every ``save_interval`` seconds:
#: an interrupted run then loses nothing, and a large file is not rewritten for every entry.
SAVE_EVERY = 200


@dataclass
class Target:
    """A loaded file and the language it is translated into."""

    path: Path
    file: LocaleFile
    locale: str
    language: str  # Qwen-MT name
    dirty: bool = False


@dataclass
class Pending:
    """An entry waiting for the translations of some of its slots."""

    target: Target
    entry: Entry
    slots: dict[int, str | None]  # slot index -> translation (None = not yet)
    failed: bool = False  # one slot could not be translated: the entry stays as it was


@dataclass
class Unit:
    """One distinct text to translate into one language, and every slot waiting for it."""

    request: TranslationRequest
    flags: frozenset[str]
    context: str | None  # entries with a msgctxt never take an exact match from elsewhere
    waiting: list[tuple[Pending, int]] = field(default_factory=list)


@dataclass
class Outcome:
    """The verified translation of a unit, or why there is none."""

    text: str | None
    reason: str = ""
    requests: int = 0
    fresh: bool = False  # came from the service just now: to be cached


def display_path(path: Path, root: Path) -> str:
    """``path`` relative to the project root where possible, for messages."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


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


@dataclass(frozen=True)
class FileSpec:
    """One file to work on, with what the config knows about it beyond the options."""

    path: Path
    locale: str | None = None  # the target locale (sync knows it from the file set)
    source: Path | None = None  # JSON/YAML: its source-language file


def open_file(spec: Path | FileSpec, settings: Settings) -> tuple[Path, LocaleFile, str | None]:
    """Load one file: (the path to write, the loaded file, its target locale if known)."""
    if not isinstance(spec, FileSpec):
        spec = FileSpec(spec)
    path = real_path(spec.path, settings.project_root)
    locale = spec.locale or settings.target_lang
    options = LoadOptions(
        target_lang=locale,
        source_lang=settings.source_lang,
        source_path=spec.source or settings.source,
    )
    locale_file = load_file(path, options)
    return path, locale_file, locale or locale_file.language or languages.locale_from_path(path)


def load_targets(paths: Sequence[Path | FileSpec], settings: Settings) -> list[Target]:
    """Load every file and settle its target language; any bad input fails before any write."""
    targets: list[Target] = []
    for spec in paths:
        path, locale_file, locale = open_file(spec, settings)
        if not locale:
            raise UsageError(
                f"{path}: cannot tell the target language (no Language header, no locale in the "
                "path); pass --target-lang"
            )
        model = settings.model if settings.provider == "qwen" else "qwen-mt-plus"
        targets.append(Target(path, locale_file, locale, languages.qwen_name(locale, model)))
    return targets


def needs_work(entry: Entry, include_fuzzy: bool) -> list[int]:
    """The slots of ``entry`` to translate: empty ones; all of a fuzzy one with --include-fuzzy."""
    if entry.state is State.TRANSLATED:
        return []
    if entry.state is State.FUZZY:
        return list(range(len(entry.sources))) if include_fuzzy else []
    return entry.missing


def domain_hint(settings: Settings, entry: Entry, slot: int) -> str | None:
    """The ``domains`` prompt for one slot: the configured text, the msgctxt, the slot's hint."""
    parts = [settings.domains] if settings.domains else []
    if entry.context:
        parts.append(f'The text is used in the context "{entry.context}".')
    if slot < len(entry.hints) and entry.hints[slot]:
        parts.append(entry.hints[slot])
    if settings.model == LITE_MODEL or not parts:
        return None  # lite does not take domains; leaving hints out keeps dedupe wide
    return " ".join(parts)


def plan(
    targets: Sequence[Target],
    settings: Settings,
    memory: Memory,
    glossary: Glossary | None = None,
) -> tuple[list[Unit], list[Pending]]:
    """Group the work into distinct units; every pending entry is referenced by its units."""
    source_lang = languages.qwen_name(settings.source_lang, settings.model)
    units: dict[tuple[str, str, str | None], Unit] = {}
    pending: list[Pending] = []
    for target in targets:
        for entry in target.file.entries():
            slots = needs_work(entry, settings.include_fuzzy)
            if not slots:
                continue
            item = Pending(target, entry, dict.fromkeys(slots))
            pending.append(item)
            for index in slots:
                text = entry.sources[index]
                domains = domain_hint(settings, entry, index)
                key = (target.language, text, domains)
                unit = units.get(key)
                if unit is None:
                    request = TranslationRequest(
                        text=text,
                        source_lang=source_lang,
                        target_lang=target.language,
                        terms=terms(glossary, text, settings.source_lang, target.locale),
                        tm_list=memory.similar(target.language, text),
                        domains=domains,
                    )
                    unit = units[key] = Unit(request, entry.flags, entry.context)
                else:
                    unit.flags |= entry.flags
                unit.waiting.append((item, index))
    return list(units.values()), pending


def terms(
    glossary: Glossary | None, text: str, source_lang: str, target_lang: str
) -> tuple[tuple[str, str], ...]:
    """The glossary terms that occur in ``text`` (only those: each costs input tokens)."""
    return () if glossary is None else glossary.terms_for(text, source_lang, target_lang)


def load_memory(targets: Sequence[Target], settings: Settings, state: review.ReviewState) -> Memory:
    """Approved pairs from the files of the run and from every ``--tm`` file."""
    memory = Memory()
    for target in targets:
        review.apply(state, target.file)  # awaiting/stale JSON and YAML keys count as fuzzy
        memory.add_entries(target.language, target.file.entries())
    for path in settings.tm:
        for locale in sorted({t.locale for t in targets}):
            language = languages.qwen_name(locale, "qwen-mt-plus")
            for source, target_text in load_tm(path, settings.source_lang, locale):
                memory.add(language, source, target_text)
    return memory


class Run:
    """One fill run over loaded targets: applies results and saves as it goes."""

    def __init__(
        self,
        settings: Settings,
        targets: list[Target],
        provider: Provider | None,
        cache: TranslationCache | None,
        memory: Memory,
        on_progress: Callable[[int], None] = lambda n: None,
        record_review: Callable[[Target, Entry], None] = lambda t, e: None,
        save_review: Callable[[], object] = lambda: None,
    ) -> None:
        self.settings = settings
        self.targets = targets
        self.provider = provider
        self.cache = cache
        self.memory = memory
        self.on_progress = on_progress
        self.record_review = record_review
        self.save_review = save_review
        self.result = RunResult(files=len(targets), dry_run=settings.dry_run)
        self._last_save = time.monotonic()
        self._unsaved = 0

    # -- applying -------------------------------------------------------------------------
    def apply(self, unit: Unit, outcome: Outcome) -> None:
        """Hand a unit's outcome to every slot waiting for it; fill entries that are complete."""
        self.result.requests += outcome.requests
        if outcome.fresh and outcome.text is not None and self.cache is not None:
            # Cached here, where it is also applied: what the cache holds is what a rerun needs
            # no request for, and the files hold the same (saved every few seconds).
            self.cache.put(cache_key(self.settings.model, unit.request), outcome.text)
        for item, index in unit.waiting:
            if outcome.text is None:
                if not item.failed:
                    item.failed = True
                    self.fail(item, outcome.reason)
                continue
            item.slots[index] = outcome.text
            if item.failed or any(v is None for v in item.slots.values()):
                continue
            targets = list(item.entry.targets)
            for i, text in item.slots.items():
                targets[i] = text or ""
            if not self.settings.dry_run:
                item.target.file.fill(item.entry, targets, review=self.settings.fuzzy)
                item.target.dirty = True
                self._unsaved += 1
                self.record_review(item.target, item.entry)
            self.result.filled += 1
        due = time.monotonic() - self._last_save >= self.settings.save_interval
        if due or self._unsaved >= SAVE_EVERY:
            self.save()

    def fail(self, item: Pending, reason: str) -> None:
        """Record that ``item`` stays untranslated."""
        path = display_path(item.target.path, self.settings.project_root)
        self.result.failed.append(Problem(path, item.entry.line, item.entry.key, reason))

    def save(self) -> None:
        """Write every changed file atomically (and the review state)."""
        self._last_save = time.monotonic()
        self._unsaved = 0
        if self.settings.dry_run:
            return
        for target in self.targets:
            if target.dirty:
                atomic_write(target.path, target.file.dumps())
                target.dirty = False
                shown = display_path(target.path, self.settings.project_root)
                if shown not in self.result.written:
                    self.result.written.append(shown)
        self.save_review()

    # -- translating ----------------------------------------------------------------------
    def reuse(self, units: Iterable[Unit]) -> list[Unit]:
        """Settle units from the memory (exact approved match) or the cache; return the rest."""
        rest = []
        for unit in units:
            text = None
            if unit.context is None:
                text = self.memory.exact(unit.request.target_lang, unit.request.text)
            if text is None and self.cache is not None:
                text = self.cache.get(cache_key(self.settings.model, unit.request))
            if text is not None and not placeholders.verify(unit.request.text, text, unit.flags):
                self.result.reused += 1
                self.apply(unit, Outcome(text))
            else:
                rest.append(unit)
        return rest

    async def translate(self, unit: Unit) -> Outcome:
        """Translate one unit and verify it; retry once with placeholders masked."""
        assert self.provider is not None
        request = unit.request
        try:
            answer = await self.provider.translate(request)
            problems = placeholders.verify(request.text, answer.text, unit.flags)
            if not problems:
                return self._done(unit, answer.text, answer.input_tokens, answer.output_tokens, 1)
            masked = placeholders.mask(request.text, unit.flags)
            retry = TranslationRequest(**{**request.__dict__, "text": masked.text})
            second = await self.provider.translate(retry)
            tokens_in = answer.input_tokens + second.input_tokens
            tokens_out = answer.output_tokens + second.output_tokens
            self._count_tokens(tokens_in, tokens_out)
            try:
                text = placeholders.unmask(second.text, masked)
            except ValueError as exc:
                return Outcome(None, f"placeholders broken: {'; '.join(problems)} ({exc})", 2)
            again = placeholders.verify(request.text, text, unit.flags)
            if again:
                return Outcome(None, f"placeholders broken: {'; '.join(again)}", 2)
            return self._done(unit, text, 0, 0, 2)
        except (AuthError, FatalApiError):
            raise
        except ContentRejected as exc:
            return Outcome(None, f"rejected by Qwen-MT content inspection: {exc.detail}", 1)
        except ApiError as exc:
            return Outcome(None, str(exc), 1)

    def _count_tokens(self, tokens_in: int, tokens_out: int) -> None:
        self.result.input_tokens += tokens_in
        self.result.output_tokens += tokens_out
        price_in, price_out = PRICES.get(self.settings.model, (0.0, 0.0))
        self.result.cost_usd += (tokens_in * price_in + tokens_out * price_out) / 1_000_000

    def _done(self, unit: Unit, text: str, tokens_in: int, tokens_out: int, n: int) -> Outcome:
        self._count_tokens(tokens_in, tokens_out)
        return Outcome(text, requests=n, fresh=True)

    async def run(self, units: list[Unit]) -> None:
        """Translate ``units`` with at most ``concurrency`` in flight; save whatever finishes."""
        limit = asyncio.Semaphore(self.settings.concurrency)

        async def one(unit: Unit) -> tuple[Unit, Outcome]:
            async with limit:
                return unit, await self.translate(unit)

        tasks = [asyncio.create_task(one(unit)) for unit in units]
        try:
            for next_done in asyncio.as_completed(tasks):
                unit, outcome = await next_done
                self.apply(unit, outcome)
                self.on_progress(1)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self.save()

    def dry_run(self, units: list[Unit], echo: Callable[[str], None]) -> None:
        """Print what would be sent and estimate tokens and cost; send nothing, write nothing."""
        for unit in units:
            request = unit.request
            extras = []
            if request.tm_list:
                extras.append(f"{len(request.tm_list)} TM pairs")
            if request.terms:
                extras.append(f"{len(request.terms)} terms")
            if request.domains:
                extras.append(f"domains {request.domains!r}")
            suffix = f"  [{', '.join(extras)}]" if extras else ""
            echo(f"{request.target_lang}: {request.text!r}{suffix}")
            tokens_in = estimate_tokens(request.text) + sum(
                estimate_tokens(a) + estimate_tokens(b) for a, b in request.tm_list + request.terms
            )
            tokens_in += estimate_tokens(request.domains or "") + 30  # prompt framing
            self._count_tokens(tokens_in, round(estimate_tokens(request.text) * 1.3) + 2)
            self.result.requests += 1
            self.apply(unit, Outcome("(dry run)"))


def cache_for(settings: Settings) -> TranslationCache | None:
    """The project's translation cache, unless --no-cache."""
    path = settings.project_root / STATE_DIR / "cache.sqlite3"
    if not settings.cache or (settings.dry_run and not path.exists()):
        return None  # a dry run writes nothing, not even an empty cache
    return TranslationCache(path)


def describe_endpoint(settings: Settings) -> str:
    """Where requests go (for --dry-run), or what stands in for the service."""
    if settings.provider == "pseudo":
        return "nowhere: the pseudo provider works offline"
    base = settings.base_url or base_url_for(settings.region, settings.api)
    return f"{endpoint_url(base, settings.api)} ({settings.model})"


def make_provider(settings: Settings) -> Provider:
    """The provider the settings ask for; the Qwen client needs ``DASHSCOPE_API_KEY``."""
    if settings.provider == "pseudo":
        return PseudoProvider()
    client_config = ClientConfig(
        api_key=api_key(),
        model=settings.model,
        api=settings.api,
        region=settings.region,
        base_url=settings.base_url,
        seed=settings.seed,
        temperature=settings.temperature,
        top_p=settings.top_p,
        top_k=settings.top_k,
        repetition_penalty=settings.repetition_penalty,
        max_tokens=settings.max_tokens,
        rpm=settings.rpm,
        tpm=settings.tpm,
    )
    return QwenClient(client_config)


def fill(
    settings: Settings,
    paths: Sequence[Path | FileSpec],
    *,
    echo: Callable[[str], None],
    progress: Callable[[int], Callable[[int], None]] | None = None,
) -> RunResult:
    """Fill the untranslated entries of ``paths``; the whole ``fill`` command but for printing."""
    targets = load_targets(paths, settings)
    if settings.domains and settings.model == LITE_MODEL and settings.provider == "qwen":
        log.warning("qwen-mt-lite does not support domains: the domains text is not sent")
    state = review.ReviewState.load(settings.project_root)
    memory = load_memory(targets, settings, state)
    glossary = load_glossary(settings.glossary) if settings.glossary else None
    units, _pending = plan(targets, settings, memory, glossary)
    provider = None if settings.dry_run else make_provider(settings)
    cache = cache_for(settings)
    run = Run(
        settings,
        targets,
        provider,
        cache,
        memory,
        record_review=lambda t, e: review.record_fill(state, t.file, e, review=settings.fuzzy),
        save_review=state.save,
    )
    try:
        rest = run.reuse(units)
        run.result.texts = len(units)
        if settings.dry_run:
            echo(f"would POST to {describe_endpoint(settings)}")
            run.dry_run(rest, echo)
            return run.result
        if progress is not None:
            run.on_progress = progress(len(rest))
        assert provider is not None
        asyncio.run(_translate(run, provider, rest))
        return run.result
    finally:
        if cache is not None:
            cache.close()


async def _translate(run: Run, provider: Provider, units: list[Unit]) -> None:
    try:
        await run.run(units)
    finally:
        # What the service saw, retries included (the pseudo provider sends none).
        run.result.requests = provider.usage.requests
        await provider.aclose()
