"""Every error a user can see, and the exit code each one means.

The tree::

    L10nError                 exit 2 unless a subclass says otherwise
    ├── UsageError            bad options or option combinations
    ├── ConfigError           bad config file, missing API key, unknown language
    ├── InputError            a locale file that cannot be read (file, line, column)
    ├── WriteError            a file that could not be written (disk full, too large): exit 1
    └── ApiError              the Qwen-MT service answered with an error (status, code, request id)
        ├── AuthError         401/403: stop at once, keys are per region
        ├── FatalApiError     404 model, 400 bad parameter: every further request is pointless
        ├── ServiceFailing    5xx/timeouts outlasting the retries, text after text: stop (exit 1)
        ├── ContentRejected   400 DataInspectionFailed: skip that text, go on
        ├── TransientApiError 408/429/5xx, timeouts, broken connections and answers: retried;
        │                     raised once the retries are spent (a service error, not the text's)
        └── TextError         this one text cannot go as it is: a batch meeting it is split
            ├── TextTooLong   over the input token limit with its terms and examples
            └── OutputCut     the answer stopped at the output token limit, even with more room

The client raises them and the pipeline tells them apart by type alone; ``code`` is the
service's own code, kept for the message.

Library errors (polib, ruamel, json, httpx) are wrapped where they happen (``raise InputError(...)
from exc``); ``cli.main`` is the one boundary that turns these into messages and exit codes.
"""

from __future__ import annotations

import errno
from pathlib import Path

EXIT_OK = 0
EXIT_INCOMPLETE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class L10nError(Exception):
    """Base of every error meant for the user; ``str(err)`` is the message to print."""

    exit_code = EXIT_USAGE


class UsageError(L10nError):
    """The command line asks for something that cannot be done."""


class ConfigError(L10nError):
    """The configuration (file, environment, options) is wrong or incomplete."""


class InputError(L10nError):
    """A locale file (or glossary, TM) that cannot be used; names the file and where."""

    def __init__(
        self, path: Path | str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.column = column
        self.detail = message
        where = str(path)
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")


class WriteError(L10nError):
    """A file could not be written (disk full, file-size limit, read-only); it is as it was."""

    exit_code = EXIT_INCOMPLETE

    def __init__(self, path: Path | str, exc: OSError) -> None:
        self.path = Path(path)
        reason = exc.strerror or str(exc) or type(exc).__name__
        name = errno.errorcode.get(exc.errno) if exc.errno is not None else None
        code = f" ({name})" if name else ""
        super().__init__(f"{path}: cannot write: {reason}{code}; the file is unchanged")


class ApiError(L10nError):
    """An error answer from Qwen-MT (after retries, where retrying made sense)."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.request_id = request_id
        self.detail = message
        parts = [f"HTTP {status}" if status is not None else "no response"]
        if code:
            parts.append(code)
        text = f"Qwen-MT error ({', '.join(parts)}): {message}"
        if request_id:
            text += f" [request id {request_id}]"
        super().__init__(text)


class AuthError(ApiError):
    """401/403: the key is wrong, for another region, or the account cannot use the model."""


class FatalApiError(ApiError):
    """An API error that makes every further request pointless (404 model, 400 bad parameter)."""


class ServiceFailing(ApiError):
    """The service failed text after text even with retries: stop, keeping what is done."""

    exit_code = EXIT_INCOMPLETE


class ContentRejected(ApiError):
    """The service's content inspection refused this text; the run goes on without it."""


class TransientApiError(ApiError):
    """A failure that trying again can cure (429, 5xx, a timeout, a garbled answer)."""

    #: The wait the service asked for (``Retry-After``), if it did.
    retry_after: float | None = None


class TextError(ApiError):
    """This text cannot be translated as it is; other texts can (split the batch, go on)."""


class TextTooLong(TextError):
    """The text with its terms, examples and domains is over Qwen-MT's input limit."""


class OutputCut(TextError):
    """The translation was cut at the output token limit (``finish_reason`` length)."""
