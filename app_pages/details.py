"""Detail panels for one named deployment, operation or decision, or one exercise: facts, every attributed figure,
the host-country decision, detachments and sources, all escaped, in the reader's language. What a panel says
comes from prep/details.py; this module lays it out."""
from __future__ import annotations

import streamlit as st

from app_pages import ui
from prep import details


def _facts(facts: list[tuple[str, str]]) -> str:
    return "\n".join(f"- **{k}**: {ui.md(v)}" for k, v in facts)


def deployment_details(d) -> None:
    """One bordered panel: heading, facts and summary as one Markdown block, the detachments as a table with
    their CSV, then other claims and sources as one more Markdown block (few elements: less work per run on the
    server and less to draw in the browser)."""
    lang = ui.lang()
    _ = ui.t()
    p = details.deployment_panel(d, lang)
    with st.container(border=True):
        parts = [f"### {ui.md(p.title)}", _facts(p.facts)]
        if p.summary:
            parts.append(ui.md(p.summary))
        if p.detachments is not None:
            parts.append("**" + _("Detachments (as reported)") + "**")
        st.markdown("\n\n".join(parts))
        if p.detachments is not None:
            ui.show_table(p.detachments.drop(columns=["source_id"]), numeric=(_("Personnel"), _("Aircraft")))
            ui.download(p.detachments, f"{p.id}_detachments.csv", key=f"dl_det_{p.id}",
                        label=_("Download detachments (CSV)"))
        if p.claims:
            st.markdown("**" + _("Also reported") + "**\n\n"
                        + "\n".join(f"- {ui.md(c.text)} ({ui.md(c.attributed_to)})" for c in p.claims))
        st.markdown("**" + _("Sources") + "**")
        known = ui.known_sources()
        ui.source_list(p.source_ids, known)
        st.caption(ui.md("; ".join(_("{source}: attributed to {who}").format(
            source=ui.source_caption(known[s.source_id]) if s.source_id in known else s.source_id,
            who=s.attributed_to) + (f" ({s.detail})" if s.detail else "") for s in p.sources)))


def exercise_details(e) -> None:
    p = details.exercise_panel(e, ui.lang())
    with st.container(border=True):
        st.markdown(f"### {ui.md(p.title)}\n\n" + _facts(p.facts))
        ui.caption([p.source_id])
