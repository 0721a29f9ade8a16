"""What l10n-qwen itself costs on a large file: parsing, writing, and a whole offline run.

    python benchmarks/file_overhead.py [--entries 20000] [--yaml-entries 5000] [--repeat 3]

A generated PO file (singular, plural, c-format and multi-line entries, comments and references;
90% translated) is read and written by polib alone, then by ``l10n_qwen.formats.po`` unchanged
and with the missing 10% filled, then run through ``l10n-qwen fill --provider pseudo`` (the whole
command, interpreter start-up included). The same for a nested JSON and a Rails YAML file with a
source file of as many keys (YAML: 5,000 by default, as ruamel takes ~6 s for a 20,000-key
round trip). Library timings are the best of ``--repeat`` runs (``time.perf_counter``); whole
commands run ``--cli-repeat`` times (default once, they take seconds each).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polib
from _common import cli, machine, make_project, po_quote, run_cli, table, text
from ruamel.yaml import YAML

from l10n_qwen.catalog import LoadOptions, LocaleFile, State
from l10n_qwen.formats import json as json_format
from l10n_qwen.formats import po as po_format
from l10n_qwen.formats import yaml as yaml_format
from l10n_qwen.memory import Memory
from l10n_qwen.pseudo import pseudo_localize

Row = list[object]


def best(repeat: int, func: Callable[[], object]) -> float:
    """The shortest of ``repeat`` timings of ``func()``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def po_entry(i: int, blank: bool = False) -> str:
    """Entry ``i`` of the generated PO file: every 10th untranslated (all of them: ``blank``)."""
    done = i % 10 != 3 and not blank
    head = f"#. Shown in the {text(i).split()[2]} dialog\n#: src/view{i % 97}.c:{i}\n"
    kind = (i + i // 10) % 10  # so the missing tenth has every kind too
    if kind in (1, 6):  # plural, c-format
        one, many = f"{text(i)}: %d item", f"{text(i)}: %d items"
        forms = (f"[de] {one}", f"[de] {many}") if done else ("", "")
        return (
            f'{head}#, c-format\nmsgid "{one}"\nmsgid_plural "{many}"\n'
            f'msgstr[0] "{forms[0]}"\nmsgstr[1] "{forms[1]}"\n\n'
        )
    if kind in (2, 7):  # c-format
        source = f"{text(i)}: %s of %d done"
        target = f"[de] {source}" if done else ""
        return f'{head}#, c-format\nmsgid "{source}"\nmsgstr "{target}"\n\n'
    if kind == 4:  # multi-line, wrapped as xgettext does
        lines = [f"{text(i)} first line.\\n", f"{text(i + 1)} second line.\\n", "Third line."]
        source = "".join(f'"{line}"\n' for line in lines)
        target = "".join(f'"[de] {line}"\n' for line in lines) if done else '""\n'
        return f'{head}msgid ""\n{source}msgstr ""\n{target}\n'
    source = po_quote(text(i))
    target = f"[de] {source}" if done else ""
    return f'{head}msgid "{source}"\nmsgstr "{target}"\n\n'


def write_po(path: Path, entries: int, blank: bool = False) -> None:
    header = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: de\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
    )
    body = "".join(po_entry(i, blank) for i in range(entries))
    path.write_text(header + body, encoding="utf-8")


def nested(entries: int, translated: bool) -> dict[str, dict[str, str]]:
    """``entries`` keys in sections of 100; a translation leaves every 10th key out."""
    tree: dict[str, dict[str, str]] = {}
    for i in range(entries):
        if translated and i % 10 == 3:
            continue
        value = f"[de] {text(i)}" if translated else text(i)
        tree.setdefault(f"section{i // 100}", {})[f"key{i}"] = value
    return tree


def fill_missing(locale_file: LocaleFile) -> int:
    """Fill every untranslated entry with its pseudo-localization, as a run would."""
    count = 0
    for entry in locale_file.entries():
        if entry.state is State.UNTRANSLATED:
            locale_file.fill(entry, [pseudo_localize(s) for s in entry.sources], review=True)
            count += 1
    return count


def library_rows(
    label: str, load: Callable[[], LocaleFile], baseline: Callable[[], object], n: int
) -> list[Row]:
    base = best(n, baseline)
    unchanged = best(n, lambda: load().dumps())
    filled = best(n, lambda: (fill_missing(f := load()), f.dumps()))
    entries = len(load().entries())
    return [
        [label, "library baseline (parse + write)", entries, round(base, 3), 1.0],
        [
            label,
            "l10n-qwen load + dumps, unchanged",
            entries,
            round(unchanged, 3),
            unchanged / base,
        ],
        [label, "l10n-qwen load + fill 10% + dumps", entries, round(filled, 3), filled / base],
    ]


def memory_row(label: str, load: Callable[[], LocaleFile]) -> Row:
    """The translation-memory lookup ``plan`` does for every text that needs a request."""
    locale_file = load()
    memory = Memory()
    memory.add_entries("German", locale_file.entries())
    missing = [e.sources[0] for e in locale_file.entries() if e.state is State.UNTRANSLATED]

    def lookups() -> None:
        for source in missing:
            memory.similar("German", source)

    seconds = best(1, lookups)
    return [
        label,
        f"Memory.similar for the {len(missing)} missing texts",
        "",
        round(seconds, 3),
        "",
    ]


def cli_rows(label: str, project: Path, name: str, pristine: Path, n: int) -> list[Row]:
    rows = []
    for extra in ([], ["--no-cache"]):
        times = []
        for _ in range(n):
            shutil.copyfile(pristine, project / name)
            shutil.rmtree(project / ".l10n-qwen", ignore_errors=True)
            result = run_cli(project, ["fill", "--provider", "pseudo", *extra, name])
            times.append(result.seconds)
        what = " ".join(["fill --provider pseudo", *extra])
        rows.append([label, f"whole command: {what}", result.filled, round(min(times), 3), ""])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--yaml-entries", type=int, default=5_000, help="0: skip YAML")
    parser.add_argument("--repeat", type=int, default=3, help="library timings: best of")
    parser.add_argument("--cli-repeat", type=int, default=1, help="whole commands: best of")
    args = parser.parse_args()
    n, count, cli_n = args.repeat, args.entries, args.cli_repeat
    options = LoadOptions()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="l10n-bench-") as tmp:
        project = make_project(Path(tmp) / "project")
        pristine = Path(tmp) / "pristine"
        pristine.mkdir()
        startup = best(n, lambda: run_cli(project, ["--version"]))
        rows.append(["-", f"`{Path(cli()).name} --version` (start-up)", "", round(startup, 3), ""])

        po_path = project / "de.po"
        write_po(pristine / "de.po", count)
        shutil.copyfile(pristine / "de.po", po_path)
        out = Path(tmp) / "polib-out.po"

        def polib_parse() -> None:
            polib.pofile(str(po_path))

        rows += library_rows(
            "PO",
            lambda: po_format.load(po_path, options),
            lambda: polib.pofile(str(po_path)).save(str(out)),
            n,
        )
        rows.append(["PO", "polib.pofile() alone", count, round(best(n, polib_parse), 3), ""])
        rows.append(memory_row("PO", lambda: po_format.load(po_path, options)))
        rows += cli_rows("PO", project, "de.po", pristine / "de.po", cli_n)

        en_json, de_json = project / "en.json", project / "de.json"
        en_json.write_text(json.dumps(nested(count, False), indent=2), encoding="utf-8")
        (pristine / "de.json").write_text(
            json.dumps(nested(count, True), indent=2), encoding="utf-8"
        )
        shutil.copyfile(pristine / "de.json", de_json)

        def json_baseline() -> None:
            for path in (en_json, de_json):
                json.dumps(json.loads(path.read_text(encoding="utf-8")), indent=2)

        rows += library_rows("JSON", lambda: json_format.load(de_json, options), json_baseline, n)
        rows += cli_rows("JSON", project, "de.json", pristine / "de.json", cli_n)

        if args.yaml_entries > 0:
            ycount = args.yaml_entries
            en_yml, de_yml = project / "en.yml", project / "de.yml"
            yaml = YAML()
            with en_yml.open("w", encoding="utf-8") as stream:
                yaml.dump({"en": nested(ycount, False)}, stream)
            with (pristine / "de.yml").open("w", encoding="utf-8") as stream:
                yaml.dump({"de": nested(ycount, True)}, stream)
            shutil.copyfile(pristine / "de.yml", de_yml)

            def yaml_baseline() -> None:
                for path in (en_yml, de_yml):
                    with path.open(encoding="utf-8") as stream:
                        data = yaml.load(stream)
                    with out.open("w", encoding="utf-8") as stream:
                        yaml.dump(data, stream)

            rows += library_rows(
                "YAML", lambda: yaml_format.load(de_yml, options), yaml_baseline, n
            )
            rows += cli_rows("YAML", project, "de.yml", pristine / "de.yml", cli_n)

    print(
        f"\nfile overhead: library timings best of {n}, whole commands of {cli_n} ({machine()})\n"
    )
    formatted = [[*r[:4], f"{r[4]:.2f}x" if isinstance(r[4], float) else r[4]] for r in rows]
    print(table(["file", "what", "entries", "seconds", "vs baseline"], formatted))
    print(
        "\nbaselines: PO polib.pofile() + save(); JSON json.loads + json.dumps of source and"
        "\ntarget; YAML ruamel round-trip load + dump of source and target. JSON/YAML load"
        "\nreads the target and its en source file."
    )


if __name__ == "__main__":
    main()
