"""The source's words beside every figure. Each rule on quotes, derived figures and our own texts, as a
problem naming file, line, field and rule; the numbers a quote states in digits or words."""
from __future__ import annotations

from pathlib import Path

import pytest

from loaders import deployments
from loaders.records import quotes
from loaders.records.numbers import digit_numbers, number_words, states_number
from tests.recordutil import DECISION_HEAD, write_data

# whitney_2023 is in English (sources.yaml); the vote and the figure carry their quotes.
QUOTED = DECISION_HEAD + """\
  vote:
    in_favour: 70
    against: 31
    abstentions: 6
    source_id: whitney_2023
    attributed_to: article
    quote: {text: "Seventy legislators voted in favour of the resolution, 31 voted against it, and six abstained.", lang: en}
personnel:
  - value: 1172
    source_id: whitney_2023
    attributed_to: article
    quote:
      text: "Congress authorised the entry of 1,172 US troops."
      lang: en
  - value: 970
    source_id: whitney_2023
    attributed_to: article
    quote: {text: "970 soldiers from the Air Force", lang: en}
  - value: 202
    source_id: whitney_2023
    attributed_to: article
    quote: {text: "the other two groups, 202 in all", lang: en}
summary: A test of quoted figures.
summary_es: Una prueba de 1,172 cifras citadas.
our_translation: es
sources:
  - source_id: whitney_2023
    attributed_to: article
"""


def load(tmp_path: Path, text: str) -> tuple[list[str], list[str]]:
    frame, probs = deployments.load_deployments(write_data(tmp_path, {"x": text}))
    return sorted(frame["id"]), [str(p) for p in probs]


def test_quoted_record_loads_and_keeps_its_quotes(tmp_path):
    text = QUOTED.replace("  - value: 202\n", "  - value: 202\n    derived: {op: sum, parts: [42, 160]}\n").replace(
        '    quote: {text: "the other two groups, 202 in all", lang: en}\n', "")
    text = text.replace("  - value: 970\n", "  - value: 42\n    source_id: whitney_2023\n    attributed_to: article\n"
                        "    quote: {text: \"42 Special Forces\", lang: en}\n  - value: 160\n    source_id: whitney_2023\n"
                        "    attributed_to: article\n    quote: {text: \"160 others with nine aircraft\", lang: en}\n"
                        "  - value: 970\n")
    ids, probs = load(tmp_path, text)
    assert probs == [] and ids == ["x"]
    frame, _ = deployments.load_deployments(tmp_path / "data")
    atts = {a["field"]: a for a in frame.iloc[0]["attestations"]}
    assert atts["decision.vote"]["status"] == "quoted"
    assert atts["decision.vote"]["quotes"] == [{"text": "Seventy legislators voted in favour of the resolution, 31 "
                                                "voted against it, and six abstained.", "lang": "en"}]
    assert atts["personnel[4]"]["status"] == "derived" and atts["personnel[4]"]["derived"] == {"op": "sum",
                                                                                               "parts": [42, 160]}
    assert deployments.quote_counts(frame) == {"quoted": 5, "derived": 1, "unverified": 0, "missing": 0}


def test_figure_without_quote_is_a_problem_and_was_a_warning_while_quotes_were_added(tmp_path, monkeypatch):
    text = QUOTED.replace('    quote: {text: "970 soldiers from the Air Force", lang: en}\n', "")
    ids, probs = load(tmp_path, text)
    assert ids == [] and probs == ["deployments/x.yaml:25 personnel[1]: " + quotes.NO_QUOTE]
    monkeypatch.setattr(quotes, "MISSING_IS_PROBLEM", False)  # the phase while the records were being quoted
    ids, probs = load(tmp_path / "b", text)
    assert probs == [] and ids == ["x"]
    lines = deployments.quote_report(tmp_path / "b" / "data")
    assert lines[0] == ("warning: deployments/x.yaml:25 personnel[1]: no quote, unverified or derived: give the "
                        "source's words that state it (see data/deployments/README.md)")
    assert lines[-1] == "figures and texts: 4 in 1 records; quoted 3, derived 0, unverified 0, missing 1"


@pytest.mark.parametrize("rule, old, new, expected", [
    ("quote without its figure", "1,172 US troops", "1,127 US troops",
     "deployments/x.yaml:19 personnel[0].value: 1,172 does not appear in its quote (in digits or in words)"),
    ("vote count missing from the quote", "six abstained", "some abstained",
     "deployments/x.yaml:14 decision.vote.abstentions: 6 does not appear in its quote (in digits or in words)"),
    ("quote in the wrong language", "    quote: {text: \"970 soldiers from the Air Force\", lang: en}",
     "    quote: {text: \"970 soldados de la Fuerza Aérea\", lang: es}",
     ("deployments/x.yaml:28 personnel[1].quote.lang: is 'es' but source 'whitney_2023' is in 'en' "
      "(quote the source's own words)")),
    ("quote too long", "970 soldiers from the Air Force", "970 soldiers " + "and more " * 22,
     "deployments/x.yaml:28 personnel[1].quote: a quote is at most about 40 words (up to 45), this one has 46"),
    ("derived parts not adding up", "    quote: {text: \"the other two groups, 202 in all\", lang: en}",
     "    derived: {op: sum, parts: [42, 150]}",
     "deployments/x.yaml:32 personnel[2].derived.parts: 42 + 150 = 192, not 202"),
    ("derived parts not quoted", "    quote: {text: \"the other two groups, 202 in all\", lang: en}",
     "    derived: {op: sum, parts: [42, 160]}",
     "deployments/x.yaml:32 personnel[2].derived.parts: part 42 is not a quoted figure of this record"),
    ("unverified beside a quote", "    quote: {text: \"970 soldiers from the Air Force\", lang: en}",
     "    quote: {text: \"970 soldiers from the Air Force\", lang: en}\n    unverified: page truncated",
     "deployments/x.yaml:29 personnel[1].unverified: goes alone: a mapping with a quote or derived is not unverified"),
    ("summary copying a quote", "summary: A test of quoted figures.",
     "summary: As reported, seventy legislators voted in favour of the resolution, 31 voted against it, and six abstained.",
     ("deployments/x.yaml:33 summary: shares 12 or more words in a row with a quote of this record: write it in "
      "our own words")),
    ("Spanish number with a point", "Una prueba de 1,172", "Una prueba de 1.172",
     "deployments/x.yaml:34 summary_es: writes 1.172 with a point: Spanish texts write thousands as 1,172 (es-419)"),
    ("quote without lang", "      lang: en\n  - value: 970", "  - value: 970",
     "deployments/x.yaml:22 personnel[0].quote.lang: required"),
])
def test_each_quote_rule_names_file_line_field(tmp_path, rule, old, new, expected):
    assert old in QUOTED, rule
    ids, probs = load(tmp_path, QUOTED.replace(old, new))
    assert ids == [] and expected in probs, (rule, probs)


def test_unverified_reason_is_accepted_and_counted(tmp_path):
    text = QUOTED.replace('    quote: {text: "970 soldiers from the Air Force", lang: en}\n',
                          "    unverified: the stored copy holds only the opening paragraphs\n")
    ids, probs = load(tmp_path, text)
    assert probs == [] and ids == ["x"]
    frame, _ = deployments.load_deployments(tmp_path / "data")
    assert deployments.quote_counts(frame)["unverified"] == 1
    assert [str(p) for p in deployments.unverified_share_problems(frame)] == [
        "deployments unverified: 1 of 4 figures and texts are unverified, more than 10%: quote the source's words"]


@pytest.mark.parametrize("text, n, lang", [
    ("1,172 efectivos", 1172, "es"), ("1.172 efectivos", 1172, "es"), ("1 172 efectivos", 1172, "es"),
    ("1172 efectivos", 1172, "es"), ("1\u00a0172", 1172, None), ("Con setenta votos a favor", 70, "es"),
    ("seis abstenciones", 6, "es"), ("nine aircraft", 9, "en"), ("veintiún soldados", 21, "es"),
    ("mil ciento setenta y dos", 1172, "es"), ("one hundred and sixty", 160, "en"), ("seventy-two", 72, "en"),
    ("dos mil doscientos", 2200, "es"), ("treinta y una naves", 31, "es"),
])
def test_a_quote_states_its_number_in_digits_or_words(text, n, lang):
    assert states_number(text, n, lang)


def test_numbers_not_stated_are_not_found():
    assert not states_number("1,171 efectivos", 1172, "es")
    assert not states_number("setenta votos", 17, "es")
    assert not states_number("seventeen", 70, "en")
    assert digit_numbers("70-31-6") == {70, 31, 6}
    assert number_words(1_000_000, "es") == [] and number_words(5, "pt") == []


def test_show_claims_lists_each_figure_with_its_quote_source_and_url(tmp_path, capsys):
    from loaders.__main__ import main
    from loaders.claims import claims_report

    text = QUOTED.replace('    quote: {text: "970 soldiers from the Air Force", lang: en}\n',
                          "    unverified: the stored copy holds only the opening paragraphs\n")
    load(tmp_path, text)
    lines = claims_report(tmp_path / "data", "x")
    url = "https://www.counterpunch.org/2023/06/09/the-implications-of-new-us-troop-arrivals-in-peru/"
    assert lines[0] == "x: Test decision (deployments/x.yaml)"
    body = "\n".join(lines)
    assert ("decision.vote (line 11): 70 in favour, 31 against, 6 abstentions\n  attributed to: article\n"
            f"  source: CounterPunch, \"The Implications of New US Troop Arrivals in Peru\" (en) {url}\n"
            "  quotation, in en:\n    \u201cSeventy legislators voted in favour of the resolution, 31 voted against it, "
            "and six abstained.\u201d") in body
    assert "personnel[1] (line 25): 970\n" in body
    assert "  unverified: the stored copy holds only the opening paragraphs" in body
    assert body.index("decision.vote") < body.index("personnel[0]") < body.index("personnel[1]")
    assert main(["show", "claims"]) == 2
    assert "needs --id" in capsys.readouterr().err
