"""Country profile: one host country's troop history, bases, deployments, exercises and context events."""
from __future__ import annotations

import pandas as pd
import streamlit as st

import i18n
from app_pages import data, ui
from app_pages import details
from app_pages.details import deployment_details
from app_pages.params import Param
from charts import maps
from charts import records as charts_records
from charts import timeline as tl
from i18n import N_
from prep import records, registry, views

DEFAULT = "PER"
# Three lazy tabs bound to the URL (?section=...): only the open one runs and draws its chart. The profile's
# sources are listed under them, whichever is open.
SECTIONS = registry.get("country").tabs
# The timeline opens on recent years (what happened since); "All years" shows everything back to 1920.
PERIODS = (N_("Recent"), N_("All years"))
RECENT_YEARS = 15
RECENT_FROM = 2012  # the host country's decisions since this year lead its profile

# Computed once per process for a parameter set (data.memo, keyed by the tables' file stamps), shared read-only.
TABLES = ("troops_annual", "bases", "deployments", "exercises", "context_events")


def _choices(has_annual: bool, has_bases: bool, has_deps: bool, has_ctx: bool) -> tuple[dict, dict, list]:
    codes: set[str] = {DEFAULT}
    if has_annual:
        annual = data.load("troops_annual")
        codes |= set(annual.loc[annual["scope"] != "us_domestic", "iso3"].dropna())
    if has_bases:
        bases = data.load("bases")
        codes |= set(bases["iso3"].dropna())
    if has_deps:
        deps = data.deployments()[0]
        codes |= set(deps["iso3"].dropna())
    if has_ctx:
        ctx = data.load("context_events")
        codes |= set(ctx["iso3"].dropna())
    codes.discard("")
    names = {c: data.entity(c)[0] for c in codes}
    clash = {n for n in names.values() if list(names.values()).count(n) > 1}
    labels = {c: (f"{n} ({c})" if n in clash else n) for c, n in names.items()}  # one label per code
    by_label = {v: k for k, v in labels.items()}
    options = sorted(by_label)  # the labels are the options, and the URL value (?country=Peru)
    return labels, by_label, options


def _history(country: str, lang: str = "en") -> dict:
    return views.country_history(data.load("troops_annual"), country, lang)


def _authorisations(country: str, lang: str = "en") -> dict | None:
    """The host country's own decisions since RECENT_FROM (authorisations and agreements per year, and the US
    personnel they authorised where reported) beside the DMDC count for the same years; None without decisions."""
    _ = i18n.gettext_for(lang)
    deps = data.deployments()[0]
    mine = deps[(deps["iso3"] == country) & (deps["kind"] == "decision")]
    if mine.empty:
        return None
    last = max(int(mine["start"].max().year), RECENT_FROM + 1)
    auth = records.authorisations_by_year(deps, country, RECENT_FROM, last)
    if not auth["decisions"].any():
        return None
    assigned = records.assigned_by_year(data.load("troops_annual"), country, RECENT_FROM, last)
    bodies = pd.Series([i18n.localized(d, "body", lang) for d in mine["decision"]
                        if isinstance(d, dict) and d.get("body")])
    body = bodies.mode().iloc[0] if len(bodies) else _("the host government")
    fig = charts_records.authorised_vs_assigned(
        auth, assigned, body, title=_("Authorised entries and stationed troops, {first}-{last}").format(
            first=RECENT_FROM, last=last), lang=lang)
    table = auth.merge(assigned, on="year", how="left")
    return {"fig": fig, "auth": auth, "body": body, "table": table.drop(columns=["source_ids"]).assign(
                instruments=table["instruments"].map("; ".join)),
            "sources": [s for ids in auth["source_ids"] for s in ids] + assigned["source_id"].dropna().unique().tolist(),
            "n": int(auth["decisions"].sum()), "latest_count": assigned.dropna(subset=["active_duty"]).tail(1)}


def _places(country: str, map_iso3: str, has_bases: bool, has_deps: bool, lang: str = "en") -> dict:
    _ = i18n.gettext_for(lang)
    bases = data.load("bases") if has_bases else None
    deps = data.deployments()[0] if has_deps else None
    b = bases[bases["iso3"] == country] if bases is not None else pd.DataFrame(columns=["lat", "lon", "type", "name", "period"])
    places = pd.DataFrame(columns=["deployment", "name", "lat", "lon"])
    if deps is not None:
        rows = [{"deployment": records.record_name(d, lang), "name": p.get("name"), "lat": p.get("lat"), "lon": p.get("lon"),
                 "source_id": "; ".join(s.get("source_id", "") for s in d.sources or [])}
                for d in deps[deps["iso3"] == country].itertuples(index=False) for p in (d.places or [])]
        if rows:
            places = pd.DataFrame(rows)
    out = {"b": b, "places": places, "fig": None}
    if len(b) or len(places) or map_iso3:
        out["fig"] = maps.country_map(map_iso3, b, places, title=_("Base sites and deployment places"), lang=lang)
        out["both"] = pd.concat([b.assign(layer="base site"), places.assign(layer="deployment place")], ignore_index=True)
    return out


def _timeline(country: str, has_deps: bool, has_ex: bool, has_ctx: bool, recent: bool = False,
              lang: str = "en") -> dict | None:
    _ = i18n.gettext_for(lang)
    deps = data.deployments()[0] if has_deps else None
    ex = data.load("exercises") if has_ex else None
    ctx = data.load("context_events") if has_ctx else None
    items = []
    mine_deps = deps[deps["iso3"] == country] if deps is not None else None
    if mine_deps is not None:
        for d in mine_deps.itertuples(index=False):
            name = records.record_name(d, lang)
            items.append({"row": name, "start": d.start, "end": d.end, "kind": d.kind,
                          "hover": f"{name} ({_(d.status)})" + (
                              " | " + _("{n} personnel (reported)").format(n=i18n.num(d.personnel_max, lang))
                              if pd.notna(d.personnel_max) else ""),
                          "source_id": "; ".join(s.get("source_id", "") for s in d.sources or [])})
    if ex is not None:
        for e in ex[ex["host_iso3"] == country].itertuples(index=False):
            ename = e.name if isinstance(e.name, str) and e.name else _("Unnamed exercise, {place}").format(place=e.location)
            items.append({"row": f"{ename} (MME)", "start": e.start, "end": e.end, "kind": "mme_exercise",
                          "hover": f"{ename} | {e.location} | " + _("{n} countries").format(n=e.n_participants),
                          "source_id": e.source_id})
    if ctx is not None:
        for c in ctx[ctx["iso3"] == country].itertuples(index=False):
            title = i18n.localized(c, "title", lang)
            desc = i18n.localized(c, "description", lang)
            items.append({"row": title, "start": c.start, "end": c.end, "kind": "context",
                          "hover": _("{title}: {description} (attributed to {who})").format(
                              title=title, description=desc, who=c.attributed_to), "source_id": c.source_id})
    if not items:
        return None
    tdf = pd.DataFrame(items)
    tdf["start"] = pd.to_datetime(tdf["start"])
    tdf["end"] = pd.to_datetime(tdf["end"])
    tdf = tdf.dropna(subset=["start"])
    last = int(max(tdf["start"].max().year, tdf["end"].max().year if tdf["end"].notna().any() else 0))
    first = last - RECENT_YEARS + 1
    older = tdf[tdf["end"].where(tdf["end"].notna(), tdf["start"]).dt.year < first]
    if recent and len(older) < len(tdf):  # else (nothing recent) every year is shown
        shown = tdf.drop(index=older.index)
        x_range = (pd.Timestamp(f"{first}-01-01") - pd.Timedelta(days=30), pd.Timestamp(f"{last}-12-31") + pd.Timedelta(days=30))
        title = _("Deployments, exercises, events, {first}-{last}").format(first=first, last=last)
    else:
        shown, x_range, older = tdf, None, tdf.iloc[0:0]
        title = _("Deployments, exercises, events, {first}-{last}").format(first=int(tdf["start"].min().year), last=last)
    return {"tdf": tdf, "shown": shown, "n_older": len(older),
            "fig": tl.gantt(shown, title=title, x_range=x_range, lang=lang)}


lang = ui.lang()
_ = ui.t()
annual = ui.table("troops_annual", _("the troop history"))
bases = ui.table("bases", _("the base map"))
deps = ui.deployments(_("the deployments"))
ex = ui.table("exercises", _("the exercises"))
ctx = ui.table("context_events", _("the context events"))

labels, by_label, options = data.memo(_choices, annual is not None, bases is not None, deps is not None,
                                     ctx is not None, tables=TABLES)
shown_names = {lab: i18n.country(code, lab, lang) if lab == data.entity(code)[0] else lab for lab, code in by_label.items()}
options = sorted(options, key=lambda lab: i18n.sort_key(shown_names[lab]))  # Perú under P

ui.page_head(_("Country profile"),
             _("One host country: US troops stationed there each year (DMDC reports), listed US base sites (David "
               "Vine's list), and the named deployments, exercises and decisions reported in public sources, each "
               "with its source."))
params = [Param("country", "choice", labels[DEFAULT], tuple(options), label=N_("country")),
          Param("section", "choice", SECTIONS[0], SECTIONS, label=N_("section")),
          Param("period", "choice", PERIODS[0], PERIODS, label=N_("timeline period"))]
ui.param_notices(params)
ui.seed("country", tuple(options), labels[DEFAULT])
ui.seed("period", PERIODS, PERIODS[0])

country_label = st.selectbox(_("Country"), options, format_func=shown_names.get, key="country")
country = by_label[country_label]
name, map_iso3, region, kind = data.entity(country)
name = i18n.country(country, name, lang)
st.caption(ui.md(" · ".join(x for x in (_(region) if region else "",
                                        {"historic": _("historic entity, drawn on today's shapes"),
                                         "territory": _("territory")}.get(kind, "")) if x)))

tabs, section = ui.section_tabs(SECTIONS, {"Deployments and events": ("period",)})
mine_deps = deps[deps["iso3"] == country] if deps is not None else None

# ---- troop history -------------------------------------------------------------------------------------------
with tabs[0]:
    if tabs[0].open:  # only the open tab runs (lazy tabs: one chart per load)
        st.header(_("US troops in {country}").format(country=ui.md(name)))
        av = data.memo(_authorisations, country, lang, tables=TABLES) if deps is not None and annual is not None else None
        if av is not None:
            # the country's present first: what its own institutions authorised, beside the official count
            ui.chart(av["fig"], key="country_auth")
            last = av["latest_count"]
            count = (" " + _("({n} in {report})").format(n=ui.num(last["active_duty"].iloc[0]),
                                                         report=i18n.report_text(last["report"].iloc[0], lang))
                     if len(last) else "")
            st.caption(ui.md(_("Two different things: {body} authorises temporary entries of foreign troops for "
                               "exercises, training and events (a figure where the source gives one), while DMDC counts "
                               "US personnel permanently assigned to the country on its report date{count}. They are not "
                               "expected to match.").format(body=av["body"], count=count)))
            ui.caption(av["sources"], note=_("{n} authorisations since {year}, counted by year decided; no bar = no "
                                             "personnel figure reported, never zero").format(n=av["n"], year=RECENT_FROM))
            ui.download(av["table"], f"authorisations_{country}.csv", key="dl_auth")
        if annual is not None:
            hv = data.memo(_history, country, lang, tables=("troops_annual",))
            hist = hv["hist"]
            if hv["has"]:
                latest, peak = hv["latest"], hv["peak"]
                m1, m2 = st.columns(2)
                m1.metric(_("Latest ({report})").format(report=ui.md(i18n.report_text(latest["report"], lang))),
                          ui.num(latest["active_duty"]))
                m2.metric(_("Peak ({year})").format(year=int(peak["year"])), ui.num(peak["active_duty"]))
                ui.chart(hv["fig"], key="country_troops")
                ui.caption(hist["source_id"].unique(), more=_("Annual method: {method}").format(method=_(hv["methods"])))
                ui.download(hist, f"troops_{country}.csv", key="dl_ct")
            else:
                st.info(_("No troop figure is reported for {country} in the DMDC-based data.").format(country=name))

# ---- map -----------------------------------------------------------------------------------------------------
with tabs[1]:
    if tabs[1].open:
        st.header(_("Bases and reported deployment places"))
        pv = data.memo(_places, country, map_iso3, bases is not None, deps is not None, lang, tables=TABLES)
        b, places = pv["b"], pv["places"]
        if pv["fig"] is not None:
            ui.chart(pv["fig"], key="country_map", geo=True)
            unlocated = int(b["lat"].isna().sum()) if len(b) else 0
            srcs = (b["source_id"].unique().tolist() if len(b) else []) + \
                [s for v in places.get("source_id", pd.Series(dtype=str)) for s in str(v).split("; ")] + ["natural_earth_topojson"]
            ui.caption(srcs, note=_("{n} listed base sites (Vine, Cold War-2018)").format(n=len(b))
                                  + (", " + _("{n} without coordinates (not drawn)").format(n=unlocated) if unlocated else ""))
            ui.download(pv["both"], f"places_{country}.csv", key="dl_places")

# ---- timeline ------------------------------------------------------------------------------------------------
with tabs[2]:
    if tabs[2].open:
        st.header(_("Deployments, exercises and events"))
        period = st.segmented_control(_("Period"), list(PERIODS), format_func=_, key="period",
                                      required=True) or PERIODS[0]
        tv = data.memo(_timeline, country, deps is not None, ex is not None, ctx is not None, period == PERIODS[0],
                       lang, tables=TABLES)
        if tv is not None:
            tdf = tv["tdf"]
            if tv["n_older"]:
                st.caption(_("{n} older items are not drawn; choose \"All years\" to see them.").format(n=tv["n_older"]))
            ui.chart(tv["fig"], key="country_gantt")
            ui.caption([s for v in tv["shown"]["source_id"] for s in str(v).split("; ")])
            ui.download(tdf.drop(columns=["hover"]), f"timeline_{country}.csv", key="dl_ctl")
        else:
            st.info(_("No named deployment, MME exercise or context event is recorded for {country}.").format(country=name))

        if mine_deps is not None and len(mine_deps):
            st.subheader(_("Named deployments"))
            mine_deps = mine_deps.sort_values("start")
            listing = pd.DataFrame({  # the figure next to the name
                _("Name"): [records.record_name(d, lang) for d in mine_deps.itertuples(index=False)],
                _("Personnel (reported)"): mine_deps["personnel_max"],
                _("When"): [details.dates(s, e, p, lang) for s, e, p in
                            zip(mine_deps["start"], mine_deps["end"], mine_deps["date_precision"])],
                _("Kind"): [_(k) for k in mine_deps["kind"]], _("Status"): [_(x) for x in mine_deps["status"]]})
            ui.show_table(listing, numeric=(_("Personnel (reported)"),))
            ui.caption([s.get("source_id") for srcs in mine_deps["sources"] for s in (srcs or [])],
                       note=_("Each deployment's sources, with who reported what, are in its panel below"))
            for _i, d in mine_deps.sort_values("start", ascending=False).iterrows():
                # lazy panels: a closed one sends only its label; opening it reruns and fills it
                title = records.record_name(d.to_dict(), lang)
                panel = st.expander(ui.md(title) + (" · " + _("{n} personnel (reported)").format(n=ui.num(d["personnel_max"]))
                                                    if pd.notna(d["personnel_max"]) else ""),
                                    expanded=bool(pd.notna(d["personnel_max"]) and d["start"].year >= 2020),
                                    key=f"panel_{d['id']}", on_change="rerun")
                with panel:
                    if panel.open:
                        deployment_details(d)

        if ctx is not None and (ctx["iso3"] == country).any():
            st.subheader(_("Context events"))
            ev = ctx[ctx["iso3"] == country].sort_values("start")
            shown_ev = pd.DataFrame({
                _("Start"): [i18n.date_text(x, p, lang) if pd.notna(x) else None
                             for x, p in zip(pd.to_datetime(ev["start"]), ev["date_precision"])],
                _("End"): [i18n.date_text(x, p, lang) if pd.notna(x) else ""
                           for x, p in zip(pd.to_datetime(ev["end"]), ev["date_precision"])],
                _("Event"): [i18n.localized(e, "title", lang) for e in ev.itertuples(index=False)],
                _("Description"): [i18n.localized(e, "description", lang) for e in ev.itertuples(index=False)],
                _("Attributed to"): ev["attributed_to"]})
            ui.show_table(shown_ev)
            ui.caption(ev["source_id"].unique())
            ui.download(ev, f"context_events_{country}.csv", key="dl_ctx")

# ---- sources ---------------------------------------------------------------------------------------------------
used: list[str] = []
if annual is not None:
    used += annual.loc[annual["iso3"] == country, "source_id"].dropna().unique().tolist()
if bases is not None:
    used += bases.loc[bases["iso3"] == country, "source_id"].dropna().unique().tolist()
if mine_deps is not None:
    used += [x.get("source_id") for srcs in mine_deps["sources"] for x in (srcs or [])]
if ex is not None:
    used += ex.loc[ex["host_iso3"] == country, "source_id"].dropna().unique().tolist()
if ctx is not None:
    used += ctx.loc[ctx["iso3"] == country, "source_id"].dropna().unique().tolist()
known = ui.known_sources()
st.subheader(_("Sources for this profile"))
ui.source_list([sid for sid in dict.fromkeys(x for x in used if x)], known)

ui.share("country", {"country": country_label, "section": section,
                    "period": st.session_state.get("period") or PERIODS[0]}, {p.key: p.default for p in params},
         sync=("country", "section", "period"), page_title=_("Country profile") + ": " + name)
