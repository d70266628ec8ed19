"""A small data folder with deployment records, for the tests of the record format's rules: the real
sources.yaml (plus any extra source blocks), the place fixtures' geocode cache and the records given."""
from __future__ import annotations

import shutil
from pathlib import Path

from loaders import DATA_DIR

FIXTURES = Path(__file__).parent / "fixtures" / "places"

# The first ten lines of the test records: a decision of Peru's Congress. Each test file goes on with the vote,
# the figures and the sources its rules need; the line numbers its expected problems name count from here.
DECISION_HEAD = """\
id: x
name: Test decision
kind: decision
status: authorised
iso3: PER
start: 2023-05-19
date_precision: day
decision:
  type: authorisation
  body: Congress of Peru
"""


def write_data(tmp_path: Path, records: dict[str, str], sources_extra: str = "") -> Path:
    """``tmp_path/data`` holding ``records`` (id -> YAML text) as ``deployments/<id>.yaml``."""
    data = tmp_path / "data"
    (data / "deployments").mkdir(parents=True)
    (data / "sources.yaml").write_text((DATA_DIR / "sources.yaml").read_text(encoding="utf-8") + sources_extra,
                                       encoding="utf-8")
    shutil.copy(FIXTURES / "geocode_cache.csv", data / "geocode_cache.csv")
    for rid, text in records.items():
        (data / "deployments" / f"{rid}.yaml").write_text(text, encoding="utf-8")
    return data


def source_block(source_id: str, accessed: str, **more: str) -> str:
    """A sources.yaml entry with placeholder title, producer, address, licence and citation, then ``more`` fields
    in the order given."""
    lines = [f"{source_id}:", "  title: T", "  producer: P", "  url: https://example.org/", f"  accessed: {accessed}",
             "  licence: L", "  citation: C", "  caveats: none"] + [f"  {k}: {v}" for k, v in more.items()]
    return "\n" + "\n".join(lines) + "\n"


def cite_instead(record: str, source_id: str) -> str:
    """``record`` with its first cited source (whitney_2023) replaced by ``source_id``."""
    return record.replace("sources:\n  - source_id: whitney_2023", f"sources:\n  - source_id: {source_id}")
