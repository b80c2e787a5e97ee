"""Each hook, implemented by a small test plugin, changes what the pipeline does.

Plugins are registered either on a pipeline's manager (as the pipeline would
after loading them) or through the organisation configuration's
``plugins.allow`` list and a plugin folder, exactly as an organisation adds
one. Each test compares the same report with and without the plugin.
"""
from __future__ import annotations

import codecs
import itertools
import re
import shutil
from pathlib import Path

import pytest

from conftest import consent
from redactor import hookimpl
from redactor.errors import DocumentHeld, ReleaseRefused
from redactor.model import Attribution, Decision, Document, Finding, Notice
from redactor.pipeline import Pipeline
from redactor.plugins import ORG_PLUGIN_DIR, make_manager
from redactor.verify import surviving

REPORT = """Report about Sarah Collins.

Her partner, Darren Smith, rang her from 01632 960999 on Monday.
Sarah goes to lodge meetings every week.
Her case reference is CASE-204611.
PC Daniel Okafor of West Mercia Police attended the incident.
Sarah has been diagnosed with depression.
"""

_unique = itertools.count()


@pytest.fixture
def allowed_plugin(make_workspace, tmp_path):
    """``allowed_plugin(org, source, consents=())``: a workspace whose config allow-lists
    a plugin module with `source`, in a plugin folder beside the organisation's own."""
    def make(org: str, source: str, consents=()):
        plugin_dir = tmp_path / f"plugins-{next(_unique)}"
        plugin_dir.mkdir()
        shutil.copy(ORG_PLUGIN_DIR / f"{org}.py", plugin_dir / f"{org}.py")
        name = f"hook_test_plugin_{next(_unique)}"
        (plugin_dir / f"{name}.py").write_text(source, encoding="utf-8")
        return make_workspace(org, consents=consents,
                              config={"plugin_dir": str(plugin_dir), "plugins": {"allow": [name]}})
    return make


# --- the plugin manager ------------------------------------------------------------

def test_only_allow_listed_plugins_load(tmp_path):
    (tmp_path / "toy_org.py").write_text("", encoding="utf-8")
    (tmp_path / "extra_one.py").write_text("from redactor import hookimpl\n\n@hookimpl\n"
                                           "def redactor_release_statements(context):\n    return ['X']\n")
    names = {name for name, _ in make_manager({"org": "toy_org", "plugin_dir": str(tmp_path)}).list_name_plugin()}
    assert "org:toy_org" in names and "org:extra_one" not in names
    config = {"org": "toy_org", "plugin_dir": str(tmp_path), "plugins": {"allow": ["extra_one"]}}
    assert "org:extra_one" in {name for name, _ in make_manager(config).list_name_plugin()}


# --- special_vocabulary and add_recognizers (read when a pipeline is built) ----------

VOCABULARY_PLUGIN = '''
from redactor import hookimpl

@hookimpl
def redactor_special_vocabulary(config):
    return {"special.other": [r"lodge meetings?"]}
'''


def test_special_vocabulary_extends_what_is_detected(make_workspace, allowed_plugin, redact):
    assert "lodge meetings" in redact(make_workspace("wmwa"), REPORT).text
    result = redact(allowed_plugin("wmwa", VOCABULARY_PLUGIN), REPORT)
    assert "lodge" not in result.text
    assert any(e["category"] == "special.other" for e in result.report["redactions"])
    # still kept with the client's consent for that scope
    kept = redact(allowed_plugin("wmwa", VOCABULARY_PLUGIN, consents=[consent("court", ["special"])]), REPORT)
    assert "lodge meetings" in kept.text


RECOGNIZER_PLUGIN = '''
from redactor import hookimpl
from redactor.detectors.recognizers import RegexRecognizer
from redactor.model import Attribution, Finding
from redactor.nlp import LANGUAGE, nlp_artifacts

@hookimpl
def redactor_add_recognizers(config):
    return [RegexRecognizer("CASE_REFERENCE", [r"\\bCASE-\\d{6}\\b"])]

@hookimpl
def redactor_detect(context):
    results = context.analyzer.analyze(text=context.text, language=LANGUAGE, entities=["CASE_REFERENCE"],
                                       nlp_artifacts=nlp_artifacts(context.analyzer, context.nlp_doc))
    return [Finding(r.start, r.end, "case_reference", rule="test:case_reference") for r in results]

@hookimpl
def redactor_attribute(finding, context):
    if finding.kind == "case_reference":
        return Attribution("client.identifiers", "client", "our own case reference")
    return None

@hookimpl
def redactor_label(finding, context):
    return "[Case reference]" if finding.kind == "case_reference" else None
'''


def test_add_recognizers_a_custom_recogniser_is_used(make_workspace, allowed_plugin, redact):
    assert "CASE-204611" in redact(make_workspace("dv_service"), REPORT).text
    result = redact(allowed_plugin("dv_service", RECOGNIZER_PLUGIN), REPORT)
    assert "CASE-204611" not in result.text and "[Case reference]" in result.text
    [entry] = [e for e in result.report["redactions"] if e["rule"] == "test:case_reference"]
    assert entry["category"] == "client.identifiers" and entry["kind"] == "case_reference"
    with_consent = redact(allowed_plugin("dv_service", RECOGNIZER_PLUGIN,
                                         consents=[consent("court", ["identifiers"])]), REPORT)
    assert "CASE-204611" in with_consent.text


# --- plugins registered on a pipeline ----------------------------------------------------

class YouthClubs:
    """A detector: a named youth club locates a child as surely as a school does."""

    @hookimpl
    def redactor_detect(self, context):
        return [Finding(m.start(), m.end(), "school", rule="test:youth_club")
                for m in re.finditer(r"\b\w+ youth club\b", context.text)]


def test_detect_a_plugins_findings_are_redacted(make_workspace, redact):
    text = REPORT + "Her son goes to the kingfisher youth club on Thursdays.\n"
    workspace = make_workspace("dv_service")
    assert "kingfisher youth club" in redact(workspace, text).text
    result = redact(workspace, text, plugins=[YouthClubs()])
    assert "kingfisher" not in result.text and "[Place]" in result.text
    assert [e["kind"] for e in result.report["redactions"] if e["rule"] == "test:youth_club"] == ["school"]


class SwitchboardIsProfessional:
    """Attribution: the local authority switchboard is always a work number."""

    @hookimpl
    def redactor_attribute(self, finding, context):
        if finding.kind == "phone" and context.text[finding.start:finding.end].startswith("01632 960999"):
            return Attribution("professional", None, "the council switchboard")
        return None


def test_attribute_an_override_changes_the_category(make_workspace, redact):
    workspace = make_workspace("dv_service")
    default = redact(workspace, REPORT)
    assert "01632 960999" not in default.text
    result = redact(workspace, REPORT, plugins=[SwitchboardIsProfessional()])
    assert "01632 960999" in result.text
    [entry] = [e for e in result.report["kept"] if e["kind"] == "phone"]
    assert entry["category"] == "professional" and entry["attribution"] == "the council switchboard"


class PlainLabels:
    @hookimpl
    def redactor_label(self, finding, context):
        return "[Withheld]" if finding.kind == "phone" else None


def test_label_an_override_is_used(make_workspace, redact):
    result = redact(make_workspace("dv_service"), REPORT, plugins=[PlainLabels()])
    assert "rang her from [Withheld] on Monday" in result.text
    assert "[Partner]" in result.text  # other labels still come from the default


class LeakyLabels:
    @hookimpl
    def redactor_label(self, finding, context):
        return "[Depression details]" if finding.kind.startswith("special.") else None


def test_label_a_label_revealing_a_special_category_holds_the_document(make_workspace, redact):
    result = redact(make_workspace("dv_service"), REPORT, plugins=[LeakyLabels()], allow_error=True)
    assert isinstance(result.error, DocumentHeld) and "special category" in str(result.error)
    assert result.output is None and not any(result.source.parent.parent.joinpath("out").glob("*"))


class NeverNamePolice:
    """Decide: an organisation that never names police officers, whatever the base table says."""


    @hookimpl
    def redactor_decide(self, finding, context):
        if finding.category == "professional" and "PC " in context.text[max(0, finding.start - 3):finding.end]:
            return Decision("remove", "we never name officers")
        return None


def test_decide_an_override_wins_and_leaves_the_rest_to_the_base_table(make_workspace, redact):
    workspace = make_workspace("dv_service", consents=[consent("court", ["health"])])
    assert "Daniel Okafor" in redact(workspace, REPORT).text
    result = redact(workspace, REPORT, plugins=[NeverNamePolice()])
    assert "Daniel Okafor" not in result.text
    assert "West Mercia Police" in result.text and "depression" in result.text
    assert any(e["reason"] == "we never name officers" for e in result.report["redactions"])


class NoPolice:
    @hookimpl
    def redactor_check_release(self, context):
        return "police requests go to the manager" if context.recipient == "police" else None


def test_check_release_a_refusal_stops_the_release(make_workspace, redact):
    workspace = make_workspace("wmwa")
    with pytest.raises(ReleaseRefused, match="police requests go to the manager"):
        redact(workspace, REPORT, to="police", plugins=[NoPolice()])
    assert redact(workspace, REPORT, to="gp", plugins=[NoPolice()]).text


class RiskNotice:
    @hookimpl
    def redactor_notices(self, context):
        if any(f.category == "special.health" for f in context.findings):
            return [Notice("health_review", "A clinician should review this release.")]
        return []


def test_notices_appear_in_the_report(make_workspace, redact):
    workspace = make_workspace("wmwa")
    assert redact(workspace, REPORT).report["notices"] == []
    result = redact(workspace, REPORT, plugins=[RiskNotice()])
    assert result.report["notices"] == [{"code": "health_review",
                                         "message": "A clinician should review this release."}]
    assert redact(workspace, "Report about Sarah Collins.\n", plugins=[RiskNotice()]).report["notices"] == []


class Marking:
    @hookimpl
    def redactor_release_statements(self, context):
        return [f"OFFICIAL-SENSITIVE: prepared for {context.recipient}"]


def test_release_statements_appear_in_the_output(make_workspace, redact):
    result = redact(make_workspace("dv_service"), REPORT, plugins=[Marking()])
    assert result.text.splitlines()[0] == "OFFICIAL-SENSITIVE: prepared for court"
    assert result.report["statements"] == ["OFFICIAL-SENSITIVE: prepared for court"]
    # added to the organisation's own statement, not instead of it
    both = redact(make_workspace("wmwa"), REPORT, plugins=[Marking()])
    assert "CONFIDENTIAL" in both.text and "OFFICIAL-SENSITIVE" in both.text


# --- a toy file format: read, write, verify ----------------------------------------------

class Rot13Format:
    """Reports stored ROT13-encoded in ``.r13`` files: each character's anchor is its offset."""

    def __init__(self, forget_to_redact: bool = False) -> None:
        self.forget_to_redact = forget_to_redact
        self.verified: list[Path] = []

    @hookimpl
    def redactor_read_document(self, path, options):
        if path.suffix != ".r13":
            return None
        text = codecs.decode(path.read_text(encoding="utf-8"), "rot13")
        return Document(source=path, format="rot13", text=text, anchors=range(len(text)), native=text)

    @hookimpl
    def redactor_write_document(self, document, replacements, statements, out_path, options):
        if document.format != "rot13":
            return None
        text, pieces, cursor = document.native, [], 0
        for rep in ([] if self.forget_to_redact else sorted(replacements, key=lambda r: r.start)):
            pieces += [text[cursor:rep.start], rep.label]
            cursor = rep.end
        body = "".join(statements) + "".join(pieces) + text[cursor:]
        out_path.write_text(codecs.encode(body, "rot13"), encoding="utf-8")
        return ["encoded with rot13"]

    @hookimpl
    def redactor_verify_output(self, path, document_format, forbidden):
        if document_format != "rot13":
            return None
        self.verified.append(path)
        return surviving(codecs.decode(path.read_text(encoding="utf-8"), "rot13"), forbidden)


def _rot13_source(tmp_path: Path) -> Path:
    source = tmp_path / "report.r13"
    source.write_text(codecs.encode(REPORT, "rot13"), encoding="utf-8")
    return source


def test_read_write_verify_a_toy_format_end_to_end(make_workspace, tmp_path):
    pipeline = Pipeline(make_workspace("dv_service"))
    toy = Rot13Format()
    pipeline.pm.register(toy)
    [outcome] = pipeline.redact([_rot13_source(tmp_path)], "C-1", "court", tmp_path / "out")
    assert outcome.error is None, outcome.error
    released = codecs.decode(outcome.output.read_text(encoding="utf-8"), "rot13")
    assert "Darren" not in released and "01632 960999" not in released and "[Partner]" in released
    assert "Sarah Collins" in released
    assert toy.verified and outcome.report["format"] == "rot13" and outcome.report["notes"] == ["encoded with rot13"]


def test_verify_output_a_writer_that_leaves_text_in_is_held(make_workspace, tmp_path):
    pipeline = Pipeline(make_workspace("dv_service"))
    pipeline.pm.register(Rot13Format(forget_to_redact=True))
    [outcome] = pipeline.redact([_rot13_source(tmp_path)], "C-1", "court", tmp_path / "out")
    assert isinstance(outcome.error, DocumentHeld) and "survived" in str(outcome.error)
    assert outcome.output is None and list((tmp_path / "out").iterdir()) == []


def test_read_document_an_unclaimed_format_is_unsupported(make_workspace, tmp_path):
    pipeline = Pipeline(make_workspace("dv_service"))
    [outcome] = pipeline.redact([_rot13_source(tmp_path)], "C-1", "court", tmp_path / "out")
    assert "unsupported format .r13" in str(outcome.error)
