"""The detail panel of one named deployment, operation or host-country decision, and of one MME exercise, as
typed records in the reader's language: the facts (label, value), the summary, the detachments' table, the
other claims and the sources with who said what. Plain text: the page escapes it for Markdown. No Streamlit."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

import i18n
from loaders.records.model import Quote

from .places import entity
from .records import dates, record_name


@dataclass(frozen=True)
class Claim:
    """Another reported figure or statement, with who it is attributed to."""
    text: str
    attributed_to: str


@dataclass(frozen=True)
class SourceNote:
    """One source of a record, who in it said what, and the detail it gives (a page, a paragraph)."""
    source_id: str
    attributed_to: str
    detail: str


@dataclass(frozen=True)
class Backing:
    """The source's words behind one figure or attributed text of a record: ``what`` states it as the panel does
    (in the reader's language); ``quotes`` are the source's words; ``unverified`` says the stored copy of the
    source could not show them; ``derived`` is the sum Footprint computed ("970 + 42 + 160 = 1,172")."""
    what: str
    quotes: list[Quote]  # the record format's own type: the source's words, in the source's language
    source_id: str
    unverified: bool
    derived: str


@dataclass(frozen=True)
class DeploymentPanel:
    """What the panel of one record shows: ``facts`` are (label, text) pairs, only those with a text."""
    id: str
    title: str
    facts: list[tuple[str, str]]
    summary: str
    detachments: pd.DataFrame | None  # one row per detachment, columns in the reader's language, plus source_id
    claims: list[Claim]
    sources: list[SourceNote]
    backings: list[Backing] = field(default_factory=list)  # every figure and claim with the source's words

    @property
    def source_ids(self) -> list[str]:
        return [s.source_id for s in self.sources if s.source_id]


@dataclass(frozen=True)
class ExercisePanel:
    title: str
    facts: list[tuple[str, str]]
    source_id: str


def text(v) -> str:
    """A field as text; missing (None, NaN, NaT) is ""."""
    if v is None or (not isinstance(v, (list, dict, str)) and pd.isna(v)):
        return ""
    return str(v)


def items(v) -> list:
    """A list field of a record (services, personnel, detachments, claims, sources); missing (None/NaN) -> []."""
    return list(v) if isinstance(v, (list, tuple)) else []


def mapping(v) -> dict:
    """A nested record (decision, vote, period, ...); missing -> {}."""
    return v if isinstance(v, dict) else {}


def who(part: Mapping, lang: str = "en", key: str = "attributed_to") -> str:
    """Who a figure or text is attributed to, in the reader's language (its ``attributed_to_<lang>``)."""
    return i18n.localized(part, key, lang) if text(part.get(key)) else ""


def _top_figure(d: Mapping) -> dict:
    """The record's largest figure (its ``personnel_max`` columns) as a figure mapping."""
    return {"value": d.get("personnel_max"), "attributed_to": d.get("personnel_attributed_to"),
            "attributed_to_es": d.get("personnel_attributed_to_es"), "detail": d.get("personnel_detail"),
            "detail_es": d.get("personnel_detail_es")}


def figure_text(f: Mapping, lang: str = "en") -> str:
    """"1,200, attributed to X (detail)": one reported figure with its attribution."""
    _ = i18n.gettext_for(lang)
    out = _("{n}, attributed to {who}").format(n=i18n.num(f.get("value"), lang), who=who(f, lang))
    if text(f.get("detail")):
        out += f" ({i18n.localized(f, 'detail', lang)})"
    return out


def personnel_text(d: Mapping, lang: str = "en") -> str:
    """Every attributed personnel figure; else the largest one with its attribution; else "not reported"."""
    figures = [f for f in items(d.get("personnel")) if isinstance(f, dict) and f.get("value") is not None]
    if figures:
        return "; ".join(figure_text(f, lang) for f in figures)
    if pd.notna(d.get("personnel_max")):
        return figure_text({**_top_figure(d), "detail": None}, lang)
    _ = i18n.gettext_for(lang)
    return _("not reported")


def purpose_text(d: Mapping, lang: str = "en") -> str:
    if not text(d.get("purpose")):
        return ""
    purpose = i18n.localized(d, "purpose", lang)
    if text(d.get("purpose_attributed_to")):
        _ = i18n.gettext_for(lang)
        purpose += " " + _("(attributed to {who})").format(who=who(d, lang, "purpose_attributed_to"))
    return purpose


def record_facts(d: Mapping, lang: str = "en") -> list[tuple[str, str]]:
    """Kind and status, place, period, organiser, services, personnel and purpose."""
    _ = i18n.gettext_for(lang)
    iso3 = text(d.get("iso3"))
    return [(_("Kind"), f"{_(text(d.get('kind')))} ({_(text(d.get('status')))})"),
            (_("Where"), i18n.country(iso3, entity(iso3)[0], lang) if iso3 else ""),
            (_("When"), dates(d.get("start"), d.get("end"), text(d.get("date_precision")), lang)),
            (_("Organiser"), i18n.localized(d, "organiser", lang)),
            (_("Services"), ", ".join(_(x) for x in items(d.get("services")))),
            (_("Personnel (as reported)"), personnel_text(d, lang)),
            (_("Purpose"), purpose_text(d, lang))]


def _vote_text(vote: dict, lang: str) -> str:
    if not vote:
        return ""
    _ = i18n.gettext_for(lang)
    return _("{yes} in favour, {no} against, {abstain} abstentions ({who})").format(
        yes=text(vote.get("in_favour")), no=text(vote.get("against")), abstain=text(vote.get("abstentions")),
        who=who(vote, lang))


def _period_text(period: dict, lang: str) -> str:
    if not period:
        return ""
    start = pd.Timestamp(period["start"]) if period.get("start") else pd.NaT
    end = pd.Timestamp(period["end"]) if period.get("end") else pd.NaT
    return dates(start, end, "day", lang)


def _translated(part: dict, lang: str) -> str:
    """A nested text with its translations ({"text": ..., "text_<lang>": ...})."""
    return i18n.localized(part, "text", lang) if part else ""


def _regions_text(dec: dict, lang: str) -> str:
    """The regions a decision names, as its ``regions_<lang>`` list gives them where it has one."""
    regions = [text(r) for r in items(dec.get("regions"))]
    translated = [text(r) for r in items(dec.get(f"regions_{i18n.norm(lang)}"))] if i18n.norm(lang) != i18n.DEFAULT else []
    if translated or not regions:
        return ", ".join(translated or regions)
    return i18n.localized({"regions": ", ".join(regions)}, "regions", lang)


def decision_facts(dec: dict, lang: str = "en") -> list[tuple[str, str]]:
    """A host-country decision: its type, body, instrument, date, vote, period, authorised figure, regions,
    weapons and result."""
    _ = i18n.gettext_for(lang)
    auth = mapping(dec.get("us_personnel_authorised"))
    return [(_("Decision"), _(text(dec.get("type")))),
            (_("Decided by"), i18n.localized(dec, "body", lang)),
            (_("Instrument"), i18n.localized(dec, "instrument", lang)),
            (_("Decided on"), i18n.date_text(dec.get("decided"), "day", lang) if dec.get("decided") else ""),
            (_("Vote"), _vote_text(mapping(dec.get("vote")), lang)),
            (_("Period authorised"), _period_text(mapping(dec.get("period")), lang)),
            (_("US personnel authorised"), figure_text(auth, lang) if auth.get("value") is not None else ""),
            (_("Regions"), _regions_text(dec, lang)),
            (_("Weapons"), _translated(mapping(dec.get("weapons")), lang)),
            (_("Result"), _translated(mapping(dec.get("result")), lang))]


def summary_text(d: Mapping, lang: str = "en") -> str:
    """The summary in ``lang``, marked "(our translation)" where the project translated it."""
    summary = i18n.localized(d, "summary", lang)
    # the record says which language's text is Footprint's own translation of the source's
    if summary and d.get("our_translation") == lang and i18n.translation_of(d, "summary", lang):
        _ = i18n.gettext_for(lang)
        summary += " " + _("(our translation)")
    return summary


def detachments_frame(d: Mapping, lang: str = "en") -> pd.DataFrame | None:
    """The detachments as a table (headers in ``lang``, whole-number counts, missing kept missing), or None."""
    _ = i18n.gettext_for(lang)
    dets = items(d.get("detachments"))
    if not dets:
        return None
    frame = pd.DataFrame([{_("Detachment"): i18n.localized(x, "name", lang), _("Personnel"): x.get("personnel"),
                           _("Aircraft"): x.get("aircraft"),
                           _("Description"): i18n.localized(x, "description", lang),
                           _("Attributed to"): who(x, lang), "source_id": x.get("source_id")}
                          for x in dets])
    return frame.astype({_("Personnel"): "Int64", _("Aircraft"): "Int64"})


_FIELD = re.compile(r"(\w+)(?:\[(\d+)\])?(?:\.(\w+))?")


def _item(d: Mapping, name: str) -> Mapping:
    """The part of a record an attestation's ``field`` names (``personnel[1]``, ``decision.vote``, ``claims[0]``)."""
    m = _FIELD.fullmatch(name)
    if not m:
        return {}
    key, index, sub = m.group(1), m.group(2), m.group(3)
    if key == "personnel_max":
        return _top_figure(d)
    if key == "purpose":
        return {"text": d.get("purpose"), "text_es": d.get("purpose_es")}
    part = mapping(d.get("decision")).get(sub) if key == "decision" else d.get(key)
    if index is not None:
        listed = items(part)
        part = listed[int(index)] if int(index) < len(listed) else None
    return mapping(part)


def _backed_what(d: Mapping, name: str, lang: str) -> str:
    """A figure or attributed text stated as the panel states it, with its label, in ``lang``."""
    _ = i18n.gettext_for(lang)
    part = _item(d, name)
    key = name.split("[")[0].split(".")[-1]
    if key in ("personnel_max", "personnel"):
        return _("Personnel (as reported)") + ": " + figure_text(part, lang)
    if key == "us_personnel_authorised":
        return _("US personnel authorised") + ": " + figure_text(part, lang)
    if key == "vote":
        return _("Vote") + ": " + _vote_text(part, lang)
    if key == "purpose":
        return _("Purpose") + ": " + purpose_text(d, lang)
    if key == "detachments":
        ngettext = i18n.ngettext_for(lang)
        counts = []
        if part.get("personnel") is not None:
            counts.append(ngettext("{n} person", "{n} personnel", int(part["personnel"])))
        if part.get("aircraft") is not None:
            counts.append(ngettext("{n} aircraft", "{n} aircraft", int(part["aircraft"])))
        if part.get("ships") is not None:
            counts.append(ngettext("{n} ship", "{n} ships", int(part["ships"])))
        counts = [c.format(n=i18n.num(part.get(k), lang)) for c, k in
                  zip(counts, [k for k in ("personnel", "aircraft", "ships") if part.get(k) is not None])]
        return _("Detachment") + f" {i18n.localized(part, 'name', lang)}" + (": " + ", ".join(counts) if counts else "")
    if key in ("weapons", "result"):
        return (_("Weapons") if key == "weapons" else _("Result")) + ": " + _translated(part, lang)
    by = who(part, lang)
    return i18n.localized(part, "text", lang) + (f" ({by})" if by else "")


def _quote(q: Mapping) -> Quote:
    # built without validating again: `loaders check` validated it, and a panel shows what a file gives
    return Quote.model_construct(text=text(q.get("text")), lang=text(q.get("lang")))


def backings(d: Mapping, lang: str = "en") -> list[Backing]:
    """Every figure and attributed text of a record (its ``attestations``, in the file's order) with the source's
    own words, or the mark that they could not be checked, or the sum Footprint computed."""
    out = []
    for att in sorted(items(d.get("attestations")), key=lambda a: a.get("line") or 0):
        derived = mapping(att.get("derived"))
        parts = [int(p) for p in items(derived.get("parts"))]
        out.append(Backing(
            what=_backed_what(d, text(att.get("field")), lang),
            quotes=[_quote(q) for q in items(att.get("quotes"))],
            source_id=text(att.get("source_id")), unverified=bool(att.get("unverified")),
            derived=(" + ".join(i18n.num(p, lang) for p in parts) + " = " + i18n.num(sum(parts), lang)) if parts else ""))
    return out


def deployment_panel(d: Mapping, lang: str = "en") -> DeploymentPanel:
    """One record (a row of the deployments table, as a Series or dict) as its panel shows it."""
    facts = record_facts(d, lang)
    dec = mapping(d.get("decision"))
    if dec:
        facts += decision_facts(dec, lang)
    record = d.to_dict() if isinstance(d, pd.Series) else dict(d)
    return DeploymentPanel(
        id=text(d.get("id")), title=record_name(record, lang), facts=[(k, v) for k, v in facts if v],
        summary=summary_text(d, lang), detachments=detachments_frame(d, lang),
        claims=[Claim(i18n.localized(c, "text", lang), who(c, lang)) for c in items(d.get("claims"))],
        sources=[SourceNote(text(s.get("source_id")), who(s, lang), i18n.localized(s, "detail", lang))
                 for s in items(d.get("sources"))],
        backings=backings(d, lang))


def exercise_panel(e: Mapping, lang: str = "en") -> ExercisePanel:
    """One MME exercise: series, location, period, kinds, participants and focus."""
    _ = i18n.gettext_for(lang)
    facts = [(_("Series"), text(e.get("series"))), (_("Location"), text(e.get("location"))),
             (_("When"), dates(e.get("start"), e.get("end"), text(e.get("date_precision")), lang)),
             (_("Kinds"), text(e.get("kinds")).replace(";", ", ")),
             (_("Participants"), f"{text(e.get('n_participants'))}: {text(e.get('participant_names'))}"),
             (_("Focus"), text(e.get("focus")))]
    name = text(e.get("name")) or _("Unnamed exercise, {place}").format(place=text(e.get("location")))
    return ExercisePanel(title=name, facts=[(k, v) for k, v in facts if v], source_id=text(e.get("source_id")))
