"""collect -> dedupe -> reuse (cache, memory) -> translate concurrently -> verify -> write.

Every distinct (language, text, domain hint) goes out once, however many files and entries share
it. Finished entries are applied to their files as results arrive and saved every few seconds,
so an interrupted run keeps what it finished; the cache makes the rerun free for those texts.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from l10n_qwen import placeholders, review
from l10n_qwen.batching import batch_request, make_batches, split_answer
from l10n_qwen.cache import TranslationCache, cache_key
from l10n_qwen.catalog import Entry, State
from l10n_qwen.config import Settings, api_key
from l10n_qwen.errors import (
    EXIT_INCOMPLETE,
    ApiError,
    AuthError,
    ContentRejected,
    FatalApiError,
    InputError,
    ServiceFailing,
)
from l10n_qwen.fsutil import atomic_write, project_lock
from l10n_qwen.glossary import load_glossary
from l10n_qwen.memory import Memory
from l10n_qwen.paths import state_path
from l10n_qwen.planning import (
    FileSpec,
    Pending,
    Target,
    Unit,
    display_path,
    load_memory,
    load_targets,
    plan,
)
from l10n_qwen.provider import Provider, TranslationRequest
from l10n_qwen.pseudo import PseudoProvider
from l10n_qwen.qwen import (
    LITE_MODEL,
    PRICES,
    ClientConfig,
    QwenClient,
    base_url_for,
    check_base_url,
    endpoint_url,
    estimate_input_tokens,
    estimate_tokens,
)
from l10n_qwen.report import Problem, RunResult

log = logging.getLogger("l10n_qwen")

#: Finished work is saved at least this often (entries), besides every ``save_interval`` seconds:
#: an interrupted run then loses nothing, and a large file is not rewritten for every entry.
SAVE_EVERY = 200


@dataclass
class Outcome:
    """The verified translation of a unit, or why there is none."""

    text: str | None
    reason: str = ""
    fresh: bool = False  # came from the service just now: to be cached
    service_error: bool = False  # the service failed (after retries), not this text


#: Texts in a row that the service failed even after the client's retries; then the run stops
#: rather than spend minutes retrying every remaining text against a service that is down.
SERVICE_FAILURES_TO_STOP = 3
#: Errors that belong to one text: a batch that meets them is sent again one text at a time.
_TEXT_ERRORS = frozenset({"too_long", "length"})


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
        self._save_cost = 0.0  # seconds the last save took
        self._service_failures = 0
        self._unsaved = 0

    # -- applying -------------------------------------------------------------------------
    def apply(self, unit: Unit, outcome: Outcome) -> None:
        """Hand a unit's outcome to every slot waiting for it; fill entries that are complete."""
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
                try:
                    item.target.file.fill(item.entry, targets, review=self.settings.fuzzy)
                except InputError as exc:  # e.g. text the file's charset cannot hold
                    self.fail(item, exc.detail)
                    continue
                item.target.dirty = True
                self._unsaved += 1
                self.record_review(item.target, item.entry)
                if self.settings.fuzzy and item.entry.state is State.TRANSLATED:
                    self.result.review.append(self._completed(item))
            self.result.filled += 1
        # A save costs a full dump of each changed file (seconds for a 20,000-key YAML file):
        # never spend more than a tenth of the run on them.
        elapsed = time.monotonic() - self._last_save
        if elapsed >= 10 * self._save_cost and (
            elapsed >= self.settings.save_interval or self._unsaved >= SAVE_EVERY
        ):
            self.save()

    def _completed(self, item: Pending) -> Problem:
        """An approved entry the fill completed without a review mark (see ``PoFile.fill``)."""
        path = display_path(item.target.path, self.settings.project_root)
        forms = ", ".join(f"msgstr[{i}]" for i in sorted(item.slots))
        reason = (
            f"{forms} machine-translated into an approved entry, left approved so its "
            "human forms stay in the compiled catalog: review it"
        )
        return Problem(path, item.entry.line, item.entry.key, reason)

    def fail(self, item: Pending, reason: str) -> None:
        """Record that ``item`` stays untranslated."""
        path = display_path(item.target.path, self.settings.project_root)
        self.result.failed.append(Problem(path, item.entry.line, item.entry.key, reason))

    def save(self) -> None:
        """Write every changed file atomically (and the review state)."""
        started = time.monotonic()
        self._unsaved = 0
        if self.settings.dry_run:
            self._last_save = started
            return
        if self.cache is not None:
            self.cache.flush()
        # The review state first: a record of a value not yet on disk is harmless (the entry is
        # still untranslated), a value on disk without its record would pass as approved.
        self.save_review()
        for target in self.targets:
            if target.dirty:
                atomic_write(target.path, target.file.dumps())
                target.dirty = False
                shown = display_path(target.path, self.settings.project_root)
                if shown not in self.result.written:
                    self.result.written.append(shown)
        self._last_save = time.monotonic()
        self._save_cost = self._last_save - started

    # -- translating ----------------------------------------------------------------------
    def reuse(self, units: Iterable[Unit]) -> list[Unit]:
        """Settle units from the memory (exact approved match) or the cache; return the rest."""
        rest = []
        for unit in units:
            text = None
            if unit.exact_ok:
                text = self.memory.exact(unit.memory_key, unit.request.text)
            if text is None and self.cache is not None:
                text = self.cache.get(cache_key(self.settings.model, unit.request))
            if text is not None and not unit.problems(text):
                self.result.reused += 1
                self.apply(unit, Outcome(text))
            else:
                rest.append(unit)
        return rest

    async def translate(self, unit: Unit) -> Outcome:
        """Translate one unit and verify it; retry once with placeholders masked."""
        assert self.provider is not None
        request = unit.request
        log.debug("translating into %s: %r", request.target_lang, request.text[:80])
        try:
            answer = await self.provider.translate(request)
            problems = unit.problems(answer.text)
            if not problems:
                return self._done(unit, answer.text, answer.input_tokens, answer.output_tokens)
            masked = placeholders.mask(request.text, unit.flags)
            retry = TranslationRequest(**{**request.__dict__, "text": masked.text})
            second = await self.provider.translate(retry)
            tokens_in = answer.input_tokens + second.input_tokens
            tokens_out = answer.output_tokens + second.output_tokens
            self._count_tokens(tokens_in, tokens_out)
            try:
                text = placeholders.unmask(second.text, masked)
            except ValueError as exc:
                return Outcome(None, f"placeholders broken: {'; '.join(problems)} ({exc})")
            again = unit.problems(text)
            if again:
                return Outcome(None, f"placeholders broken: {'; '.join(again)}")
            return self._done(unit, text, 0, 0)
        except (AuthError, FatalApiError):
            raise
        except ContentRejected as exc:
            return Outcome(None, f"rejected by Qwen-MT content inspection: {exc.detail}")
        except ApiError as exc:
            return Outcome(None, str(exc), service_error=exc.code not in _TEXT_ERRORS)

    def _count_tokens(self, tokens_in: int, tokens_out: int) -> None:
        self.result.input_tokens += tokens_in
        self.result.output_tokens += tokens_out
        price_in, price_out = PRICES.get(self.settings.model, (0.0, 0.0))
        self.result.cost_usd += (tokens_in * price_in + tokens_out * price_out) / 1_000_000

    def _done(self, unit: Unit, text: str, tokens_in: int, tokens_out: int) -> Outcome:
        self._count_tokens(tokens_in, tokens_out)
        return Outcome(text, fresh=True)

    async def translate_batch(self, units: list[Unit]) -> list[tuple[Unit, Outcome]]:
        """Translate several units in one request; whatever does not come back right goes alone."""
        if len(units) == 1:
            return [(units[0], await self.translate(units[0]))]
        assert self.provider is not None
        pieces: list[str] | None = None
        log.debug(
            "translating %d texts in one request into %s", len(units), units[0].request.target_lang
        )
        try:
            answer = await self.provider.translate(batch_request(units))
            self._count_tokens(answer.input_tokens, answer.output_tokens)
            pieces = split_answer(answer.text, len(units))
        except (AuthError, FatalApiError):
            raise
        except ContentRejected as exc:  # alone, each text says whether it is the one
            log.debug("batch of %d rejected (%s); sending its texts one by one", len(units), exc)
        except ApiError as exc:
            if exc.code not in _TEXT_ERRORS:
                # The service failed after the client's retries: ten more requests per batch
                # would not help it. Every text of the batch fails with this reason.
                failed = Outcome(None, str(exc), service_error=True)
                return [(unit, failed) for unit in units]
            log.debug("batch of %d failed (%s); sending its texts one by one", len(units), exc)
        results: list[tuple[Unit, Outcome]] = []
        alone: list[Unit] = []
        for index, unit in enumerate(units):
            piece = pieces[index] if pieces is not None else ""
            if piece and not unit.problems(piece):
                results.append((unit, self._done(unit, piece, 0, 0)))
            else:
                alone.append(unit)
        # One after another: the batch holds one of the --concurrency slots, and so do they.
        for unit in alone:
            results.append((unit, await self.translate(unit)))
        return results

    def _watch_service(self, outcomes: list[Outcome]) -> None:
        """Stop the run when the service keeps failing request after request."""
        if any(outcome.text is not None for outcome in outcomes):
            self._service_failures = 0
        elif outcomes and all(outcome.service_error for outcome in outcomes):
            self._service_failures += 1  # one batch is one request, however many texts
            if self._service_failures >= SERVICE_FAILURES_TO_STOP:
                raise ServiceFailing(
                    f"{self._service_failures} requests in a row failed even after retries "
                    f"(last: {outcomes[-1].reason}); stopped. What was finished is saved; "
                    "run the same command again later",
                )

    def _take(self, results: list[tuple[Unit, Outcome]]) -> None:
        for unit, outcome in results:
            self.apply(unit, outcome)
            self.on_progress(1)

    async def run(self, batches: list[list[Unit]]) -> None:
        """Translate with at most ``concurrency`` requests in flight; save whatever finishes."""
        limit = asyncio.Semaphore(self.settings.concurrency)

        async def one(batch: list[Unit]) -> list[tuple[Unit, Outcome]]:
            async with limit:
                return await self.translate_batch(batch)

        tasks = [asyncio.create_task(one(batch)) for batch in batches]
        taken: set[asyncio.Task[list[tuple[Unit, Outcome]]]] = set()
        try:
            waiting = set(tasks)
            while waiting:
                done, waiting = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    taken.add(task)
                    results = task.result()  # an AuthError, FatalApiError... stops the run here
                    self._take(results)
                    self._watch_service([outcome for _unit, outcome in results])
        finally:
            # Answers that arrived but were not taken yet are paid for: keep them too.
            for task in tasks:
                finished = task.done() and not task.cancelled() and task.exception() is None
                if finished and task not in taken:
                    self._take(task.result())
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self.save()

    def dry_run(self, batches: list[list[Unit]], echo: Callable[[str], None]) -> None:
        """Print what would be sent and estimate tokens and cost; send nothing, write nothing."""
        for batch in batches:
            request = batch_request(batch)
            extras = [f"{len(batch)} texts"] if len(batch) > 1 else []
            if request.tm_list:
                extras.append(f"{len(request.tm_list)} TM pairs")
            if request.terms:
                extras.append(f"{len(request.terms)} terms")
            if request.domains:
                extras.append(f"domains {request.domains!r}")
            suffix = f"  [{', '.join(extras)}]" if extras else ""
            echo(f"{request.target_lang}: {request.text!r}{suffix}")
            tokens_in = estimate_input_tokens(request, self.settings.model)
            self._count_tokens(tokens_in, round(estimate_tokens(request.text) * 1.3) + 2)
            self.result.requests += 1
            for unit in batch:
                self.apply(unit, Outcome("(dry run)"))


def cache_for(settings: Settings) -> TranslationCache | None:
    """The project's translation cache, unless --no-cache."""
    path = state_path(settings.project_root, "cache.sqlite3")
    if not settings.cache or (settings.dry_run and not path.exists()):
        return None  # a dry run writes nothing, not even an empty cache
    if settings.provider == "pseudo":
        return None  # pseudo text must never be taken for a real translation, nor the reverse
    return TranslationCache(path)


def describe_endpoint(settings: Settings) -> str:
    """Where requests go (for --dry-run), or what stands in for the service."""
    if settings.provider == "pseudo":
        return "nowhere: the pseudo provider works offline"
    base = check_base_url(settings.base_url or base_url_for(settings.region, settings.api))
    return f"{endpoint_url(base, settings.api)} ({settings.model})"


def make_provider(settings: Settings) -> Provider:
    """The provider the settings ask for; the Qwen client needs ``DASHSCOPE_API_KEY``."""
    if settings.provider == "pseudo":
        return PseudoProvider()
    # Settings and ClientConfig name the options they share alike (model, region, seed, rpm...);
    # the client's own knobs (timeouts, attempts, backoff) keep their defaults.
    shared = {f.name for f in dataclasses.fields(ClientConfig)} & {
        f.name for f in dataclasses.fields(Settings)
    }
    client_config = ClientConfig(
        api_key=api_key(), **{name: getattr(settings, name) for name in shared}
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
    if settings.dry_run:
        return _fill(settings, paths, echo=echo, progress=progress)
    with project_lock(state_path(settings.project_root, "lock")):
        return _fill(settings, paths, echo=echo, progress=progress)


def _fill(
    settings: Settings,
    paths: Sequence[Path | FileSpec],
    *,
    echo: Callable[[str], None],
    progress: Callable[[int], Callable[[int], None]] | None,
) -> RunResult:
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
        batches = make_batches(rest, settings.batch_size)
        if settings.dry_run:
            echo(f"would POST to {describe_endpoint(settings)}")
            run.dry_run(batches, echo)
            return run.result
        if progress is not None:
            run.on_progress = progress(len(rest))
        assert provider is not None
        try:
            asyncio.run(_translate(run, provider, batches))
        except (AuthError, FatalApiError, ServiceFailing) as exc:
            # Stopped partway: what finished is saved, and the report must still say so.
            run.result.stopped = str(exc)
            run.result.exit_code = EXIT_INCOMPLETE if run.result.written else exc.exit_code
        return run.result
    finally:
        if cache is not None:
            cache.close()


async def _translate(run: Run, provider: Provider, batches: list[list[Unit]]) -> None:
    try:
        await run.run(batches)
    finally:
        # What the service saw, retries included (the pseudo provider sends none).
        run.result.requests = provider.usage.requests
        await provider.aclose()
