"""Shared fixtures: workspaces for any organisation, and redaction of inline text.

The spaCy model is loaded once per process (``redactor.nlp`` caches it), so
every test that redacts shares one load however many pipelines it builds.
"""
from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable

import pytest
import yaml

#: The client most inline test reports are about.
CLIENT = {"id": "C-1", "name": "Sarah Collins", "aliases": ["Sarah", "Ms Collins"],
          "dob": "1989-03-14", "address": "14 Elm Grove, Worcester WR1 2AB"}


#: One sentence of each special category about the client, for inline test reports.
SPECIAL_SENTENCES = """Sarah is HIV positive.
Sarah disclosed that she was raped in 2019.
Sarah has been diagnosed with depression.
Sarah uses cannabis most days.
Sarah is now staying in a refuge in Leeds.
In her counselling sessions Sarah talked about her childhood.
Sarah has a criminal record for shoplifting.
"""


def consent(recipient: str, scopes: Iterable[str], *, client: str = "C-1", given: date | None = None,
            expires: date | None = None, evidence: str = "signed consent form") -> dict[str, Any]:
    """A consent record as the import file holds it; given yesterday unless told."""
    record = {"client": client, "recipient": recipient, "scopes": list(scopes),
              "given": (given or date.today() - timedelta(days=1)).isoformat(), "evidence": evidence}
    if expires:
        record["expires"] = expires.isoformat()
    return record


@dataclass
class Redacted:
    """One inline report redacted through the pipeline."""

    source: Path
    output: Path | None
    text: str | None           # the output file's content
    report: dict[str, Any] | None
    raw_report: str | None     # the report file exactly as written
    error: Exception | None


@pytest.fixture
def make_workspace(tmp_path: Path) -> Callable[..., Any]:
    """``make_workspace(org, clients=[CLIENT], consents=[], config={})``: a workspace
    with the register imported through the real import functions."""
    from redactor.register import import_clients, import_consents
    from redactor.workspace import Workspace

    counter = itertools.count()

    def make(org: str = "dv_service", clients: Iterable[dict] = (CLIENT,), consents: Iterable[dict] = (),
             config: dict[str, Any] | None = None) -> Workspace:
        root = tmp_path / f"ws-{org}-{next(counter)}"
        workspace = Workspace.create(root, org)
        if config:
            merged = {**workspace.config, **config}
            workspace.config_path.write_text(yaml.safe_dump(merged, sort_keys=False), encoding="utf-8")
        lists = root / "_lists"
        lists.mkdir()
        with workspace.connect() as conn:
            if clients:
                (lists / "clients.yaml").write_text(yaml.safe_dump(list(clients)), encoding="utf-8")
                import_clients(conn, lists / "clients.yaml")
            if consents:
                (lists / "consents.yaml").write_text(yaml.safe_dump(list(consents)), encoding="utf-8")
                import_consents(conn, lists / "consents.yaml", workspace.recipients)
        return workspace

    return make


@pytest.fixture
def redact(tmp_path: Path) -> Callable[..., Redacted]:
    """``redact(workspace, text, to="court", client="C-1", terms=(), plugins=(), pipeline=None)``.

    Writes `text` to a .txt file and runs it through a `Pipeline` (extra
    `plugins` registered on its manager first). A document-level error is
    raised unless ``allow_error=True``; a refusal always raises.
    """
    from redactor.pipeline import Pipeline

    counter = itertools.count()

    def run(workspace: Any, text: str, *, to: str = "court", client: str = "C-1", terms: Iterable[str] = (),
            plugins: Iterable[Any] = (), pipeline: Any = None, name: str = "report.txt",
            allow_error: bool = False) -> Redacted:
        pipeline = pipeline or Pipeline(workspace)
        for plugin in plugins:
            pipeline.pm.register(plugin)
        case = tmp_path / f"case-{next(counter)}"
        source = case / "in" / name
        source.parent.mkdir(parents=True)
        source.write_text(text, encoding="utf-8")
        [outcome] = pipeline.redact([source], client, to, case / "out", terms=list(terms))
        if outcome.error is not None and not allow_error:
            raise outcome.error
        if outcome.output is None:
            return Redacted(source, None, None, None, None, outcome.error)
        report_path = outcome.output.with_name(outcome.output.name + ".report.json")
        raw = report_path.read_text(encoding="utf-8")
        return Redacted(source, outcome.output, outcome.output.read_text(encoding="utf-8"), json.loads(raw), raw,
                        outcome.error)

    return run
