"""Print pip constraints pinning every direct dependency (runtime and the test extra) to the
lowest release its range in pyproject.toml allows, so CI can run the suite at that end too."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import tomllib

project = tomllib.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))["project"]
for requirement in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
    spec, _, marker = requirement.partition(";")
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*>=\s*([^,\s]+).*", spec)
    if match is None:
        sys.exit(f"no lower bound in {requirement!r}: every dependency needs one")
    line = f"{match[1]}=={match[2]}"
    print(f"{line}; {marker.strip()}" if marker else line)
