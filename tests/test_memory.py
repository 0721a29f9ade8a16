from __future__ import annotations

from l10n_qwen.catalog import Entry, State
from l10n_qwen.memory import Memory


def entry(source: str, target: str, state: State = State.TRANSLATED) -> Entry:
    return Entry(key=source, sources=(source,), targets=[target], state=state)


def test_only_approved_single_form_entries_are_remembered() -> None:
    memory = Memory()
    memory.add_entries(
        "German",
        [
            entry("Save", "Speichern"),
            entry("Cancel", "Abbrechen", State.FUZZY),
            entry("Quit", "", State.UNTRANSLATED),
            Entry("f", ("%d file", "%d files"), ["%d Datei", "%d Dateien"], State.TRANSLATED),
        ],
    )
    assert memory.exact("German", "Save") == "Speichern"
    assert memory.exact("German", "Cancel") is None
    assert memory.exact("German", "%d file") is None
    assert memory.exact("French", "Save") is None


def test_similar_returns_close_pairs_only() -> None:
    memory = Memory()
    for source, target in [
        ("Save the file", "Datei speichern"),
        ("Save the files", "Dateien speichern"),
        ("Delete account", "Konto löschen"),
    ]:
        memory.add("German", source, target)
    pairs = memory.similar("German", "Save the file now")
    assert ("Save the file", "Datei speichern") in pairs
    assert all(source != "Delete account" for source, _ in pairs)
    assert memory.similar("German", "Save the file") == (("Save the files", "Dateien speichern"),)
    assert memory.similar("Japanese", "Save") == ()


def test_plural_and_context_entries_are_remembered_whole_for_the_same_message() -> None:
    memory = Memory()
    plural = Entry("%d file", ("%d file", "%d files"), ["%d Datei", "%d Dateien"], State.TRANSLATED)
    menu = Entry("menu\x04Open", ("Open",), ["Öffnen"], State.TRANSLATED, context="menu")
    memory.add_entries("German", [plural, menu])
    assert memory.whole("German", plural) == ("%d Datei", "%d Dateien")
    assert memory.whole("German", menu) == ("Öffnen",)
    # Another msgid_plural, another form count, another context: another message.
    other_plural = Entry("%d file", ("%d file", "%d files!"), ["", ""], State.UNTRANSLATED)
    three_forms = Entry(
        "%d file", ("%d file", "%d files", "%d files"), ["", "", ""], State.UNTRANSLATED
    )
    other_context = Entry("tab\x04Open", ("Open",), [""], State.UNTRANSLATED, context="tab")
    assert memory.whole("German", other_plural) is None
    assert memory.whole("German", three_forms) is None
    assert memory.whole("German", other_context) is None
    assert memory.exact("German", "Open") is None  # the context keeps the text from plain reuse
