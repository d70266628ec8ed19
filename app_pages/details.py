"""Detail panels for one named deployment, operation or decision, or one exercise: facts, every attributed figure,
the host-country decision, detachments and sources, all escaped, in the reader's language."""
from __future__ import annotations

import pandas as pd
import streamlit as st

import i18n
from app_pages import data, ui
from prep import records


def _val(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and pd.isna(v):
        return ""
    if not isinstance(v, (list, dict, str)) and pd.isna(v):
        return ""
    return str(v)


def _list(v) -> list:
    """A list field of a record (services, personnel, detachments, claims, sources); missing (None/NaN) -> []."""
    return list(v) if isinstance(v, (list, tuple)) else []


def dates(start, end, precision: str, lang: str = "en") -> str:
    """A record's period as precisely as it is known, in the reader's language."""
    _ = i18n.gettext_for(lang)
    s = i18n.date_text(start, precision or "day", lang) if pd.notna(start) else _("date not reported")
    return _("{start} to {end}").format(start=s, end=i18n.date_text(end, "day", lang)) if pd.notna(end) else s


def _figure(f: dict, lang: str) -> str:
    _ = i18n.gettext_for(lang)
    text = _("{n}, attributed to {who}").format(n=i18n.num(f.get("value"), lang), who=_val(f.get("attributed_to")))
    if f.get("detail"):
        text += f" ({_val(f.get('detail'))})"
    return text


def deployment_details(d: pd.Series) -> None:
    """One bordered panel: heading, facts and summary as one Markdown block, the detachments as a table with
    their CSV, then other claims and sources as one more Markdown block (few elements: less work per run on the
    server and less to draw in the browser)."""
    lang = ui.lang()
    _ = ui.t()
    with st.container(border=True):
        figures = [f for f in _list(d.get("personnel")) if isinstance(f, dict) and f.get("value") is not None]
        if figures:
            personnel = "; ".join(_figure(f, lang) for f in figures)
        elif pd.notna(d["personnel_max"]):
            personnel = _figure({"value": d["personnel_max"], "attributed_to": d.get("personnel_attributed_to")}, lang)
        else:
            personnel = _("not reported")
        purpose = i18n.localized(d, "purpose", lang) if _val(d.get("purpose")) else ""
        if purpose and _val(d.get("purpose_attributed_to")):
            purpose += " " + _("(attributed to {who})").format(who=_val(d.get("purpose_attributed_to")))
        facts = [(_("Kind"), f"{_(_val(d['kind']))} ({_(_val(d['status']))})"),
                 (_("Where"), i18n.country(_val(d["iso3"]), data.entity(_val(d["iso3"]))[0], lang) if _val(d["iso3"]) else ""),
                 (_("When"), dates(d["start"], d["end"], _val(d["date_precision"]), lang)),
                 (_("Organiser"), _val(d.get("organiser"))),
                 (_("Services"), ", ".join(_(x) for x in _list(d.get("services")))),
                 (_("Personnel (as reported)"), personnel),
                 (_("Purpose"), purpose)]
        dec = d.get("decision") if isinstance(d.get("decision"), dict) else None
        if dec:
            vote = dec.get("vote") if isinstance(dec.get("vote"), dict) else None
            period = dec.get("period") if isinstance(dec.get("period"), dict) else None
            auth = dec.get("us_personnel_authorised") if isinstance(dec.get("us_personnel_authorised"), dict) else None
            facts += [(_("Decision"), _(_val(dec.get("type")))), (_("Decided by"), i18n.localized(dec, "body", lang)),
                      (_("Instrument"), _val(dec.get("instrument"))),
                      (_("Decided on"), i18n.date_text(dec.get("decided"), "day", lang) if dec.get("decided") else ""),
                      (_("Vote"), _("{yes} in favour, {no} against, {abstain} abstentions ({who})").format(
                          yes=_val(vote.get("in_favour")), no=_val(vote.get("against")),
                          abstain=_val(vote.get("abstentions")), who=_val(vote.get("attributed_to"))) if vote else ""),
                      (_("Period authorised"), dates(pd.Timestamp(period["start"]) if period.get("start") else pd.NaT,
                                                     pd.Timestamp(period["end"]) if period.get("end") else pd.NaT,
                                                     "day", lang) if period else ""),
                      (_("US personnel authorised"), _figure(auth, lang) if auth and auth.get("value") is not None else ""),
                      (_("Regions"), ", ".join(_val(r) for r in _list(dec.get("regions")))),
                      (_("Weapons"), i18n.localized(dec["weapons"], "text", lang)
                       if isinstance(dec.get("weapons"), dict) else ""),
                      (_("Result"), i18n.localized(dec["result"], "text", lang)
                       if isinstance(dec.get("result"), dict) else "")]
        parts = [f"### {ui.md(records.record_name(d.to_dict(), lang))}",
                 "\n".join(f"- **{k}**: {ui.md(v)}" for k, v in facts if v)]
        summary = i18n.localized(d, "summary", lang)
        # the record says which language's text is Footprint's own translation of the source's
        if summary and d.get("our_translation") == lang and i18n.translation_of(d, "summary", lang):
            summary += " " + _("(our translation)")
            parts.append(ui.md(summary))
        dets = _list(d.get("detachments"))
        frame = None
        if len(dets):
            frame = pd.DataFrame([{_("Detachment"): x.get("name"), _("Personnel"): x.get("personnel"),
                                   _("Aircraft"): x.get("aircraft"),
                                   _("Description"): i18n.localized(x, "description", lang),
                                   _("Attributed to"): x.get("attributed_to"), "source_id": x.get("source_id")}
                                  for x in dets])
            frame[_("Personnel")] = frame[_("Personnel")].astype("Int64")
            frame[_("Aircraft")] = frame[_("Aircraft")].astype("Int64")
            parts.append("**" + _("Detachments (as reported)") + "**")
        st.markdown("\n\n".join(parts))
        if frame is not None:
            ui.show_table(frame.drop(columns=["source_id"]), numeric=(_("Personnel"), _("Aircraft")))
            ui.download(frame, f"{d['id']}_detachments.csv", key=f"dl_det_{d['id']}",
                        label=_("Download detachments (CSV)"))
        rest = []
        claims = _list(d.get("claims"))
        if len(claims):
            rest += ["**" + _("Also reported") + "**",
                     "\n".join(f"- {ui.md(i18n.localized(c, 'text', lang))} ({ui.md(c.get('attributed_to'))})"
                               for c in claims)]
        if rest:
            st.markdown("\n\n".join(rest))
        srcs = _list(d.get("sources"))
        st.markdown("**" + _("Sources") + "**")
        known = ui.known_sources()
        ui.source_list([s.get("source_id") for s in srcs if s.get("source_id")], known)
        st.caption(ui.md("; ".join(_("{source}: attributed to {who}").format(
            source=ui.source_caption(known[s["source_id"]]) if s.get("source_id") in known else _val(s.get("source_id")),
            who=_val(s.get("attributed_to"))) + (f" ({_val(s.get('detail'))})" if s.get("detail") else "")
            for s in srcs)))


def exercise_details(e: pd.Series) -> None:
    lang = ui.lang()
    _ = ui.t()
    with st.container(border=True):
        facts = [(_("Series"), _val(e["series"])), (_("Location"), _val(e["location"])),
                 (_("When"), dates(e["start"], e["end"], _val(e["date_precision"]), lang)),
                 (_("Kinds"), _val(e["kinds"]).replace(";", ", ")),
                 (_("Participants"), f"{_val(e['n_participants'])}: {_val(e['participant_names'])}"),
                 (_("Focus"), _val(e["focus"]))]
        name = _val(e["name"]) or _("Unnamed exercise, {place}").format(place=_val(e["location"]))
        st.markdown(f"### {ui.md(name)}\n\n" + "\n".join(f"- **{k}**: {ui.md(v)}" for k, v in facts if v))
        ui.caption([e["source_id"]])
