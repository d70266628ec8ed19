"""Detail panels for one named deployment, operation or decision, or one exercise: facts, every attributed figure,
the host-country decision, detachments and sources, all escaped, in the reader's language. What a panel says
comes from prep/details.py; this module lays it out."""
from __future__ import annotations

import html

import streamlit as st

from app_pages import ui
from prep import details


def _facts(facts: list[tuple[str, str]]) -> str:
    return "\n".join(f"- **{k}**: {ui.md(v)}" for k, v in facts)


def backings_html(backings: list[details.Backing], known: dict, lang: str) -> str:
    """Every figure and claim of a record with the source's words under it: each quotation as a quotation
    (``<blockquote>`` with the source's language in ``lang``, never translated), then its source, linked to the
    source's own address; an unverified one says it was not checked against the source's text. Everything from
    the data is escaped: a quotation's URL or HTML stays text."""
    from i18n import gettext_for

    _ = gettext_for(lang)
    out = []
    for b in backings:
        parts = [f'<div class="fp-what">{html.escape(b.what)}</div>']
        for q in b.quotes:
            parts.append(f'<blockquote class="fp-quote" lang="{html.escape(q.lang, quote=True)}">'
                         f"\u201c{html.escape(q.text)}\u201d</blockquote>")
        if b.derived:
            parts.append('<div class="fp-derived">' + html.escape(
                _("computed by Footprint from the quoted figures: {sum}").format(sum=b.derived)) + "</div>")
        if b.unverified:
            parts.append('<div class="fp-unverified"><em>' + html.escape(_("not checked against the source's text"))
                         + "</em></div>")
        src = known.get(b.source_id)
        name = (src.publisher or src.caption) if src is not None else b.source_id
        link = ui.source_link(name, src.url) if src is not None else html.escape(name)
        parts.append('<div class="fp-quote-source">' + html.escape(_("Source")) + ": " + link + "</div>")
        out.append("<li>" + "".join(parts) + "</li>")
    if not out:
        return ""
    title = html.escape(_("In the sources' words"))
    return f'<div class="fp-backings"><p><strong>{title}</strong></p><ul>' + "".join(out) + "</ul></div>"


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
        known = ui.known_sources()
        quoted = backings_html(p.backings, known, lang)
        if quoted:
            st.html(quoted)
        st.markdown("**" + _("Sources") + "**")
        ui.source_list(p.source_ids, known)
        st.caption(ui.md("; ".join(_("{source}: attributed to {who}").format(
            source=ui.source_caption(known[s.source_id]) if s.source_id in known else s.source_id,
            who=s.attributed_to) + (f" ({s.detail})" if s.detail else "") for s in p.sources)))


def exercise_details(e) -> None:
    p = details.exercise_panel(e, ui.lang())
    with st.container(border=True):
        st.markdown(f"### {ui.md(p.title)}\n\n" + _facts(p.facts))
        ui.caption([p.source_id])
