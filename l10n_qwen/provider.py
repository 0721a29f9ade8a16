"""What a translation provider (the Qwen-MT client, the pseudo provider) takes and returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class TranslationRequest:
    """One text to translate, with everything Qwen-MT's ``translation_options`` carries.

    ``source_lang``/``target_lang`` are Qwen-MT language names ("English", "German"; source may
    be "auto"). ``terms`` and ``tm_list`` are (source, target) pairs.
    """

    text: str
    source_lang: str
    target_lang: str
    terms: tuple[tuple[str, str], ...] = ()
    tm_list: tuple[tuple[str, str], ...] = ()
    domains: str | None = None


@dataclass(frozen=True)
class Translation:
    """The model's answer to one request."""

    text: str
    input_tokens: int = 0
    output_tokens: int = 0
    request_id: str | None = None


@dataclass
class Usage:
    """Running totals of a provider, for the summary line and the report."""

    requests: int = 0  # HTTP requests sent, retries included
    input_tokens: int = 0
    output_tokens: int = 0
    retries: int = 0
    by_status: dict[int, int] = field(default_factory=dict)


class Provider(Protocol):
    """An asynchronous translator."""

    usage: Usage

    async def translate(self, request: TranslationRequest) -> Translation:
        """Translate one text; raises ``ApiError`` (or a subclass) when it cannot."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...
