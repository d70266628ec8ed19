"""Sources & data: every origin block of data/sources.yaml, and every table as a CSV download. The data sets are
one panel each (licence, caveats, citation); the public reporting behind the named deployments is one table
(publisher, title with its link, date, kind, language), so a hundred news sources read as a list, not a hundred
panels."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

import i18n
from app_pages import data, ui
from export.datapackage import package_bytes
from loaders.changes import CHANGES_FILE
from loaders.schema import DataError
from prep import sources as sources_prep


def _reporting_table(lang: str) -> tuple[str, pd.DataFrame]:
    """The public reporting as an escaped HTML table and as the frame of its CSV, once per language and
    sources.yaml (data.memo)."""
    _ = i18n.gettext_for(lang)
    frame = sources_prep.reporting_table(data.sources(), lang)
    cols = [_("Published"), _("Publisher"), _("Title"), _("Kind"), _("Language")]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(f'<td data-label="{html.escape(c, quote=True)}">'
                         + (ui.source_link(r[c], r["url"]) if c == _("Title") else html.escape(str(r[c]))) + "</td>"
                         for c in cols) + "</tr>"
        for _i, r in frame.iterrows())
    return f'<table class="fp-table fp-cards"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>', frame


def _upstream_html(lang: str, has_sources: bool, has_reports: bool) -> str | None:
    """The dates of the latest upstream data as an HTML list, once per language and data version."""
    dates = sources_prep.upstream_dates(data.sources() if has_sources else {},
                                        data.load("troop_reports") if has_reports else None, lang)
    return ("<ul class=\"fp-sources\">" + "".join(f"<li><b>{html.escape(k)}</b>: {html.escape(v)}</li>"
                                                  for k, v in dates) + "</ul>") if dates else None


def _dataset_panels(lang: str) -> list[tuple[str, str]]:
    """Each data set's panel (its label and its facts as an HTML list), once per language and sources.yaml."""
    _ = i18n.gettext_for(lang)
    panels = []
    for sid, s in data.sources().items():
        if s.kind:
            continue
        rows = [(k, ui.source_link(v, v) if k == _("Where") else html.escape(v))
                for k, v in sources_prep.dataset_facts(s, lang)]
        panels.append((f"{ui.md(s.title)} ({ui.md(sid)})",
                       "<ul class=\"fp-sources\">" + "".join(f"<li><b>{html.escape(k)}</b>: {v}</li>" for k, v in rows)
                       + "</ul>"))
    return panels


def _changes(lang: str, stamp: tuple) -> str | None:
    """The latest data version's change-log entry as Markdown, once per language and state of the change log
    (parsing its YAML took a third of this page's run)."""
    latest = sources_prep.latest_changes(lang)
    if latest is None:
        return None
    head, lines = latest
    return ui.md(head) + "\n\n" + "\n".join(f"- {ui.md(line)}" for line in lines)


lang = ui.lang()
_ = ui.t()
ui.page_head(_("Sources & data"),
             _("Every figure in this dashboard comes from one of the sources below, and each table row names its "
               "source. Reported figures (from articles and reports) are shown as claims with attribution, not as "
               "official data. The code is MIT-licensed; each data source keeps its own licence, listed here."))

try:
    sources = data.sources()
except DataError as exc:
    ui.show_error(exc, _("the list of sources"))
    sources = {}

datasets = {sid: s for sid, s in sources.items() if not s.kind}
reporting = {sid: s for sid, s in sources.items() if s.kind}

st.header(_("What changed"), divider="gray")
# the latest data version's entry of changelog/data-changes.yaml (python -m loaders diff)
changes_md = data.memo(_changes, lang, data.file_stamp(CHANGES_FILE))
if changes_md is not None:
    st.markdown(changes_md)
try:
    reports = data.load("troop_reports")
except DataError:
    reports = None
dates_html = data.memo(_upstream_html, lang, bool(sources), reports is not None, tables=("sources", "troop_reports"))
if dates_html:
    st.caption(_("Dates of the latest upstream data:"))
    st.html(dates_html)

st.header(_("Data sets"), divider="gray")
for label, panel_html in (data.memo(_dataset_panels, lang, tables=("sources",)) if datasets else []):
    with st.expander(label):
        st.html(panel_html)

if reporting:
    st.header(_("Public reporting"), divider="gray")
    st.caption(_("The sources of the named deployments, exercises, operations and host-country decisions: {n} "
                 "articles, statements and reports. Titles stay in their original language; each record says which "
                 "facts come from which source, and who the source attributes them to.").format(n=len(reporting)))
    table_html, frame = data.memo(_reporting_table, lang, tables=("sources",))
    st.html(table_html)
    ui.download(frame, "reporting_sources.csv", key="dl_reporting", label=_("Download this list (CSV)"))

st.header(_("Download the data"), divider="gray")
# Every table in one zip with its Frictionless datapackage.json (every column's type and description, each
# resource's licence and sources) and a README with the citation (export/datapackage.py): built on the click.
st.download_button(_("Download all tables as a data package (zip)"), data=lambda: package_bytes(data.data_dir()),
                   file_name="footprint-data.zip", mime="application/zip", key="dl_package", on_click="ignore",
                   icon=":material/folder_zip:", type="primary")
st.caption(_("Each table exactly as the dashboard reads it (validated against its schema). Text cells that a "
             "spreadsheet could run as a formula start with an apostrophe."))
for spec in sorted(data.all_specs(), key=lambda s: s.name):
    try:
        frame = data.load(spec.name)
    except DataError as exc:
        ui.show_error(exc, _("the table {name}").format(name=spec.name))
        continue
    c1, c2 = st.columns([3, 1], vertical_alignment="center")
    with c1:
        st.markdown(_("**{file}**: {n} rows.").format(file=ui.md(spec.file), n=ui.num(len(frame))) + " "
                    + ui.md(_(spec.doc.splitlines()[0]) if spec.doc else ""))
    with c2:
        ui.download(frame, spec.file.replace("/", "_"), key=f"dl_{spec.name}", label="CSV", data_file=True)
try:
    deps, problems = data.deployments()
    c1, c2 = st.columns([3, 1], vertical_alignment="center")
    with c1:
        st.markdown(_("**deployments/\\\\*.yaml**: {n} named deployments, operations and decisions, one file each "
                      "(lists flattened in the CSV).").format(n=ui.num(len(deps))))
    with c2:
        ui.download(deps, "deployments.csv", key="dl_deployments", label="CSV", data_file=True)
except DataError as exc:
    ui.show_error(exc, _("the deployments"))

ui.share("sources", {}, {}, page_title=_("Sources & data"))
