"""The API's files for the static snapshot (``python -m export snapshot`` writes them under ``OUT/api/v1/``):
every resource without query parameters, byte for byte the live answer at the same path, so a static host
serves the same addresses; query parameters only filter, live."""
from __future__ import annotations

from pathlib import Path

from .answers import answer
from .resources import PREFIX, RESOURCES
from .state import state


def snapshot_files(countries: list[str] | None = None, folder: Path | None = None) -> dict[str, bytes]:
    """Every resource without query parameters, as ``{"api/v1/...": body}``: the files a static host serves at the
    same paths as the live API. ``countries`` limits the country resources (None: all)."""
    st = state(folder)
    out = {}
    for res in RESOURCES:
        for inst in res.instances(st):
            if res.path_param == "iso3" and countries is not None and inst not in countries:
                continue
            rel = res.path.replace("{" + res.path_param + "}", inst) if res.path_param else res.path
            for ext in ("json", "csv"):
                ans = answer(f"{PREFIX}{rel}.{ext}", [], folder)
                if ans.status != 200:
                    raise RuntimeError(f"{rel}.{ext}: {ans.body.decode()}")
                out[f"{PREFIX.strip('/')}{rel}.{ext}"] = ans.body
    out[f"{PREFIX.strip('/')}/openapi.json"] = answer(f"{PREFIX}/openapi.json", [], folder).body
    return out
