"""The `redactor` command line.

    redactor init DIR --org ORG
    redactor clients import FILE | clients list
    redactor consent import FILE | consent list | consent withdraw CLIENT [--to RECIPIENT]
    redactor redact INPUT... --client ID --to RECIPIENT --out-dir DIR [--term TEXT]...
    redactor watch | queue | review | users | audit | purge   (see redactor/queue_cli.py)
    redactor serve [--host 127.0.0.1] [--port 8000] | passwd NAME [--by ADMIN]   (see redactor/web/)

Every command but `init` finds its workspace from --workspace, else
$REDACTOR_WORKSPACE, else the current folder. Errors are one line on stderr
and a non-zero exit: 2 for bad input, 3 for a release policy forbids, 4 for a
document held for manual review. The language model is imported only by the
commands that need it, so the others answer at once.
"""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from .errors import RedactorError
from .workspace import Workspace, known_orgs


def cmd_init(args: argparse.Namespace) -> int:
    workspace = Workspace.create(Path(args.dir).resolve(), args.org)
    print(f"created workspace for {args.org} at {workspace.root}")
    return 0


def cmd_clients_import(args: argparse.Namespace) -> int:
    from .register import import_clients

    with Workspace.find(args.workspace).connect() as conn:
        print(f"imported {import_clients(conn, Path(args.file))} client(s)")
    return 0


def cmd_clients_list(args: argparse.Namespace) -> int:
    from .register import list_clients

    with Workspace.find(args.workspace).connect() as conn:
        for client in list_clients(conn):
            print(f"{client.id}\t{client.name}")
    return 0


def cmd_consent_import(args: argparse.Namespace) -> int:
    from .register import import_consents

    workspace = Workspace.find(args.workspace)
    with workspace.connect() as conn:
        print(f"imported {import_consents(conn, Path(args.file), workspace.recipients)} consent record(s)")
    return 0


def cmd_consent_list(args: argparse.Namespace) -> int:
    from .register import list_consents

    today = date.today()
    with Workspace.find(args.workspace).connect() as conn:
        for c in list_consents(conn, client=args.client):
            state = "in force" if c.in_force(today) else ("withdrawn" if c.withdrawn else "not in force")
            print(f"{c.id}\t{c.client}\t{c.recipient}\t{','.join(c.scopes)}\tgiven {c.given}"
                  f"\texpires {c.expires or '-'}\t{state}\t{c.evidence}")
    return 0


def cmd_consent_withdraw(args: argparse.Namespace) -> int:
    from .register import withdraw_consent

    with Workspace.find(args.workspace).connect() as conn:
        count = withdraw_consent(conn, args.client, args.to, date.today())
    print(f"withdrew {count} consent record(s) for {args.client}")
    return 0


def cmd_redact(args: argparse.Namespace) -> int:
    workspace = Workspace.find(args.workspace)
    from .pipeline import Pipeline

    pipeline = Pipeline(workspace)
    outcomes = pipeline.redact([Path(p) for p in args.inputs], args.client, args.to, Path(args.out_dir),
                               terms=args.term, options={"unsafe_pages": args.unsafe_pages}, progress=True)
    worst = 0
    for outcome in outcomes:
        if outcome.error is not None:
            print(f"redactor: {outcome.error}", file=sys.stderr)
            worst = max(worst, getattr(outcome.error, "exit_code", 1))
            continue
        report = outcome.report
        notices = "".join(f"\n  notice {n['code']}: {n['message']}" for n in report["notices"])
        print(f"{outcome.source.name} -> {outcome.output}: {len(report['applied'])} redaction(s), "
              f"{len(report['kept'])} kept by policy or consent{notices}")
    return worst


def cmd_serve(args: argparse.Namespace) -> int:
    from .web import serve

    serve(Workspace.find(args.workspace), args.host, args.port)
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    import getpass

    from . import db
    from .web.accounts import set_password

    if args.stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"new password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            print("redactor: the passwords differ", file=sys.stderr)
            return 2
    with db.connect(Workspace.find(args.workspace)) as conn:
        set_password(conn, args.name, password, args.by)
    print(f"password set for {args.name}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="redactor", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workspace", help="workspace folder (default: $REDACTOR_WORKSPACE, else here)")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, handler: Callable[[argparse.Namespace], int], parent=sub, **kw) -> argparse.ArgumentParser:
        p = parent.add_parser(name, **kw)
        p.add_argument("--workspace", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        p.set_defaults(handler=handler)
        return p

    p = add("init", cmd_init, help="create a workspace for an organisation")
    p.add_argument("dir")
    p.add_argument("--org", required=True, help=f"one of: {', '.join(known_orgs())}")

    clients = sub.add_parser("clients", help="the client register").add_subparsers(dest="action", required=True)
    add("import", cmd_clients_import, clients, help="import clients from YAML or CSV").add_argument("file")
    add("list", cmd_clients_list, clients, help="list clients")

    consent = sub.add_parser("consent", help="consent records").add_subparsers(dest="action", required=True)
    add("import", cmd_consent_import, consent, help="import consent from YAML or CSV").add_argument("file")
    add("list", cmd_consent_list, consent, help="list consent records").add_argument("--client")
    p = add("withdraw", cmd_consent_withdraw, consent, help="withdraw a client's consent (today)")
    p.add_argument("client")
    p.add_argument("--to", help="only consent for this recipient")

    p = add("redact", cmd_redact, help="redact reports for one client and recipient")
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("--client", required=True)
    p.add_argument("--to", required=True, metavar="RECIPIENT")
    p.add_argument("--out-dir", required=True)
    p.add_argument("--term", action="append", default=[], help="also remove every occurrence of TEXT")
    p.add_argument("--unsafe-pages", choices=("hold", "rasterise"), default="hold",
                   help="PDF pages whose text cannot be read safely: hold the document (default) "
                        "or rebuild them as redacted images")

    from .queue_cli import add_commands  # watch, queue, review, users, audit, purge
    add_commands(sub, add)

    p = add("serve", cmd_serve, help="the browser review page (sign in at /login)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p = add("passwd", cmd_passwd, help="set a user's password for the browser review page")
    p.add_argument("name")
    p.add_argument("--by", help="the admin setting it (not needed to set your own)")
    p.add_argument("--stdin", action="store_true", help="read the password from standard input")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    args.workspace = getattr(args, "workspace", None)
    try:
        return args.handler(args)
    except RedactorError as error:
        print(f"redactor: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
