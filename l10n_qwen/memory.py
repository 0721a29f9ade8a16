"""Translation memory: approved (source, target) pairs per language.

Fed by the approved and hand-made entries of the files in the run (and ``--tm`` files). An exact
match is reused without a request; the most similar pairs go to Qwen-MT as ``tm_list`` so the
model keeps the project's wording.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from l10n_qwen.catalog import Entry, State

#: How many similar pairs go with one request, and how alike they must be (0-100). Each pair
#: costs input tokens on every request, so only close ones are worth sending.
TM_PAIRS = 3
TM_MIN_SCORE = 70.0
TM_MAX_SOURCE = 500  # longer texts make poor examples and cost many tokens


def is_whole(entry: Entry) -> bool:
    """Whether ``entry`` is reused whole, as a message, rather than by its text: PO entries with
    plural forms or a msgctxt (the context is why the text may need another translation)."""
    return len(entry.sources) > 1 or entry.context is not None


class Memory:
    """Approved pairs by Qwen-MT language name."""

    def __init__(self) -> None:
        self._pairs: dict[str, dict[str, str]] = defaultdict(dict)
        self._exact: dict[str, dict[str, str]] = defaultdict(dict)
        # Per language, the sources worth offering as examples; built once, not per lookup
        # (a 20,000-entry catalog asks thousands of times).
        self._candidates: dict[str, list[str]] = {}
        # Approved plural entries, whole: (msgctxt + msgid, the source of each form) -> forms.
        self._wholes: dict[str, dict[tuple[str, tuple[str, ...]], tuple[str, ...]]] = defaultdict(
            dict
        )

    def add(self, language: str, source: str, target: str, *, exact: bool = True) -> None:
        """Remember one approved pair (the first one seen for a source wins).

        ``exact=False`` pairs (from entries with a msgctxt) only serve as examples: the context
        exists because the same text needs another translation elsewhere.
        """
        if source and target:
            self._candidates.pop(language, None)
            self._pairs[language].setdefault(source, target)
            if exact:
                self._exact[language].setdefault(source, target)

    def add_entries(self, language: str, entries: Iterable[Entry]) -> None:
        """Remember the approved entries of a file: single forms as pairs, plurals whole."""
        for entry in entries:
            if entry.state is not State.TRANSLATED:
                continue
            if len(entry.sources) == 1:
                # Context and plural-form entries only serve as examples (see planning.Unit)...
                exact = entry.context is None and not any(entry.hints)
                self.add(language, entry.sources[0], entry.targets[0], exact=exact)
            self.add_whole(language, entry)  # ...and whole, for the very same message

    def add_whole(self, language: str, entry: Entry) -> None:
        """Remember an approved PO entry with a msgctxt or plural forms whole, to be reused for
        the very same message.

        Its key is the msgctxt and msgid (``entry.key``) and the source of each form, which
        holds the msgid_plural and the number of forms: a form is only ever reused as the same
        form of the same message in a language with as many forms.
        """
        if is_whole(entry) and all(entry.targets):
            self._wholes[language].setdefault((entry.key, entry.sources), tuple(entry.targets))

    def whole(self, language: str, entry: Entry) -> tuple[str, ...] | None:
        """The approved forms of the same message: msgctxt, msgid, msgid_plural, form count."""
        return self._wholes.get(language, {}).get((entry.key, entry.sources))

    def exact(self, language: str, source: str) -> str | None:
        """The approved translation of exactly ``source``, if there is one."""
        return self._exact.get(language, {}).get(source)

    def similar(self, language: str, source: str) -> tuple[tuple[str, str], ...]:
        """Up to ``TM_PAIRS`` approved pairs whose source is close to ``source``."""
        pairs = self._pairs.get(language)
        if not pairs:
            return ()
        candidates = self._candidates.get(language)
        if candidates is None:
            candidates = [s for s in pairs if len(s) <= TM_MAX_SOURCE]
            self._candidates[language] = candidates
        # One more than needed: the text itself may be among them (it is no example of itself).
        found = process.extract(
            source, candidates, scorer=fuzz.ratio, limit=TM_PAIRS + 1, score_cutoff=TM_MIN_SCORE
        )
        similar = [match for match, _score, _index in found if match != source][:TM_PAIRS]
        return tuple((match, pairs[match]) for match in similar)
