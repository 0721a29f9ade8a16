"""The plural categories a JSON/YAML target gets: its language's CLDR rules, from Babel.

>>> rules_for("ru", "suffix").cardinal
('one', 'few', 'many', 'other')
>>> rules_for("ja", "subkeys").cardinal
('other',)
"""

from __future__ import annotations

from l10n_qwen.formats.tree import CATEGORIES, PluralStyle, Rules
from l10n_qwen.languages import babel_locale, plural_categories


def rules_for(locale: str | None, style: PluralStyle) -> Rules:
    """Cardinal and ordinal categories for ``locale``; without a locale the source's are kept."""
    if locale is None:
        return Rules((), (), style)
    ordinal_tags = set(babel_locale(locale).ordinal_form.tags) | {"other"}
    ordinal = tuple(c for c in CATEGORIES if c in ordinal_tags)
    return Rules(plural_categories(locale), ordinal, style)
