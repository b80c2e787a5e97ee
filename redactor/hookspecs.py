"""The hooks a `redactor` plugin can implement.

Every built-in behaviour (each file format, each detector, the base policy)
is itself a plugin implementing these hooks, registered before any
organisation plugin; an organisation plugin in ``plugins/`` or an installed
package under the ``redactor`` entry-point group uses exactly the same hooks.
Plugins registered later are called first, so an organisation's
``firstresult`` hook overrides the default one simply by answering.

The hooks are listed in the order the pipeline calls them::

    special_vocabulary -> check_release -> read_document -> add_recognizers
        -> detect -> attribute -> decide -> label -> notices
        -> release_statements -> write_document -> verify_output

Implement one with ``@redactor.hookimpl``::

    from redactor import hookimpl

    @hookimpl
    def redactor_check_release(context):
        if context.recipient == "partner":
            return "we never release to a partner or ex-partner"
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # the hook signatures only; no import cost at run time
    from .context import ReleaseContext
    from .model import Attribution, Decision, Document, Finding, Notice, Replacement

hookspec = pluggy.HookspecMarker("redactor")


@hookspec(firstresult=True)
def redactor_read_document(path: Path, options: dict[str, Any]) -> "Document | None":
    """Read the file at `path` into a Document, or return None if not your format.

    A reader must find *every* place the format holds text (headers,
    comments, hidden text...) and give each character an anchor back to its
    source. It raises `InputFileError` for a corrupt, encrypted or unsafe file
    and `DocumentHeld` for content it cannot read safely. `options` carries
    command-line choices such as ``unsafe_pages`` ("hold" or "rasterise").
    """


@hookspec
def redactor_add_recognizers(config: dict[str, Any]) -> "list[Any]":
    """Return Presidio `EntityRecognizer` objects to add to the analyser.

    Called once per process when the analyser is built. `config` is the
    organisation's configuration, so a plugin can add recognisers for its own
    reference numbers or local place names.
    """


@hookspec
def redactor_special_vocabulary(config: dict[str, Any]) -> "dict[str, list[str]]":
    """Return extra special-category vocabulary: ``{kind: [regex, ...]}``.

    Called once per pipeline with `config`, the organisation's
    configuration (whose ``vocabulary:`` the default answer already adds).
    Kinds are the ``special.*`` categories (``special.health``...). A
    sentence that matches any pattern of a kind is a finding of that kind.
    Patterns are case-insensitive regular expressions matched on word
    boundaries.
    """


@hookspec
def redactor_detect(context: "ReleaseContext") -> "list[Finding]":
    """Return findings over `context.document.text`; every detector answers.

    Findings carry a `kind` (``phone``, ``person``, ``special.health``...)
    and the rule that made them; they need not say whose they are yet.
    """


@hookspec(firstresult=True)
def redactor_attribute(finding: "Finding", context: "ReleaseContext") -> "Attribution | None":
    """Say whose `finding` is, which fixes its policy category.

    `context` holds the document, the parsed text, the people named and all
    findings. The first plugin to return an Attribution wins; the default attributes
    contact details to the nearest person named around them and special
    sentences to their grammatical subject.
    """


@hookspec(firstresult=True)
def redactor_label(finding: "Finding", context: "ReleaseContext") -> "str | None":
    """Return the text that replaces a removed `finding`, e.g. ``[Partner]``.

    `context` gives the other findings and people, for consistent labels
    such as ``[Child 1]`` and ``[Child 2]``.

    A label must never reveal what it hides: ``[Partner]`` is fine,
    ``[HIV status removed]`` is a leak. The pipeline refuses a label that
    names a special category.
    """


@hookspec(firstresult=True)
def redactor_decide(finding: "Finding", context: "ReleaseContext") -> "Decision | None":
    """Keep or remove an attributed `finding`; the first answer wins.

    `context` carries the recipient and the client's consent records
    (`context.consent_for(scope)` gives the one in force today).

    The default applies the base policy table with the client's consent in
    force for this recipient. An organisation plugin answers only for what
    its policy adds and returns None for the rest.
    """


@hookspec(firstresult=True)
def redactor_check_release(context: "ReleaseContext") -> "str | None":
    """Return a reason if this release must be refused altogether, else None.

    Called before any file is read, with a `context` that has the client,
    the recipient, the consent records and the organisation's config, but
    no document yet.

    A refusal exits with code 3 and writes nothing.
    """


@hookspec
def redactor_notices(context: "ReleaseContext") -> "list[Notice]":
    """Return notices the organisation's policy raises for this report.

    Called after every finding is decided; `context.findings` carry their
    categories and `context.text` is the report's text.

    Notices go in the report for the reviewing manager, for example Day-Mer's
    duty to inform the maternity social work department.
    """


@hookspec
def redactor_release_statements(context: "ReleaseContext") -> "list[str]":
    """Return lines every released document must state, e.g. ``CONFIDENTIAL``.

    `context` says which organisation, client and recipient the release is
    for, so a statement can depend on them.

    The writer puts them at the top of the released document.
    """


@hookspec(firstresult=True)
def redactor_write_document(
    document: "Document", replacements: "list[Replacement]", statements: "list[str]",
    out_path: Path, options: dict[str, Any],
) -> "list[str] | None":
    """Write the redacted document to `out_path` in its own format.

    Answer only for your own `document.format`, else return None. Apply each
    of `replacements` (non-overlapping spans of `document.text` with their
    labels) through the anchors so the text is gone from the file, not
    hidden; scrub everything a reader does not see. Put `statements` at the
    top. `options` carries command-line choices, as for reading. Return notes
    for the report (e.g. "2 images removed").
    """


@hookspec(firstresult=True)
def redactor_verify_output(path: Path, document_format: str, forbidden: "list[str]") -> "list[str] | None":
    """Re-read the written file at `path` by a route independent of the writer.

    Answer only when `document_format` is your own format: return the strings of `forbidden`
    still found anywhere in the file (an empty list when clean). The release
    is refused if any survives.
    """
