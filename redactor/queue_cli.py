"""The command-line side of the outbox, queue, review, users and audit log.

    redactor watch [--once] [--polling] [--settle S] [--rescan S]
    redactor queue [--json] [--state STATE]
    redactor review show JOB | approve JOB --by USER | reject JOB --by USER --reason TEXT
    redactor users add NAME --role ROLE [--by ADMIN] | users list
    redactor audit verify | audit show [--job JOB]
    redactor purge --by ADMIN

Kept apart from ``cli.py`` so that file only registers these commands; the
handlers are thin, the work is in `review`, `jobs`, `users`, `audit`.
"""
from __future__ import annotations

import argparse
import json
import signal
import sys
from typing import Any, Callable

from . import audit, db, jobs, users
from .workspace import Workspace

Add = Callable[..., argparse.ArgumentParser]


def cmd_watch(args: argparse.Namespace) -> int:
    from .pipeline import Pipeline
    from .watch import WatchSettings, Watcher

    workspace = Workspace.find(args.workspace)
    configured = workspace.config.get("outbox") or {}
    settings = WatchSettings(settle=args.settle if args.settle is not None else float(configured.get(
        "settle_seconds", WatchSettings.settle)), rescan=args.rescan, polling=args.polling)
    watcher = Watcher(Pipeline(workspace), settings)
    signal.signal(signal.SIGTERM, lambda *_: watcher.stop.set())
    watcher.run(once=args.once)
    return 0


def cmd_queue(args: argparse.Namespace) -> int:
    with db.connect(Workspace.find(args.workspace)) as conn:
        listed = jobs.list_jobs(conn, args.state)
    if args.json:
        print(json.dumps([j.as_dict() for j in listed], indent=1, ensure_ascii=False))
        return 0
    for j in listed:
        print(f"{j.id}\t{j.file}\t{j.client or '-'}\t{j.recipient or '-'}\t{j.state}\t{j.reason or ''}"
              f"\t{j.submitted}\t{j.reviewer or ''}")
    return 0


def cmd_review_show(args: argparse.Namespace) -> int:
    from .review import render, show

    workspace = Workspace.find(args.workspace)
    with db.connect(workspace) as conn:
        print(render(show(workspace, conn, args.job)))
    return 0


def cmd_review_approve(args: argparse.Namespace) -> int:
    from .review import approve

    workspace = Workspace.find(args.workspace)
    with db.connect(workspace) as conn:
        job = approve(workspace, conn, args.job, args.by)
    print(f"job {job.id} approved by {job.reviewer}; {job.state} as released/{job.recipient}/{job.released_as}")
    return 0


def cmd_review_reject(args: argparse.Namespace) -> int:
    from .review import reject

    workspace = Workspace.find(args.workspace)
    with db.connect(workspace) as conn:
        job = reject(workspace, conn, args.job, args.by, args.reason)
    print(f"job {job.id} rejected by {job.reviewer}; returned to outbox/returned/")
    return 0


def cmd_users_add(args: argparse.Namespace) -> int:
    with db.connect(Workspace.find(args.workspace)) as conn:
        user = users.add_user(conn, args.name, args.role, args.by)
    print(f"{user.name}: {user.role}")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    with db.connect(Workspace.find(args.workspace)) as conn:
        for user in users.list_users(conn):
            print(f"{user.name}\t{user.role}\tadded {user.added} by {user.added_by or '-'}")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    with db.connect(Workspace.find(args.workspace)) as conn:
        check = audit.verify(conn)
    if check.ok:
        print(f"audit log intact: {check.entries} entries")
        return 0
    print(f"audit log broken at entry {check.broken_at}: {check.problem} "
          f"({check.entries} entries before it hold)", file=sys.stderr)
    return 5


def cmd_audit_show(args: argparse.Namespace) -> int:
    with db.connect(Workspace.find(args.workspace)) as conn:
        for e in audit.history(conn, args.job):
            print(f"{e.id}\t{e.at}\t{e.actor}\t{e.action}\t{e.job or '-'}\t{json.dumps(e.detail, sort_keys=True)}")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from .retention import due, purge

    workspace = Workspace.find(args.workspace)
    with db.connect(workspace) as conn:
        if args.dry_run:
            listed = due(workspace, conn)
        else:
            listed = purge(workspace, conn, args.by)
    for job in listed:
        print(f"{'would purge' if args.dry_run else 'purged'} job {job.id} {job.file} (submitted {job.submitted})")
    return 0


def add_commands(sub: Any, add: Add) -> None:
    """Register these subcommands with `cli._parser`'s `add` helper."""
    p = add("watch", cmd_watch, help="watch the outbox and queue reports for review")
    p.add_argument("--once", action="store_true", help="process what is in the outbox now, then exit")
    p.add_argument("--polling", action="store_true", help="poll instead of file-system events (network shares)")
    p.add_argument("--settle", type=float, help="seconds a file must stay unchanged before it is taken")
    p.add_argument("--rescan", type=float, default=30.0, help="seconds between full rescans (default 30)")

    p = add("queue", cmd_queue, help="list jobs in the review queue")
    p.add_argument("--json", action="store_true")
    p.add_argument("--state", action="append", choices=jobs.STATES, help="only jobs in this state")

    review = sub.add_parser("review", help="review a queued job").add_subparsers(dest="action", required=True)
    add("show", cmd_review_show, review, help="the redaction diff, with reasons").add_argument("job", type=int)
    p = add("approve", cmd_review_approve, review, help="approve and release (managers only)")
    p.add_argument("job", type=int)
    p.add_argument("--by", required=True, metavar="USER")
    p = add("reject", cmd_review_reject, review, help="reject, returning the report (managers only)")
    p.add_argument("job", type=int)
    p.add_argument("--by", required=True, metavar="USER")
    p.add_argument("--reason", required=True)

    people = sub.add_parser("users", help="users and roles").add_subparsers(dest="action", required=True)
    p = add("add", cmd_users_add, people, help="add a user, or change their role")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=users.ROLES)
    p.add_argument("--by", metavar="ADMIN", help="the admin adding them (needed once an admin exists)")
    add("list", cmd_users_list, people, help="list users")

    log = sub.add_parser("audit", help="the audit log").add_subparsers(dest="action", required=True)
    add("verify", cmd_audit_verify, log, help="check the hash chain; exit 5 where it breaks")
    add("show", cmd_audit_show, log, help="list entries").add_argument("--job", type=int)

    p = add("purge", cmd_purge, help="remove stored originals past the retention period (admins only)")
    p.add_argument("--by", metavar="ADMIN")
    p.add_argument("--dry-run", action="store_true", help="list what would be purged")
