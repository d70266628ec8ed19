"""Operator-supplied files are refused or parsed safely: a 50 MB deployment file is refused by its
size before any byte is read; openpyxl parses workbooks (an operator's SIPRI workbook) through defusedxml."""
from __future__ import annotations

import builtins
import io
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from loaders import DATA_DIR, deployments
from loaders.budget import open_workbook
from loaders.sources import load_sources

FIXTURES = Path(__file__).parent / "fixtures" / "places"


def _data_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    (data / "deployments").mkdir(parents=True)
    shutil.copy(DATA_DIR / "sources.yaml", data / "sources.yaml")
    shutil.copy(FIXTURES / "geocode_cache.csv", data / "geocode_cache.csv")
    return data


def _no_reading(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"the file was opened for reading: {args[:1]}")
    monkeypatch.setattr(Path, "read_bytes", refuse)
    monkeypatch.setattr(Path, "read_text", refuse)
    monkeypatch.setattr(Path, "open", refuse)
    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(io, "open", refuse)


def test_a_50_mb_deployment_file_is_refused_unread(tmp_path, monkeypatch):
    data = _data_dir(tmp_path)
    big = data / "deployments" / "huge.yaml"
    with big.open("wb") as f:  # sparse: 50 MB on paper, nothing on disk
        f.truncate(50 * 1024 * 1024)
    assert big.stat().st_size == 50 * 1024 * 1024
    _no_reading(monkeypatch)
    doc, problems = deployments.load_file(big, data, {})
    assert doc is None
    assert [str(p) for p in problems] == [f"deployments/huge.yaml: file is larger than {deployments.MAX_BYTES} bytes"]


def test_a_file_just_over_the_limit_is_refused_and_one_at_it_is_read(tmp_path):
    data = _data_dir(tmp_path)
    good = (FIXTURES / "deployments_good" / "html-name.yaml").read_bytes()
    at_limit = data / "deployments" / "html-name.yaml"
    at_limit.write_bytes(good + b"#" * (deployments.MAX_BYTES - len(good)))
    assert at_limit.stat().st_size == deployments.MAX_BYTES
    doc, problems = deployments.load_file(at_limit, data, load_sources(data))
    assert problems == [] and doc["id"] == "html-name"
    over = data / "deployments" / "over.yaml"
    over.write_bytes(b"#" * (deployments.MAX_BYTES + 1))
    doc, problems = deployments.load_file(over, data, {})
    assert doc is None and [str(p) for p in problems] == [
        f"deployments/over.yaml: file is larger than {deployments.MAX_BYTES} bytes"]


def test_a_fifo_named_yaml_is_refused_without_blocking(tmp_path):
    data = _data_dir(tmp_path)
    fifo = data / "deployments" / "pipe.yaml"
    os.mkfifo(fifo)

    def unblock():  # should a reader open it (the old code did), give it an end of file instead of a hang
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
                return
            except OSError:
                time.sleep(0.05)

    threading.Thread(target=unblock, daemon=True).start()
    doc, problems = deployments.load_file(fifo, data, {})  # reading a FIFO with no writer would block forever
    assert doc is None and [str(p) for p in problems] == ["deployments/pipe.yaml: not a regular file"]


def test_openpyxl_parses_workbooks_safely():
    """openpyxl reads sheets with defusedxml's iterparse, and workbook parts with defusedxml or, where lxml is
    installed (feedgen needs it), lxml with entities unresolved: either way no external entity is read and an
    entity bomb is refused."""
    import defusedxml  # noqa: F401  (requirements.txt)
    import openpyxl.xml
    from openpyxl.worksheet import _reader
    from openpyxl.xml import functions

    assert openpyxl.xml.DEFUSEDXML is True
    assert _reader.iterparse.__module__.startswith("defusedxml")
    xxe = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    try:
        assert "root:" not in (functions.fromstring(xxe).text or "")
    except Exception as exc:  # defusedxml refuses the declaration outright
        assert "Entit" in type(exc).__name__ or "entit" in str(exc).lower(), exc
    levels = "".join(f'<!ENTITY {b} "{("&" + a + ";") * 10}">' for a, b in zip("abcdefg", "bcdefgh"))
    bomb = f'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">{levels}]><l>&h;</l>'.encode()
    with pytest.raises(Exception) as refused:
        functions.fromstring(bomb)
    assert "entit" in (type(refused.value).__name__ + str(refused.value)).lower()


def test_a_workbook_with_an_entity_bomb_is_refused(tmp_path):
    """A workbook whose sheet declares entities (billion laughs) is refused by defusedxml, named as unreadable."""
    import zipfile

    from openpyxl import Workbook

    from loaders.schema import DataError

    path = tmp_path / "sipri.xlsx"
    wb = Workbook()
    wb.active.title = "Data"
    wb.active["A1"] = "x"
    wb.save(path)
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;">]>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
            '<c r="A1" t="inlineStr"><is><t>&lol1;</t></is></c></row></sheetData></worksheet>')
    evil = tmp_path / "evil.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(evil, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, bomb if item.filename == "xl/worksheets/sheet1.xml" else src.read(item.filename))
    assert open_workbook(path, ["Data"])["Data"].rows[0][0] == "x"  # the untouched workbook reads
    with pytest.raises(DataError, match="evil.xlsx: not a readable .xlsx workbook") as err:
        open_workbook(evil, ["Data"])
    causes, exc = [], err.value
    while exc is not None:
        causes.append(type(exc).__name__)
        exc = exc.__cause__ or exc.__context__
    assert "EntitiesForbidden" in causes, causes  # without defusedxml the entity is expanded ("lollollollol")
