"""How long a report waits between landing in the outbox and awaiting review.

Starts the real watcher (one pipeline, model loaded before the first file)
on a fresh workspace, drops ~2,000-word plain-text reports one at a time
into ``outbox/court/`` and takes, for each, the time from the file being
closed to its job's ``awaiting_review`` timestamp in the queue. The settle
delay is part of that time by design: a file is not taken until it has
stopped changing. Prints the median and 95th percentile.

    .venv/bin/python benchmarks/outbox_latency.py [--files 100] [--words 2000] [--settle 1.0]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import yaml

from redactor import audit, db, jobs
from redactor.pipeline import Pipeline
from redactor.register import import_clients
from redactor.watch import WatchSettings, Watcher
from redactor.workspace import Workspace

CLIENT = {"id": "C-1042", "name": "Jane Smith", "dob": "1980-03-04", "address": "12 High Street, Cardiff"}
PARAGRAPH = ("On visit {n} the support worker met Jane Smith at the family centre. Her phone is 07700 900{k:03d} "
             "and her sister Mary Brown came along. Dr Alan Jones from the surgery had written about the "
             "medication review. Jane said the housing officer had called about the repairs and that the "
             "children were settled at school. The worker agreed to follow up with the school and to check "
             "on the benefits claim before the next meeting. ")


def report(n: int, words: int) -> str:
    paragraphs, k = [], 0
    while sum(len(p.split()) for p in paragraphs) < words:
        paragraphs.append(PARAGRAPH.format(n=n, k=(n * 7 + k) % 1000))
        k += 1
    return f"Report {n} for C-1042\n\n" + "\n\n".join(paragraphs) + "\n"


def stamps(workspace: Workspace, name: str, timeout: float = 120.0) -> dict[str, float]:
    """When the job for `name` was received, started and redacted (from its audit entries)."""
    deadline = time.monotonic() + timeout
    with db.connect(workspace) as conn:
        while time.monotonic() < deadline:
            row = conn.execute("SELECT id, state FROM jobs WHERE file = ?", (name,)).fetchone()
            if row and row["state"] == jobs.AWAITING_REVIEW:
                return {e.action: datetime.fromisoformat(e.at).timestamp() for e in audit.history(conn, row["id"])}
            if row and row["state"] in (jobs.HELD, jobs.FAILED):
                raise SystemExit(f"{name} was {row['state']}")
            time.sleep(0.01)
    raise SystemExit(f"{name} did not reach awaiting_review in {timeout} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--settle", type=float, default=1.0, help="the watcher's settle delay (default 1.0 s)")
    parser.add_argument("--polling", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Workspace.create(Path(tmp) / "ws", "carers_wales")
        (Path(tmp) / "clients.yaml").write_text(yaml.safe_dump([CLIENT]), encoding="utf-8")
        with db.connect(workspace) as conn:
            import_clients(conn, Path(tmp) / "clients.yaml")
        started = time.monotonic()
        watcher = Watcher(Pipeline(workspace), WatchSettings(settle=args.settle, polling=args.polling),
                          log=lambda line: None)
        thread = threading.Thread(target=watcher.run, daemon=True)
        thread.start()
        warm = "C-1042 warm-up.txt"
        (workspace.root / "outbox" / "court" / warm).write_text(report(-1, args.words), encoding="utf-8")
        stamps(workspace, warm)
        print(f"watcher ready and warm in {time.monotonic() - started:.1f} s", file=sys.stderr)
        latencies, taken, redacting = [], [], []
        for n in range(args.files):
            name = f"C-1042 report {n}.txt"
            (workspace.root / "outbox" / "court" / name).write_text(report(n, args.words), encoding="utf-8")
            landed = time.time()
            at = stamps(workspace, name)
            latencies.append(at["redacted"] - landed)
            taken.append(at["received"] - landed)
            redacting.append(at["redacted"] - at["processing"])
        watcher.stop.set()
        thread.join(timeout=30)
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, round(0.95 * len(latencies)) - 1)]
    print(f"{args.files} files of ~{args.words} words, settle {args.settle} s: "
          f"median {statistics.median(latencies):.2f} s, p95 {p95:.2f} s, "
          f"min {latencies[0]:.2f} s, max {latencies[-1]:.2f} s (target: median < 2 s)\n"
          f"  of which: landing to taken (settle) median {statistics.median(taken):.2f} s, "
          f"redaction median {statistics.median(redacting):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
