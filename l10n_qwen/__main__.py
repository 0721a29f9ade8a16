"""`python -m l10n_qwen` runs the command-line tool."""

from __future__ import annotations

from l10n_qwen.cli import main

if __name__ == "__main__":
    main()
