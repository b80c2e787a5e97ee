"""The base policy table, consent in force, and each organisation's own rules.

Inline reports use clear-cut sentences, one per category, so each assertion
is about policy (what the table keeps for which consent), not about subtle
detection choices.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from conftest import SPECIAL_SENTENCES, consent
from redactor.cli import main as cli
from redactor.errors import ReleaseRefused
from redactor.model import SCOPES
from redactor.policy.base import TABLE

REPORT = """Report about Sarah Collins.

Her partner, Darren Smith, lives at 4 Oak Road, Leeds LS1 1AA. His number is 07700 900123.
Sarah's mobile is 07700 900456.
Date of birth: 14/03/1989.
""" + SPECIAL_SENTENCES + """Darren was diagnosed with schizophrenia last year.
Sarah is behind with her rent and owes £900 in arrears.
Darren was made bankrupt in 2022.
PC Daniel Okafor of West Mercia Police can be reached on 01632 960215.
If you need me out of hours, my personal mobile is 07700 900355.
"""

#: category -> (the scope that keeps it, strings of REPORT that are that category)
CONSENTED = {
    "client.contact": ("contact", ["07700 900456"]),
    "client.identifiers": ("identifiers", ["14/03/1989"]),
    "third_party.identity": ("third_party", ["Darren Smith"]),
    "special.hiv": ("hiv", ["HIV positive"]),
    "special.sexual_violence": ("sexual_violence", ["raped in 2019"]),
    "special.health": ("health", ["diagnosed with depression"]),
    "special.substance_use": ("substance_use", ["cannabis"]),
    "special.location": ("location", ["refuge in Leeds"]),
    "special.counselling": ("counselling", ["her childhood"]),
    "special.other": ("special", ["criminal record"]),
}
#: categories never released, whatever the consent
NEVER = {
    "third_party.contact": ["4 Oak Road", "07700 900123"],
    "third_party.special": ["schizophrenia", "made bankrupt"],
    "staff.personal": ["07700 900355"],
}
ALWAYS = {
    "client.identity": ["Sarah Collins"],
    "client.circumstances": ["owes £900 in arrears"],
    "professional": ["PC Daniel Okafor", "West Mercia Police", "01632 960215"],
}
ALL_SCOPES = [scope for scope, _ in CONSENTED.values()]


def _present(output: str, strings: list[str]) -> list[str]:
    return [s for s in strings if s.lower() in output.lower()]


def test_the_table_covers_every_category_and_every_scope():
    from redactor.model import CATEGORIES

    assert set(TABLE) == set(CATEGORIES)
    assert {scope for scope, _ in TABLE.values()} - {"always", "never"} == set(SCOPES)
    assert set(CONSENTED) | set(NEVER) | set(ALWAYS) == set(CATEGORIES) - {"manual"}


def test_without_consent_only_what_is_always_kept_is_kept(make_workspace, redact):
    result = redact(make_workspace("dv_service"), REPORT, to="court")
    for category, (_, strings) in CONSENTED.items():
        assert not _present(result.text, strings), category
    for category, strings in NEVER.items():
        assert not _present(result.text, strings), category
    for category, strings in ALWAYS.items():
        assert _present(result.text, strings) == strings, category
    kept = {entry["category"] for entry in result.report["kept"]}
    assert kept <= set(ALWAYS)


@pytest.mark.parametrize("category", sorted(CONSENTED))
def test_each_scope_keeps_its_own_category_only(make_workspace, redact, category):
    scope, strings = CONSENTED[category]
    workspace = make_workspace("dv_service", consents=[consent("court", [scope])])
    result = redact(workspace, REPORT, to="court")
    assert _present(result.text, strings) == strings
    for other, (other_scope, other_strings) in CONSENTED.items():
        if other_scope != scope:
            assert not _present(result.text, other_strings), f"{other} kept by consent for {scope}"
    kept = [e for e in result.report["kept"] if e["category"] == category]
    assert kept and all(e["consent"] and scope in e["consent"]["scopes"] for e in kept)


def test_never_categories_are_removed_even_with_every_scope(make_workspace, redact):
    workspace = make_workspace("dv_service", consents=[consent("court", SCOPES)])
    result = redact(workspace, REPORT, to="court")
    for category, (_, strings) in CONSENTED.items():
        assert _present(result.text, strings) == strings, category
    for category, strings in NEVER.items():
        assert not _present(result.text, strings), category


def test_consent_for_another_recipient_does_not_count(make_workspace, redact):
    workspace = make_workspace("dv_service", consents=[consent("gp", SCOPES)])
    result = redact(workspace, REPORT, to="court")
    for category, (_, strings) in CONSENTED.items():
        assert not _present(result.text, strings), category


# --- subject access -----------------------------------------------------------

def test_subject_access_keeps_the_clients_own_information_without_consent(make_workspace, redact):
    result = redact(make_workspace("dv_service"), REPORT, to="client")
    for category, (_, strings) in CONSENTED.items():
        if category != "third_party.identity":
            assert _present(result.text, strings) == strings, category
    for strings in ALWAYS.values():
        assert _present(result.text, strings) == strings


def test_subject_access_never_releases_other_peoples_information(make_workspace, redact):
    # consent to share third parties "with the client" does not override the table
    workspace = make_workspace("dv_service", consents=[consent("client", SCOPES)])
    result = redact(workspace, REPORT, to="client")
    assert not _present(result.text, ["Darren Smith", "Darren"])
    for strings in NEVER.values():
        assert not _present(result.text, strings)


# --- consent in force -----------------------------------------------------------

HEALTH = "Report about Sarah Collins.\n\nSarah has been diagnosed with depression.\n"


@pytest.mark.parametrize("record, kept", [
    (consent("court", ["health"]), True),
    (consent("court", ["health"], given=date.today() - timedelta(days=400),
             expires=date.today() - timedelta(days=1)), False),
    (consent("court", ["health"], given=date.today() - timedelta(days=400), expires=date.today()), True),
    (consent("court", ["health"], given=date.today() + timedelta(days=7)), False),
    (consent("court", ["health"], given=date.today()), True),
], ids=["in-force", "expired-yesterday", "expires-today", "given-in-future", "given-today"])
def test_only_consent_in_force_today_counts(make_workspace, redact, record, kept):
    result = redact(make_workspace("dv_service", consents=[record]), HEALTH, to="court")
    assert ("depression" in result.text) is kept


def test_withdrawn_consent_removes_what_was_kept(make_workspace, redact, capsys):
    workspace = make_workspace("dv_service", consents=[consent("court", ["health"]), consent("gp", ["health"])])
    assert "depression" in redact(workspace, HEALTH, to="court").text

    assert cli(["--workspace", str(workspace.root), "consent", "withdraw", "C-1", "--to", "court"]) == 0
    assert "withdrew 1 consent record(s)" in capsys.readouterr().out
    assert "depression" not in redact(workspace, HEALTH, to="court").text
    assert "depression" in redact(workspace, HEALTH, to="gp").text  # only the court consent went

    assert cli(["--workspace", str(workspace.root), "consent", "withdraw", "C-1"]) == 0
    assert "depression" not in redact(workspace, HEALTH, to="gp").text


# --- organisations' own rules -----------------------------------------------------

def test_dv_service_refuses_any_release_to_a_partner_whatever_the_consent(make_workspace, redact):
    workspace = make_workspace("dv_service", consents=[consent("partner", SCOPES)])
    with pytest.raises(ReleaseRefused, match="partner"):
        redact(workspace, HEALTH, to="partner")


def test_dv_service_never_passes_on_hiv_or_rape_without_permission(make_workspace, redact):
    workspace = make_workspace("dv_service", consents=[consent("court", ["health", "third_party"])])
    result = redact(workspace, REPORT, to="court")
    assert not _present(result.text, ["HIV", "raped"])


@pytest.mark.parametrize("recipient", ["court", "partner_agency", "client"])
def test_wmwa_states_confidential_on_every_release(make_workspace, redact, recipient):
    result = redact(make_workspace("wmwa"), HEALTH, to=recipient)
    first_line = result.text.splitlines()[0]
    assert "CONFIDENTIAL" in first_line
    assert result.report["statements"] and "CONFIDENTIAL" in result.report["statements"][0]


def test_a_removed_word_the_confidential_statement_also_uses_does_not_hold_the_release(make_workspace, redact):
    text = "Sarah's sister, Gemma Lowe, lives in Worcester and visits often.\n"
    result = redact(make_workspace("wmwa"), text, to="court", terms=["Worcester"])
    assert result.error is None, result.error
    body = result.text.split("\n", 1)[1]  # the statement is the first line, the report follows
    assert "Worcester" in result.text.splitlines()[0] and "Worcester" not in body


def test_other_organisations_add_no_confidential_statement(make_workspace, redact):
    result = redact(make_workspace("dv_service"), HEALTH, to="court")
    assert "CONFIDENTIAL" not in result.text and result.report["statements"] == []


PREGNANT_USING = ("Report about Sarah Collins.\n\nSarah is 20 weeks pregnant.\n"
                  "Sarah told me she has been using heroin again.\n")
USING_ONLY = "Report about Sarah Collins.\n\nSarah told me she has been using heroin again.\n"
PREGNANT_ONLY = "Report about Sarah Collins.\n\nSarah is 20 weeks pregnant.\nShe attends every appointment.\n"


@pytest.mark.parametrize("recipient", ["probation", "gp", "client"])
def test_day_mer_raises_the_maternity_notice_for_a_pregnant_drug_using_client(make_workspace, redact, recipient):
    result = redact(make_workspace("day_mer"), PREGNANT_USING, to=recipient)
    assert [n["code"] for n in result.report["notices"]] == ["maternity_social_work"]


@pytest.mark.parametrize("text", [USING_ONLY, PREGNANT_ONLY], ids=["not-pregnant", "not-using"])
def test_day_mer_raises_no_notice_without_both(make_workspace, redact, text):
    assert redact(make_workspace("day_mer"), text, to="probation").report["notices"] == []


def test_the_maternity_notice_is_day_mers_alone(make_workspace, redact):
    assert redact(make_workspace("dv_service"), PREGNANT_USING, to="probation").report["notices"] == []


def test_carers_wales_refuses_a_partner_without_consent(make_workspace, redact):
    with pytest.raises(ReleaseRefused, match="consent"):
        redact(make_workspace("carers_wales"), HEALTH, to="partner")
    expired = consent("partner", ["health"], given=date.today() - timedelta(days=60),
                      expires=date.today() - timedelta(days=1))
    with pytest.raises(ReleaseRefused):
        redact(make_workspace("carers_wales", consents=[expired]), HEALTH, to="partner")


def test_carers_wales_releases_to_a_partner_with_consent_in_force(make_workspace, redact):
    workspace = make_workspace("carers_wales", consents=[consent("partner", ["health"])])
    result = redact(workspace, HEALTH, to="partner")
    assert "depression" in result.text


@pytest.mark.parametrize("evidence, counts", [
    ("signed consent form", True),
    ("e-mail from the client, 3 May", True),
    ("verbal consent on the phone", False),
    ("client said yes at drop-in", False),
])
def test_group_template_counts_only_consent_by_signed_form_or_email(make_workspace, redact, evidence, counts):
    workspace = make_workspace("group_template", consents=[consent("court", ["health"], evidence=evidence)])
    result = redact(workspace, HEALTH, to="court")
    assert ("depression" in result.text) is counts


def test_group_template_uses_accepted_consent_when_some_is_not(make_workspace, redact):
    records = [consent("court", ["health"], evidence="verbal"), consent("court", ["substance_use"],
                                                                        evidence="signed form")]
    text = HEALTH + "Sarah uses cannabis most days.\n"
    result = redact(make_workspace("group_template", consents=records), text, to="court")
    assert "cannabis" in result.text and "depression" not in result.text


def test_other_organisations_accept_verbal_consent(make_workspace, redact):
    workspace = make_workspace("wmwa", consents=[consent("court", ["health"], evidence="verbal consent")])
    assert "depression" in redact(workspace, HEALTH, to="court").text
