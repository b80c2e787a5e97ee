"""The release report and the output file: every redaction accounted for, nothing removed left in.

The report travels with the released file, so it must say what was done
(position, category, rule, the consent behind each keep) without ever
holding what was taken out.
"""
from __future__ import annotations

import re

import pytest

from conftest import SPECIAL_SENTENCES, consent
from redactor.detectors.vocabulary import SPECIAL
from redactor.pipeline import Pipeline

#: Distinctive third-party details, each unmistakable if it survives anywhere.
PLANTED = {
    "names": ["Thaddeus Quigglesworth", "Quigglesworth", "Persephone Blackwood"],
    "phones": ["07700 900987", "01632 960444"],
    "address": ["17 Juniper Crescent", "LS6 2QQ"],
    "email": ["thaddeus.q@example.com"],
    "special": ["schizophrenia"],
}

REPORT = """Support report: Sarah Collins

Sarah's ex-partner, Thaddeus Quigglesworth, lives at 17 Juniper Crescent, Leeds LS6 2QQ.
His mobile is 07700 900987 and his e-mail address is thaddeus.q@example.com.
Mr Quigglesworth was diagnosed with schizophrenia in 2019.
Sarah's sister, Persephone Blackwood, can be reached on 01632 960444.
Sarah has been diagnosed with depression.
Sarah told me that she drinks alcohol most evenings.
Her social worker, Jane Porter of Leeds City Council, is aware of this report.
"""


def _all_removed(report_text: str) -> list[str]:
    return [s for group in PLANTED.values() for s in group if s.lower() in report_text.lower()]


@pytest.fixture
def released(make_workspace, redact):
    workspace = make_workspace("dv_service", consents=[consent("court", ["health"], evidence="signed form 12/3")])
    return redact(workspace, REPORT, to="court")


def test_removed_text_is_nowhere_in_the_report_or_the_output(released):
    assert _all_removed(released.raw_report) == []
    assert _all_removed(released.text) == []
    assert "alcohol" not in released.raw_report and "alcohol" not in released.text  # no substance_use consent


def test_the_report_lists_every_redaction_with_position_category_and_rule(released):
    report = released.report
    assert report["client"] == "C-1" and report["recipient"] == "court" and report["org"] == "dv_service"
    assert report["redactions"], "the planted details must have been removed"
    text_length = len(REPORT)
    for entry in report["redactions"]:
        assert 0 <= entry["start"] < entry["end"] <= text_length
        assert entry["category"] and entry["rule"] and entry["reason"]
        assert entry["decision"] == "remove" and entry["label"].startswith("[")
        # every removed finding is covered by a replacement applied to the file
        assert any(a["start"] <= entry["start"] and entry["end"] <= a["end"] for a in report["applied"]), entry
    categories = {e["category"] for e in report["redactions"]}
    assert {"third_party.identity", "third_party.contact", "third_party.special",
            "special.substance_use"} <= categories
    # each planted detail sits inside some reported redaction
    for needle in ("Thaddeus Quigglesworth", "07700 900987", "17 Juniper Crescent", "01632 960444"):
        start = REPORT.index(needle)
        assert any(e["start"] <= start < e["end"] for e in report["redactions"]), needle


def test_every_keep_by_consent_names_the_consent_record(released):
    kept = released.report["kept"]
    by_consent = [e for e in kept if e["category"] == "special.health"]
    assert by_consent, "the health sentence is kept by consent"
    for entry in by_consent:
        record = entry["consent"]
        assert record["recipient"] == "court" and "health" in record["scopes"]
        assert record["evidence"] == "signed form 12/3" and record["given"] and isinstance(record["id"], int)
    for entry in kept:
        assert entry["decision"] == "keep" and entry["label"] is None
        if entry["category"] in ("client.identity", "professional"):
            assert entry["consent"] is None and "always" in entry["reason"]


def test_the_report_records_the_verification_and_hashes(released):
    report = released.report
    assert report["verification"]["result"] == "clean" and report["verification"]["strings_checked"] > 0
    assert re.fullmatch(r"[0-9a-f]{64}", report["input_sha256"])
    assert report["input_sha256"] != report["output_sha256"]


# --- --term ----------------------------------------------------------------------

TERM_REPORT = """Report about Sarah Collins.

Sarah met her friend at the Blue Harbour Café on Tuesday.
They argued outside the BLUE HARBOUR CAFÉ, and the manager of the Blue
Harbour Café called a taxi. Sarah said she would never go back to blue harbour café.
"""


def test_a_term_is_removed_everywhere_case_insensitively_and_across_line_breaks(make_workspace, redact):
    result = redact(make_workspace("wmwa"), TERM_REPORT, terms=["Blue Harbour Café"])
    assert "harbour" not in result.text.lower()
    assert "Blue" not in result.text and "Café" not in result.text
    terms = [e for e in result.report["redactions"] if e["category"] == "manual"]
    assert len(terms) == 4 and all(e["rule"] == "manual:--term" for e in terms)
    assert "harbour" not in result.raw_report.lower()
    assert "Sarah met her friend at the" in result.text  # the rest of the sentence stays


def test_a_term_typed_with_a_straight_apostrophe_removes_a_curly_one(make_workspace, redact):
    result = redact(make_workspace("wmwa"), "Report about Sarah Collins.\n\nShe mentioned O’Brien’s Yard.\n",
                    terms=["O'Brien's Yard"])
    assert "brien" not in result.text.lower()


def test_a_term_is_removed_even_where_policy_would_keep_it(make_workspace, redact):
    # the client's own name is always kept, unless the person releasing names it
    result = redact(make_workspace("dv_service"), TERM_REPORT, terms=["Sarah"])
    assert "sarah" not in result.text.lower()


# --- labels ------------------------------------------------------------------------

SPECIALS = """Report about Sarah Collins.

""" + SPECIAL_SENTENCES + """Her son, Jack Collins, attends Hillside Primary School.
Her partner, Darren Smith, was diagnosed with epilepsy.
"""
CATEGORY_WORDS = re.compile(r"hiv|aids|sexual|rape|health|medical|mental|drug|alcohol|substance|refuge|"
                            r"location|counsel|session|religio|crimin|special|diagnos|pregnan", re.IGNORECASE)


def test_labels_never_name_a_special_category(make_workspace, redact):
    workspace = make_workspace("dv_service")
    result = redact(workspace, SPECIALS, to="court")
    labels = {e["label"] for e in result.report["redactions"]} | {a["label"] for a in result.report["applied"]}
    assert len(result.report["redactions"]) >= 7
    vocabulary = Pipeline(workspace).vocabulary
    for label in labels:
        assert not CATEGORY_WORDS.search(label), label
        assert not any(pattern.search(label) for pattern in vocabulary.values()), label
    # and the output shows no special-category word from the report
    for word in ("HIV", "raped", "depression", "cannabis", "refuge", "counselling", "criminal", "epilepsy"):
        assert word not in result.text


def test_the_default_vocabulary_covers_every_special_category():
    from redactor.model import CATEGORIES, CIRCUMSTANCES, STAFF_LIFE

    assert {c for c in CATEGORIES if c.startswith("special.")} | {CIRCUMSTANCES, STAFF_LIFE} == set(SPECIAL)
