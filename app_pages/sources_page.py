"""Sources & data: every origin block of data/sources.yaml, and every table as a CSV download."""
from __future__ import annotations

import streamlit as st

from app_pages import data, ui
from loaders.schema import DataError

ui.page_head("Sources & data",
             "Every figure in this dashboard comes from one of the sources below, and each table row names its "
             "source. Reported figures (from articles and reports) are shown as claims with attribution, not as "
             "official data. The code is MIT-licensed; each data source keeps its own licence, listed here.")

try:
    sources = data.sources()
except DataError as exc:
    ui.show_error(exc, "the list of sources")
    sources = {}

st.header("Sources", divider="gray")
for sid, s in sources.items():
    with st.expander(f"{ui.md(s.title)} ({ui.md(sid)})"):
        st.markdown("\n".join([
            f"- **Producer**: {ui.md(s.producer)}",
            f"- **Where**: {ui.md(s.url)}",
            f"- **Accessed**: {ui.md(s.accessed)}",
            f"- **Licence**: {ui.md(s.licence)}",
            f"- **Republishing**: {ui.md(s.republish)}" if s.republish else "",
            f"- **Used for**: {ui.md(s.used_for)}" if s.used_for else "",
        ]))
        st.markdown(f"**Cite as**: {ui.md(s.citation)}")
        st.markdown(f"**Caveats**: {ui.md(s.caveats)}")
        if s.notes:
            st.markdown(f"**Notes**: {ui.md(s.notes)}")

st.header("Download the data", divider="gray")
st.caption("Each table exactly as the dashboard reads it (validated against its schema). Text cells that a "
           "spreadsheet could run as a formula start with an apostrophe.")
for spec in sorted(data.all_specs(), key=lambda s: s.name):
    try:
        frame = data.load(spec.name)
    except DataError as exc:
        ui.show_error(exc, f"the table {spec.name}")
        continue
    c1, c2 = st.columns([3, 1], vertical_alignment="center")
    with c1:
        st.markdown(f"**{ui.md(spec.file)}**: {len(frame):,} rows. {ui.md(spec.doc.splitlines()[0] if spec.doc else '')}")
    with c2:
        ui.download(frame, spec.file.replace("/", "_"), key=f"dl_{spec.name}", label="CSV")
try:
    deps, problems = data.deployments()
    c1, c2 = st.columns([3, 1], vertical_alignment="center")
    with c1:
        st.markdown(f"**deployments/\\*.yaml**: {len(deps):,} named deployments, one file each (lists flattened in the CSV).")
    with c2:
        ui.download(deps, "deployments.csv", key="dl_deployments", label="CSV")
except DataError as exc:
    ui.show_error(exc, "the deployments")

# Every table in one zip with its Frictionless datapackage.json and a README (export/datapackage.py): built on the
# click, once per data version per process.
from export.datapackage import package_bytes  # noqa: E402

st.download_button("Download all tables as a data package (zip)", data=lambda: package_bytes(data.data_dir()),
                   file_name="footprint-data.zip", mime="application/zip", key="dl_package", on_click="ignore",
                   icon=":material/folder_zip:")

ui.share("sources", {}, {})
