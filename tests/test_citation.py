"""CITATION.cff is a valid Citation File Format 1.2.0 file: checked against the schema `cffconvert --validate` uses
(tests/fixtures/cff/README.md says why the schema is checked directly rather than by running cffconvert)."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "tests" / "fixtures" / "cff" / "schema-1.2.0.json").read_text(encoding="utf-8"))


def _load(text: str) -> dict:
    # CFF is YAML 1.2; a date-like value must stay text for the schema (cffconvert reads it the same way)
    return json.loads(json.dumps(yaml.safe_load(text), default=str))


def test_citation_cff_is_valid():
    doc = _load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(doc)
    assert doc["cff-version"] == "1.2.0" and doc["license"] == "MIT"
    assert "data version" in doc["message"]  # a citation names the data version shown in every export


def test_schema_refuses_a_broken_file():
    errors = list(jsonschema.Draft7Validator(SCHEMA).iter_errors(_load("cff-version: 1.2.0\ntitle: x\n")))
    assert {e.message for e in errors} >= {"'message' is a required property", "'authors' is a required property"}
