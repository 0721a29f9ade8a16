"""Sample counts for plural rules, and the few telling examples of each form.

Both plural services use them: ``gettext_plurals`` for a PO ``Plural-Forms`` expression,
``formats.plurals`` for CLDR's categories.

>>> examples_of(lambda n: "one" if n == 1 else "other", range(10))
{'other': [0, 2, 3, 4, 5, 6], 'one': [1]}
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from decimal import Decimal
from typing import TypeVar

#: Counts tried first, so that the few examples of a form show what sets it apart (the teens,
#: 21/22/25, the hundreds) rather than just its smallest members; then 0..1000 in order.
TELLING = (1, 2, 3, 5, 0, 11, 12, 21, 22, 25, 4, 6, 7, 10, 13, 14, 15, 20, 23, 100, 101, 102)
COUNTS = tuple(dict.fromkeys((*TELLING, *range(1001), 1_000_000)))
#: For CLDR categories that no whole number falls in (Russian and Polish ``other``).
FRACTIONS = (Decimal("0.5"), Decimal("1.5"), Decimal("2.5"))
#: Where a form used for one number only shows itself (French ``many`` is 1,000,000 and more
#: millions: several large counts keep it from looking like a one-number form).
PROBES = (*range(1001), 1_000_000, 1_000_001, 2_000_000, 1_000_000_000)
EXAMPLES = 6

Number = TypeVar("Number", int, Decimal)


def examples_of(
    form_of: Callable[[Number], Hashable], counts: Iterable[Number]
) -> dict[Hashable, list[Number]]:
    """Up to six telling counts per form, in numeric order."""
    found: dict[Hashable, list[Number]] = {}
    for n in counts:
        members = found.setdefault(form_of(n), [])
        if len(members) < EXAMPLES:
            members.append(n)
    return {form: sorted(members) for form, members in found.items()}


def listed(numbers: Iterable[object]) -> str:
    return ", ".join(str(n) for n in numbers)
