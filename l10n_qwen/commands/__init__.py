"""One module per command (as pre-commit's ``commands/``): each function does the whole command
after its options are read, prints what it has to say, and returns the exit code.

``cli.py`` parses the options, calls one of them and maps the code it returns (and every error
it raises) to the process exit; nothing here or below calls ``sys.exit``.
"""

from l10n_qwen.commands import approve, check, fill, languages, review, sync

__all__ = ["approve", "check", "fill", "languages", "review", "sync"]
