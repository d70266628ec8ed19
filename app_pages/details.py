"""Detail panels for one named deployment or one exercise: facts, detachments and sources, all escaped."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import data, ui


def _val(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and pd.isna(v):
        return ""
    if not isinstance(v, (list, dict, str)) and pd.isna(v):
        return ""
    return str(v)


def _dates(start, end, precision: str) -> str:
    fmt = {"day": "%d %b %Y", "month": "%b %Y", "year": "%Y"}.get(precision or "day", "%d %b %Y")
    s = start.strftime(fmt) if pd.notna(start) else "date not reported"
    return s + (f" to {end.strftime('%d %b %Y')}" if pd.notna(end) else "")


def deployment_details(d: pd.Series) -> None:
    """One bordered panel: heading, facts and summary as one Markdown block, the detachments as a table with
    their CSV, then other claims and sources as one more Markdown block (few elements: less work per run on the
    server and less to draw in the browser)."""
    with st.container(border=True):
        facts = [("Kind", f"{_val(d['kind'])} ({_val(d['status'])})"),
                 ("Where", data.entity(_val(d["iso3"]))[0] if _val(d["iso3"]) else ""),
                 ("When", _dates(d["start"], d["end"], _val(d["date_precision"]))),
                 ("Organiser", _val(d.get("organiser"))),
                 ("Services", _val(d.get("services"))),
                 ("Personnel (largest reported)",
                  f"{int(d['personnel_max']):,}, attributed to {_val(d.get('personnel_attributed_to'))}"
                  if pd.notna(d["personnel_max"]) else "not reported"),
                 ("Purpose", (_val(d.get("purpose")) + (f" (attributed to {_val(d.get('purpose_attributed_to'))})"
                                                        if _val(d.get("purpose_attributed_to")) else ""))
                  if _val(d.get("purpose")) else "")]
        parts = [f"### {ui.md(d['name'])}", "\n".join(f"- **{k}**: {ui.md(v)}" for k, v in facts if v)]
        if _val(d.get("summary")):
            parts.append(ui.md(d["summary"]))
        dets = d.get("detachments") or []
        frame = None
        if len(dets):
            frame = pd.DataFrame([{"Detachment": x.get("name"), "Personnel": x.get("personnel"),
                                   "Aircraft": x.get("aircraft"), "Description": x.get("description"),
                                   "Attributed to": x.get("attributed_to"), "source_id": x.get("source_id")}
                                  for x in dets])
            frame["Personnel"] = frame["Personnel"].astype("Int64")
            frame["Aircraft"] = frame["Aircraft"].astype("Int64")
            parts.append("**Detachments (as reported)**")
        st.markdown("\n\n".join(parts))
        if frame is not None:
            ui.show_table(frame.drop(columns=["source_id"]), numeric=("Personnel", "Aircraft"))
            ui.download(frame, f"{d['id']}_detachments.csv", key=f"dl_det_{d['id']}", label="Download detachments (CSV)")
        rest = []
        claims = d.get("claims") or []
        if len(claims):
            rest += ["**Also reported**",
                     "\n".join(f"- {ui.md(c.get('text'))} ({ui.md(c.get('attributed_to'))})" for c in claims)]
        srcs = d.get("sources") or []
        rest += ["**Sources**",
                 "\n".join(f"- {ui.md(ui.source_line([s.get('source_id')]))}; attributed to "
                           f"{ui.md(s.get('attributed_to'))}" + (f": {ui.md(s.get('detail'))}" if s.get("detail") else "")
                           for s in srcs) or "not recorded"]
        st.markdown("\n\n".join(rest))


def exercise_details(e: pd.Series) -> None:
    with st.container(border=True):
        facts = [("Series", _val(e["series"])), ("Location", _val(e["location"])),
                 ("When", _dates(e["start"], e["end"], _val(e["date_precision"]))),
                 ("Kinds", _val(e["kinds"]).replace(";", ", ")),
                 ("Participants", f"{_val(e['n_participants'])}: {_val(e['participant_names'])}"),
                 ("Focus", _val(e["focus"]))]
        st.markdown(f"### {ui.md(_val(e['name']) or 'Unnamed exercise, ' + _val(e['location']))}\n\n"
                    + "\n".join(f"- **{k}**: {ui.md(v)}" for k, v in facts if v)
                    + "\n\n**Source**: " + ui.md(ui.source_line([e["source_id"]])))
