"""The Sources page's lists, from sources.yaml's origin blocks: a data set's facts and the public reporting as
one table, in the reader's language. Plain text: the page escapes it for HTML. No Streamlit here."""
from __future__ import annotations

import re

import pandas as pd

import i18n
from i18n import N_
from loaders import changes
from loaders.sources import needs_spanish

KIND_NAMES = {"official-us": N_("official, US"), "official-host": N_("official, host government"),
              "wire-press": N_("wire or major press"), "specialist-press": N_("specialist press"),
              "advocacy-opinion": N_("advocacy or opinion")}


def dataset_facts(s, lang: str = "en") -> list[tuple[str, str]]:
    """A data set's producer, address, access date, licence, republishing terms, use, citation, caveats and notes
    ((label, text) pairs, the empty ones left out); the address is the second pair."""
    _ = i18n.gettext_for(lang)
    worded = needs_spanish(s)  # the rest reads the same in every language (a date, file names)

    def own(key: str) -> str:
        return i18n.localized(s, key, lang, mark=key in worded)

    facts = [(_("Producer"), s.producer), (_("Where"), s.url), (_("Accessed"), own("accessed")),
             (_("Licence"), own("licence")), (_("Republishing"), own("republish")), (_("Used for"), own("used_for")),
             (_("Cite as"), i18n.dates_in_text(i18n.localized(s, "citation", lang, mark=False), lang)),
             (_("Caveats"), i18n.localized(s, "caveats", lang)), (_("Notes"), i18n.localized(s, "notes", lang))]
    return [(k, v) for k, v in facts if v]


def reporting_table(sources: dict, lang: str = "en") -> pd.DataFrame:
    """The public reporting (every source with a ``kind``), newest first: published (as a date text), publisher,
    title, kind, language in ``lang``'s headers, plus ``url`` and ``id``."""
    _ = i18n.gettext_for(lang)
    rows = [{"published": s.published, _("Published"): i18n.date_text(s.published, "day", lang),
             _("Publisher"): s.publisher or s.producer, _("Title"): s.title,
             _("Kind"): _(KIND_NAMES.get(s.kind, s.kind)), _("Language"): s.language, "url": s.url, "id": sid}
            for sid, s in sources.items() if s.kind]
    frame = pd.DataFrame(rows, columns=["published", _("Published"), _("Publisher"), _("Title"), _("Kind"),
                                        _("Language"), "url", "id"])
    return frame.sort_values(["published", "id"], ascending=[False, True]).drop(columns=["published"])


def latest_changes(lang: str = "en", entry: dict | None = None) -> tuple[str, list[str]] | None:
    """The latest data version's change-log entry (changelog/data-changes.yaml) as a heading line and its summary
    lines in ``lang``; None when there is no entry."""
    entry = changes.latest() if entry is None else entry
    if not entry:
        return None
    _ = i18n.gettext_for(lang)
    head = _("Data version {version} ({date}), compared with {old} ({old_date}):").format(
        version=entry["version"], date=i18n.date_text(entry["date"], "day", lang),
        old=entry["compared_with"]["version"], old_date=i18n.date_text(entry["compared_with"].get("date"), "day", lang))
    return head, changes.summary(entry, lang)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def upstream_dates(sources: dict, troop_reports: pd.DataFrame | None, lang: str = "en") -> list[tuple[str, str]]:
    """(what, date text) pairs, shown as "what: date text": the latest troop report in the data (DMDC), then each
    data set's name with the day it was last read (the latest date in its ``accessed`` field, "read on 6 June
    2026"), newest first. The verb goes with the date, not the name: "DMDC: read on:" read as a stray colon."""
    _ = i18n.gettext_for(lang)
    out = []
    if troop_reports is not None and not troop_reports.empty:
        present = troop_reports[troop_reports["status"] == "present"] if "status" in troop_reports else troop_reports
        if not present.empty:
            out.append((_("Latest troop report (DMDC)"), i18n.date_text(present["date"].max(), "day", lang)))
    read = []
    for sid, s in sources.items():
        if s.kind:  # public reporting: listed with its own dates below
            continue
        dates = _ISO_DATE.findall(s.accessed or "")
        if dates:
            read.append((max(dates), i18n.translation_of(s, "short", lang) or s.caption or s.title))
    for day, name in sorted(read, reverse=True):
        out.append((name, _("read on {date}").format(date=i18n.date_text(day, "day", lang))))
    return out
