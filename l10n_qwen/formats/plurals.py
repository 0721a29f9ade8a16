"""The plural categories a JSON/YAML target gets: its language's CLDR rules, from Babel.

>>> rules_for("ru", "suffix").cardinal
('one', 'few', 'many', 'other')
>>> rules_for("ja", "subkeys").cardinal
('other',)
"""

from __future__ import annotations

import babel

from l10n_qwen.errors import L10nError
from l10n_qwen.formats.tree import CATEGORIES, PluralStyle, Rules
from l10n_qwen.languages import babel_locale


def _ordered(tags: set[str]) -> tuple[str, ...]:
    return tuple(c for c in CATEGORIES if c in tags | {"other"})


def rules_for(locale: str | None, style: PluralStyle) -> Rules:
    """Cardinal and ordinal categories for ``locale``; without known rules the source's are kept.

    A language Qwen-MT lacks (``ga``) still gets Babel's rules, so ``check`` works on its files.
    """
    if locale is None:
        return Rules((), (), style)
    try:
        rules = babel_locale(locale)
    except L10nError:
        try:
            rules = babel.Locale.parse(locale.replace("-", "_"))
        except (ValueError, babel.UnknownLocaleError):
            return Rules((), (), style)
    return Rules(
        _ordered(set(rules.plural_form.tags)), _ordered(set(rules.ordinal_form.tags)), style
    )
