"""`make demo`: the samples through the outbox into the review queue, and direct redactions.

Creates one workspace per organisation under demo/ (fresh each run),
imports the sample client register and consent records, redacts each
sample report to a few recipients with the same command line a user runs
(called in-process, so the language model loads once), then drops each
sample into its workspace's outbox the way a worker would (the client
reference starts the file name), runs the watcher once and shows the review
queue. Prints each command, its summary and exit code, and one redacted
output in full.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import sys
from pathlib import Path

from redactor.cli import main as redactor

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DEMO = ROOT / "demo"

#: (organisation, sample report, client id, recipients to redact for)
CASES = [
    ("dv_service", "dv_court_report.txt", "DV-1042", ["court", "client", "partner"]),
    ("day_mer", "daymer_probation_update.txt", "DM-2231", ["probation", "maternity_social_work", "gp"]),
    ("wmwa", "wmwa_support_letter.txt", "WM-3107", ["partner_agency", "gp"]),
    ("carers_wales", "carers_wales_review.txt", "CW-4410", ["gp", "partner"]),
]
SHOWN = ("dv_service", "court")
EXIT_MEANING = {0: "ok", 2: "bad input", 3: "refused by policy", 4: "held for review"}


def run(*args: str) -> int:
    print(f"$ redactor {' '.join(args)}")
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        code = redactor(list(args))
    for line in stderr.getvalue().splitlines():
        if not line.startswith("["):  # progress lines
            print(f"  {line}")
    if code:
        print(f"  -> exit {code} ({EXIT_MEANING.get(code, 'error')})")
    return code


def main() -> int:
    if DEMO.exists():
        shutil.rmtree(DEMO)
    shown: Path | None = None
    failures = 0
    for org, sample, client, recipients in CASES:
        workspace = DEMO / org
        print(f"\n=== {org}: {sample} (client {client})")
        failures += bool(run("init", str(workspace), "--org", org))
        os.environ["REDACTOR_WORKSPACE"] = str(workspace)
        failures += bool(run("clients", "import", str(SAMPLES / "clients.yaml")))
        failures += bool(run("consent", "import", str(SAMPLES / "consents.yaml")))
        for recipient in recipients:
            out = workspace / "out" / recipient
            code = run("redact", str(SAMPLES / sample), "--client", client, "--to", recipient, "--out-dir", str(out))
            failures += code not in (0, 3)
            report_path = out / f"{sample}.report.json"
            if code == 0 and report_path.is_file():
                report = json.loads(report_path.read_text(encoding="utf-8"))
                by_category: dict[str, int] = {}
                for entry in report["redactions"]:
                    by_category[entry["category"]] = by_category.get(entry["category"], 0) + 1
                print("  removed by category: " + ", ".join(f"{k} {v}" for k, v in sorted(by_category.items())))
                if (org, recipient) == SHOWN:
                    shown = out / sample
        drop = workspace / "outbox" / recipients[0] / f"{client} {sample}"
        shutil.copyfile(SAMPLES / sample, drop)
        print(f"  (a worker saves {drop.relative_to(ROOT)})")
        failures += bool(run("watch", "--once", "--settle", "0.2"))
        failures += bool(run("queue"))
    if shown is not None:
        print(f"\n=== The redacted report {shown.relative_to(ROOT)}\n")
        print(shown.read_text(encoding="utf-8"))
        print(f"(its report, listing every redaction with position, category, rule and consent: "
              f"{shown.relative_to(ROOT)}.report.json)")
    print(f"\nWorkspaces and outputs are in {DEMO.relative_to(ROOT)}/. Review a queued job with "
          f"`redactor review show JOB` or in the browser with `redactor serve` (see README).")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
