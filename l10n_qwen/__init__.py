"""l10n-qwen: fill missing translations in locale files with Alibaba Cloud's Qwen-MT."""

from __future__ import annotations

__version__ = "0.1.0"
