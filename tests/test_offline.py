"""redactor works with no network at all.

The spaCy model is an installed package, handed to Presidio already loaded
(a bare AnalyzerEngine would download en_core_web_lg), and e-mail
validation uses tldextract's bundled suffix list (by default tldextract
fetches the public suffix list on first use). Every way out is blocked
here and every attempt recorded, so a silent fallback after a failed
fetch still fails the test.
"""
from __future__ import annotations

import socket
import subprocess
import sys
import textwrap

import pytest
import yaml

from conftest import CLIENT
from redactor import nlp

TEXT = ("Report about Sarah Collins.\n\nHer brother can be e-mailed at d.smith@example.com or "
        "dsmith@mail.example.co.uk and called on 07700 900123.\n")


@pytest.fixture
def no_network(monkeypatch):
    attempts: list[tuple] = []

    def deny(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access is disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", deny)
    monkeypatch.setattr(socket.socket, "connect_ex", deny)
    monkeypatch.setattr(socket, "create_connection", deny)
    monkeypatch.setattr(socket, "getaddrinfo", deny)
    return attempts


def test_the_guard_catches_a_network_attempt(no_network):
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", 9))
    assert no_network


def test_analyser_builds_and_finds_emails_with_no_network(no_network, make_workspace, redact):
    # start from nothing: the model and the suffix extractor load under the guard
    nlp.spacy_model.cache_clear()
    nlp.offline_suffix_extractor.cache_clear()
    analyzer = nlp.build_analyzer([nlp.offline_email_recognizer()])
    doc = nlp.parse(TEXT)
    results = analyzer.analyze(text=TEXT, language=nlp.LANGUAGE, entities=["EMAIL_ADDRESS"],
                               nlp_artifacts=nlp.nlp_artifacts(analyzer, doc))
    found = sorted(TEXT[r.start:r.end] for r in results)
    assert found == ["d.smith@example.com", "dsmith@mail.example.co.uk"]

    result = redact(make_workspace("dv_service"), TEXT, to="court")
    entries = result.report["redactions"] + result.report["kept"]
    emails = sorted(TEXT[e["start"]:e["end"]] for e in entries if e["kind"] == "email")
    assert emails == ["d.smith@example.com", "dsmith@mail.example.co.uk"]
    assert no_network == []


def test_offline_suffix_extractor_knows_real_suffixes_without_fetching(no_network):
    nlp.offline_suffix_extractor.cache_clear()
    extract = nlp.offline_suffix_extractor()
    assert extract("someone@mail.example.co.uk").suffix == "co.uk"
    assert extract("someone@example.invalidtld").suffix == ""
    assert no_network == []


GUARDED_CLI = textwrap.dedent("""
    import socket, sys
    attempts = []
    def deny(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled")
    socket.socket.connect = socket.socket.connect_ex = deny
    socket.create_connection = socket.getaddrinfo = deny
    from redactor.cli import main
    codes = [main(args) for args in eval(sys.argv[1])]
    if attempts:
        sys.exit(f"network attempted: {attempts}")
    sys.exit(max(codes))
""")


def test_a_whole_release_runs_in_a_fresh_process_with_no_network(tmp_path):
    clients = tmp_path / "clients.yaml"
    clients.write_text(yaml.safe_dump([CLIENT]), encoding="utf-8")
    source = tmp_path / "report.txt"
    source.write_text(TEXT, encoding="utf-8")
    ws, out = tmp_path / "ws", tmp_path / "out"
    commands = [["init", str(ws), "--org", "wmwa"],
                ["--workspace", str(ws), "clients", "import", str(clients)],
                ["--workspace", str(ws), "redact", str(source), "--client", "C-1", "--to", "gp",
                 "--out-dir", str(out)]]
    done = subprocess.run([sys.executable, "-c", GUARDED_CLI, repr(commands)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    output = (out / "report.txt").read_text(encoding="utf-8")
    assert "d.smith@example.com" not in output and "CONFIDENTIAL" in output
