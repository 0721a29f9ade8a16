"""collect -> dedupe -> reuse (cache, memory) -> translate concurrently -> verify -> write.

Every distinct (language, text, domain hint) goes out once, however many files and entries share
it. Finished entries are applied to their files as results arrive and saved every few seconds,
so an interrupted run keeps what it finished; the cache makes the rerun free for those texts.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from l10n_qwen import dryrun, gcpause, placeholders, review, verbatim, workspace
from l10n_qwen.batching import batch_request, halves, limits, make_batches, split_answer
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
    TextError,
)
from l10n_qwen.gcpause import collector_paused
from l10n_qwen.glossary import load_glossary
from l10n_qwen.memory import Memory
from l10n_qwen.paths import state_path
from l10n_qwen.planning import (
    Pending,
    Unit,
    add_examples,
    display_path,
    load_memory,
    plan,
)
from l10n_qwen.progress import Progress
from l10n_qwen.provider import Provider
from l10n_qwen.pseudo import PseudoProvider
from l10n_qwen.qwen import (
    ClientConfig,
    QwenClient,
    check_base_url,
    estimate_input_tokens,
    estimate_tokens,
)
from l10n_qwen.ratelimit import RateLimiter
from l10n_qwen.report import Problem, RunResult
from l10n_qwen.service import LITE_MODEL, PRICES, base_url_for, endpoint_url
from l10n_qwen.workspace import FileSpec, Target, Workspace

log = logging.getLogger("l10n_qwen")

#: Finished work is saved at least this often (entries), besides every ``save_interval`` seconds:
#: an interrupted run then loses nothing, and a large file is not rewritten for every entry.
SAVE_EVERY = 200


#: Makes the progress display of a run, given the number of entries to finish.
ProgressFactory = Callable[[int, Settings], Progress]


@dataclass(slots=True)
class Outcome:
    """The verified translation of a unit, or why there is none."""

    text: str | None
    reason: str = ""
    fresh: bool = False  # came from the service just now: to be cached
    service_error: bool = False  # the service failed (after retries), not this text


#: Texts in a row that the service failed even after the client's retries; then the run stops
#: rather than spend minutes retrying every remaining text against a service that is down.
SERVICE_FAILURES_TO_STOP = 3


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
        self._holding_saves = False  # while reusing: nothing is paid for, one save at the end

    # -- applying -------------------------------------------------------------------------
    def apply(self, unit: Unit, outcome: Outcome) -> None:
        """Hand a unit's outcome to every slot waiting for it; fill entries that are complete."""
        if outcome.fresh and outcome.text is not None and self.cache is not None:
            # Cached here, where it is also applied: what the cache holds is what a rerun needs
            # no request for, and the files hold the same (saved every few seconds).
            key = cache_key(self.settings.model, unit.request)
            self.cache.put(key, outcome.text, unit.check_stamp)
        if outcome.text is not None:
            self._fill_slots(unit, outcome.text)
        else:
            for item, _index in unit.waiting:
                if not item.failed:
                    item.failed = True
                    self.fail(item, outcome.reason)
                    self.on_progress(1)
        if self._holding_saves:
            return
        # A save costs a full dump of each changed file (seconds for a 20,000-key YAML file):
        # never spend more than a tenth of the run on them.
        elapsed = time.monotonic() - self._last_save
        if elapsed >= 10 * self._save_cost and (
            elapsed >= self.settings.save_interval or self._unsaved >= SAVE_EVERY
        ):
            self.save()

    def _fill_slots(self, unit: Unit, text: str) -> None:
        """Give ``text`` to every slot waiting for ``unit``; fill the entries it completes."""
        for item, index in unit.waiting:
            item.slots[index] = text
            if not item.failed and None not in item.slots.values():
                self.complete(item)

    def complete(self, item: Pending) -> None:
        """Fill an entry whose every slot has its translation."""
        targets = list(item.entry.targets)
        for i, text in item.slots.items():
            targets[i] = text or ""
        if not self.settings.dry_run:
            try:
                item.target.file.fill(item.entry, targets, review=self.settings.fuzzy)
            except InputError as exc:  # e.g. text the file's charset cannot hold
                self.fail(item, exc.detail)
                self.on_progress(1)
                return
            item.target.dirty = True
            self._unsaved += 1
            self.record_review(item.target, item.entry)
            if self.settings.fuzzy and item.entry.state is State.TRANSLATED:
                self.result.review.append(self._completed(item))
        self.result.filled += 1
        self.on_progress(1)

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

    def fail_undone(self, pending: list[Pending], reason: str) -> None:
        """Count every entry a stopped run did not reach as failed, so the summary adds up."""
        for item in pending:
            if not item.failed and any(v is None for v in item.slots.values()):
                item.failed = True
                self.fail(item, reason)

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
                target.save()
                shown = display_path(target.path, self.settings.project_root)
                if shown not in self.result.written:
                    self.result.written.append(shown)
        self._last_save = time.monotonic()
        self._save_cost = self._last_save - started

    # -- translating ----------------------------------------------------------------------
    def reuse(self, units: Sequence[Unit]) -> list[Unit]:
        """Settle units from the memory (exact approved match) or the cache; return the rest.

        Nothing here costs a request, so nothing is saved until the run saves next: a fully
        cached 20,000-entry file is written once, not every few hundred entries.
        """
        # Per unit, (translation, check stamp) or None: a list, not a dict, of 24,000 of them.
        found: list[tuple[str, str] | None] = [None] * len(units)
        exact = self.memory.exact
        for index, unit in enumerate(units):
            text = exact(unit.memory_key, unit.request.text) if unit.exact_ok else None
            if text is not None:
                found[index] = (text, "")
        if self.cache is not None:
            model = self.settings.model
            asked = [i for i, settled in enumerate(found) if settled is None]
            keys = [cache_key(model, units[i].request) for i in asked]
            answers = self.cache.get_many(keys)
            for index, key in zip(asked, keys, strict=True):
                found[index] = answers.get(key)
            del asked, keys, answers  # found holds what is needed of them
        rest = []
        self._holding_saves = True
        try:
            for index, unit in enumerate(units):
                if verbatim.FLAG in unit.flags:  # a format: its source is copied, never sent
                    self.apply(unit, Outcome(unit.request.text))
                    continue
                text, stamp = found[index] or (None, "")
                # A translation cached with this unit's stamp passed these very checks.
                if text is None or (stamp != unit.check_stamp and unit.problems(text)):
                    rest.append(unit)
                    continue
                self.result.reused += 1
                self._fill_slots(unit, text)
        finally:
            self._holding_saves = False
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
            retry = replace(request, text=masked.text)
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
            # A TextError belongs to this text; any other means the service failed.
            return Outcome(None, str(exc), service_error=not isinstance(exc, TextError))

    def _count_tokens(self, tokens_in: int, tokens_out: int) -> None:
        self.result.input_tokens += tokens_in
        self.result.output_tokens += tokens_out
        price_in, price_out = PRICES.get(self.settings.model, (0.0, 0.0))
        self.result.cost_usd += (tokens_in * price_in + tokens_out * price_out) / 1_000_000

    def _done(self, unit: Unit, text: str, tokens_in: int, tokens_out: int) -> Outcome:
        self._count_tokens(tokens_in, tokens_out)
        return Outcome(text, fresh=True)

    async def translate_batch(self, units: list[Unit]) -> list[Outcome]:
        """Translate several units in one request; every line is verified as a text of its own.

        An answer whose lines do not match up (or a text-bound error) splits the batch in two
        and sends each half again, down to single texts: a merged line among 50 costs a few
        requests, not 50. A line that fails verification goes alone. Each outcome is applied
        as soon as it is known: what was paid for is kept even if the run stops meanwhile.
        """
        if len(units) == 1:
            return [self._settle(units[0], await self.translate(units[0]))]
        assert self.provider is not None
        pieces: list[str] | None = None
        log.debug(
            "translating %d texts in one request into %s", len(units), units[0].request.target_lang
        )
        try:
            answer = await self.provider.translate(batch_request(units))
            self._count_tokens(answer.input_tokens, answer.output_tokens)
            pieces = split_answer(answer.text, len(units))
            why = "its lines did not match up"
        except (AuthError, FatalApiError):
            raise
        except ContentRejected as exc:  # the halves tell which text it is
            why = f"it was rejected ({exc})"
        except TextError as exc:  # one of the texts: the halves tell which
            why = f"it failed ({exc})"
        except ApiError as exc:
            # The service failed after the client's retries: more requests for this batch
            # would not help it. Every text of the batch fails with this reason.
            failed = Outcome(None, str(exc), service_error=True)
            return [self._settle(unit, failed) for unit in units]
        outcomes: list[Outcome] = []
        if pieces is None:
            log.debug("batch of %d split in two and sent again: %s", len(units), why)
            # One half after the other: the batch holds one of the --concurrency slots.
            for half in halves(units):
                outcomes += await self.translate_batch(half)
            return outcomes
        alone = []
        for unit, piece in zip(units, pieces, strict=True):
            if piece and not unit.problems(piece):
                outcomes.append(self._settle(unit, self._done(unit, piece, 0, 0)))
            else:
                alone.append(unit)
        for unit in alone:
            outcomes.append(self._settle(unit, await self.translate(unit)))
        return outcomes

    def _settle(self, unit: Unit, outcome: Outcome) -> Outcome:
        """Apply ``outcome`` to the entries waiting for ``unit`` (and cache it); return it."""
        self.apply(unit, outcome)
        return outcome

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

    async def run(self, batches: list[list[Unit]]) -> None:
        """Translate with at most ``concurrency`` requests in flight; save whatever finishes.

        ``concurrency`` workers take the batches in turn (a task per batch, all waited on
        together, cost a scan of every task per answer: noticeable at thousands of requests).
        """
        queue = iter(batches)

        async def worker() -> None:
            for batch in queue:  # shared: each batch is taken by one worker
                try:
                    outcomes = await self.translate_batch(batch)
                except (AuthError, FatalApiError) as exc:
                    # The request was refused and the run stops: what it carried failed (the
                    # summary and report say so), it was not merely left undone.
                    for unit in batch:
                        # Halves of a split batch may have been answered before the refusal.
                        if any(item.slots[i] is None for item, i in unit.waiting):
                            self.apply(unit, Outcome(None, f"request rejected: {exc}"))
                    raise
                self._watch_service(outcomes)

        count = min(self.settings.concurrency, len(batches))
        workers = [asyncio.create_task(worker()) for _ in range(count)]
        try:
            if workers:
                done, _ = await asyncio.wait(workers, return_when=asyncio.FIRST_EXCEPTION)
                for task in done:
                    task.result()  # an AuthError, FatalApiError... stops the run here
        finally:
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            self.save()

    def dry_run(self, batches: list[list[Unit]], echo: Callable[[str], None]) -> None:
        """Print what would be sent and estimate tokens, cost and time; send and write nothing.

        With -v (debug logging) each text is listed with its glossary terms and memory pairs.
        """
        verbose = log.isEnabledFor(logging.DEBUG)
        quota_tokens = 0
        for batch in batches:
            request = batch_request(batch)
            for line in dryrun.describe(request, batch, verbose):
                echo(line)
            tokens_in = estimate_input_tokens(request, self.settings.model)
            self._count_tokens(tokens_in, round(estimate_tokens(request.text) * 1.3) + 2)
            quota_tokens += tokens_in + estimate_tokens(request.text)  # as the client counts
            self.result.requests += 1
            for unit in batch:
                self.apply(unit, Outcome("(dry run)"))
        echo(dryrun.wall_line(self.result.requests, quota_tokens, self.settings))


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
    )  # the client's own knobs (timeouts, attempts, backoff) keep their defaults
    return QwenClient(client_config)


def fill(
    settings: Settings,
    paths: Sequence[Path | FileSpec],
    *,
    echo: Callable[[str], None],
    progress: ProgressFactory | None = None,
) -> RunResult:
    """Fill the untranslated entries of ``paths``; the whole ``fill`` command but for printing."""
    with (
        gcpause.run_scope(),
        workspace.open(settings, paths, write=not settings.dry_run, translate=True) as opened,
    ):
        return run(opened, echo=echo, progress=progress)


def run(
    opened: Workspace,
    *,
    echo: Callable[[str], None],
    progress: ProgressFactory | None = None,
) -> RunResult:
    """Fill the untranslated entries of an open workspace (see ``fill``)."""
    settings, targets, state = opened.settings, opened.targets, opened.state
    if settings.domains and settings.model == LITE_MODEL and settings.provider == "qwen":
        log.warning("qwen-mt-lite does not support domains: the domains text is not sent")
    with collector_paused():  # builds a few objects per entry, none in a cycle
        memory = load_memory(targets, settings)
        glossary = load_glossary(settings.glossary) if settings.glossary else None
        units, pending = plan(targets, settings, memory, glossary)
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
        with collector_paused():
            for item in pending:
                if None not in item.slots.values():  # reused whole from the memory (plurals...)
                    run.result.reused += 1
                    run.complete(item)
            rest = run.reuse(units)
        run.result.texts = len(units)
        # What the memory and the cache settled is done with: let it go before the file is
        # written (a fully cached 20,000-entry run held 13 MB of plan through its save).
        pending = [item for item in pending if not item.failed and None in item.slots.values()]
        del units
        gcpause.set_aside()  # the files and what is left of the plan live to the end
        # Only now, for the texts that are actually sent: a cache hit needs no memory search.
        add_examples(rest, memory)
        # The pseudo provider sends nothing, so a batch would save nothing (and it brackets a
        # multi-line text as a whole).
        size = 1 if settings.provider == "pseudo" else settings.batch_size
        batches = make_batches(rest, limits(size, rpm=settings.rpm, tpm=settings.tpm))
        if settings.dry_run:
            echo(f"would POST to {describe_endpoint(settings)}")
            run.dry_run(batches, echo)
            return run.result
        display = None
        if progress is not None:
            display = run.on_progress = progress(len(pending), settings)
        assert provider is not None
        try:
            asyncio.run(_translate(run, provider, batches, display))
        except (AuthError, FatalApiError, ServiceFailing) as exc:
            # Stopped partway: what finished is saved, and the report must still say so.
            run.result.stopped = str(exc)
            run.fail_undone(pending, "not translated: the run stopped before it")
            run.result.exit_code = EXIT_INCOMPLETE if run.result.written else exc.exit_code
        return run.result
    finally:
        if cache is not None:
            cache.close()


async def _translate(
    run: Run, provider: Provider, batches: list[list[Unit]], display: Progress | None
) -> None:
    ticker = asyncio.create_task(_tick(display, provider)) if display is not None else None
    try:
        await run.run(batches)
    finally:
        if ticker is not None:
            ticker.cancel()
            await asyncio.gather(ticker, return_exceptions=True)
        if display is not None:
            display.close()
        # What the service saw, retries included (the pseudo provider sends none).
        run.result.requests = provider.usage.requests
        await provider.aclose()


async def _tick(display: Progress, provider: Provider) -> None:
    """Keep the progress display going while nothing finishes, and tell it about quota waits."""
    limiter = getattr(provider, "limiter", None)
    while True:
        await asyncio.sleep(0.5)
        display.tick(isinstance(limiter, RateLimiter) and limiter.waiting > 0)
