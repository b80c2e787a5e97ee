"""The command line: workspace, register and consent commands, and every error path.

Most tests call `redactor.cli.main` in-process (one model load for the
suite); a few run the real executable where the exit code and output
contract is the point.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import CLIENT, consent
from redactor.cli import main
from redactor.workspace import ORG_CONFIG_DIR

REPORT = ("Report about Sarah Collins.\n\nHer partner, Darren Smith, lives at 4 Oak Road, Leeds LS1 1AA.\n"
          "Sarah has been diagnosed with depression.\n")


@pytest.fixture(autouse=True)
def _no_ambient_workspace(monkeypatch, tmp_path):
    """No test sees a workspace from the environment or the folder it runs in."""
    monkeypatch.delenv("REDACTOR_WORKSPACE", raising=False)
    home = tmp_path / "cwd"
    home.mkdir()
    monkeypatch.chdir(home)


@pytest.fixture
def cli(capsys):
    """``cli(*args) -> (exit code, stdout, stderr)``, in-process."""
    def run(*args: object) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err
    return run


def write_yaml(path: Path, data: object) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def assert_one_line_error(code: int, err: str, *fragments: str, exit_code: int = 2) -> None:
    assert code == exit_code
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("redactor: ")
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture
def workspace(cli, tmp_path):
    """An initialised dv_service workspace with CLIENT imported, via the CLI."""
    root = tmp_path / "ws"
    assert cli("init", root, "--org", "dv_service")[0] == 0
    assert cli("--workspace", root, "clients", "import", write_yaml(tmp_path / "clients.yaml", [CLIENT]))[0] == 0
    return root


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


# --- init, import, list, withdraw ---------------------------------------------

def test_init_creates_a_workspace_with_the_organisations_configuration(cli, tmp_path):
    code, out, _ = cli("init", tmp_path / "ws", "--org", "wmwa")
    assert code == 0 and "created workspace for wmwa" in out
    config = yaml.safe_load((tmp_path / "ws" / "redactor.yaml").read_text())
    assert config == yaml.safe_load((ORG_CONFIG_DIR / "wmwa.yaml").read_text())
    assert (tmp_path / "ws" / "redactor.db").is_file()


def test_init_refuses_to_overwrite_a_workspace(cli, tmp_path):
    cli("init", tmp_path / "ws", "--org", "wmwa")
    before = (tmp_path / "ws" / "redactor.yaml").read_bytes()
    code, _, err = cli("init", tmp_path / "ws", "--org", "dv_service")
    assert_one_line_error(code, err, "already a workspace")
    assert (tmp_path / "ws" / "redactor.yaml").read_bytes() == before


def test_clients_import_and_list(cli, workspace, tmp_path):
    more = [{"id": "C-2", "name": "Amy Lowe"}, {"id": "C-3", "name": "Bea Nash", "aliases": ["Bea"]}]
    code, out, _ = cli("--workspace", workspace, "clients", "import", write_yaml(tmp_path / "more.yaml", more))
    assert code == 0 and "imported 2 client(s)" in out
    code, out, _ = cli("--workspace", workspace, "clients", "list")
    assert out.splitlines() == ["C-1\tSarah Collins", "C-2\tAmy Lowe", "C-3\tBea Nash"]


def test_clients_import_updates_an_existing_client(cli, workspace, tmp_path):
    cli("--workspace", workspace, "clients", "import",
        write_yaml(tmp_path / "again.yaml", [{**CLIENT, "name": "Sarah Jane Collins"}]))
    assert cli("--workspace", workspace, "clients", "list")[1].splitlines() == ["C-1\tSarah Jane Collins"]


def test_csv_import_of_clients_and_consent(cli, workspace, tmp_path):
    clients = tmp_path / "clients.csv"
    clients.write_text("id,name,aliases,dob,address\n"
                       "C-7,Nia Jones,Nia;Ms Jones,1990-01-02,\"3 Quay Street, Carmarthen SA31 3JT\"\n",
                       encoding="utf-8")
    assert cli("--workspace", workspace, "clients", "import", clients)[:2] == (0, "imported 1 client(s)\n")
    consents = tmp_path / "consents.csv"
    consents.write_text("client,recipient,scopes,given,expires,evidence\n"
                        "C-7,gp,health;contact,2025-01-01,2099-01-01,signed form\n", encoding="utf-8")
    assert cli("--workspace", workspace, "consent", "import", consents)[0] == 0
    code, out, _ = cli("--workspace", workspace, "consent", "list", "--client", "C-7")
    assert code == 0
    [line] = out.splitlines()
    fields = line.split("\t")
    assert fields[1:4] == ["C-7", "gp", "health,contact"] and "in force" in fields


def test_consent_import_list_and_withdraw(cli, workspace, tmp_path):
    records = [consent("court", ["health"]), consent("gp", ["health", "contact"])]
    code, out, _ = cli("--workspace", workspace, "consent", "import", write_yaml(tmp_path / "c.yaml", records))
    assert code == 0 and "imported 2 consent record(s)" in out
    listed = cli("--workspace", workspace, "consent", "list")[1].splitlines()
    assert len(listed) == 2 and all("\tin force\t" in line for line in listed)

    code, out, _ = cli("--workspace", workspace, "consent", "withdraw", "C-1", "--to", "court")
    assert code == 0 and "withdrew 1 consent record(s)" in out
    states = {line.split("\t")[2]: line.split("\t")[6] for line in
              cli("--workspace", workspace, "consent", "list")[1].splitlines()}
    assert states == {"court": "withdrawn", "gp": "in force"}


# --- errors: one clear line, non-zero exit, nothing written --------------------

def test_unknown_organisation(cli, tmp_path):
    code, _, err = cli("init", tmp_path / "ws", "--org", "nowhere")
    assert_one_line_error(code, err, "unknown organisation 'nowhere'", "dv_service")
    assert not (tmp_path / "ws").exists()


def test_workspace_not_found(cli, tmp_path):
    code, _, err = cli("--workspace", tmp_path / "missing", "clients", "list")
    assert_one_line_error(code, err, "not a redactor workspace")
    assert not (tmp_path / "missing").exists()
    code, _, err = cli("clients", "list")  # neither option, environment nor current folder
    assert_one_line_error(code, err, "not a redactor workspace")


def _consents(cli, workspace) -> list[str]:
    return cli("--workspace", workspace, "consent", "list")[1].splitlines()


@pytest.mark.parametrize("bad, fragments", [
    ({"client": "C-404"}, ["unknown client 'C-404'"]),
    ({"recipient": "neighbour"}, ["unknown recipient 'neighbour'"]),
    ({"scopes": ["health", "telepathy"]}, ["unknown consent scope 'telepathy'"]),
    ({"given": "last Tuesday"}, ["given", "not a date"]),
    ({"evidence": ""}, ["missing required field 'evidence'"]),
], ids=["client", "recipient", "scope", "date", "evidence"])
def test_a_bad_consent_record_imports_nothing(cli, workspace, tmp_path, bad, fragments):
    records = [consent("court", ["health"]), consent("gp", ["health"]), {**consent("police", ["health"]), **bad}]
    path = write_yaml(tmp_path / "consents.yaml", records)
    code, _, err = cli("--workspace", workspace, "consent", "import", path)
    assert_one_line_error(code, err, f"{path}:", *fragments)
    entry_lines = [n for n, line in enumerate(path.read_text().splitlines(), 1) if line.startswith("- ")]
    assert f"{path}:{entry_lines[2]}:" in err  # the line of the bad entry
    assert _consents(cli, workspace) == []


def test_malformed_yaml_names_the_file_and_line(cli, workspace, tmp_path):
    path = tmp_path / "clients.yaml"
    path.write_text("- id: A-1\n  name: Ann Bee\n- id: A-2\n  name: Bob: Smith\n- id: A-3\n", encoding="utf-8")
    code, _, err = cli("--workspace", workspace, "clients", "import", path)
    assert_one_line_error(code, err, f"{path}:4:", "not valid YAML")
    assert cli("--workspace", workspace, "clients", "list")[1].splitlines() == ["C-1\tSarah Collins"]


def test_a_client_without_a_name_imports_nothing(cli, workspace, tmp_path):
    path = write_yaml(tmp_path / "clients.yaml", [{"id": "C-2", "name": "Amy Lowe"}, {"id": "C-3"}])
    code, _, err = cli("--workspace", workspace, "clients", "import", path)
    assert_one_line_error(code, err, f"{path}:3:", "missing required field 'name'")
    assert cli("--workspace", workspace, "clients", "list")[1].splitlines() == ["C-1\tSarah Collins"]


@pytest.mark.parametrize("name", ["clients.json", "missing.yaml"])
def test_register_file_unsupported_or_missing(cli, workspace, tmp_path, name):
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text("[]", encoding="utf-8")
    code, _, err = cli("--workspace", workspace, "clients", "import", path)
    assert_one_line_error(code, err, name)


def test_withdraw_for_an_unknown_client(cli, workspace):
    code, _, err = cli("--workspace", workspace, "consent", "withdraw", "C-404")
    assert_one_line_error(code, err, "unknown client 'C-404'")


@pytest.mark.parametrize("args, fragments", [
    (["--client", "C-404", "--to", "court"], ["unknown client 'C-404'"]),
    (["--client", "C-1", "--to", "neighbour"], ["unknown recipient 'neighbour'"]),
])
def test_redact_for_an_unknown_client_or_recipient_writes_nothing(cli, workspace, report, tmp_path, args,
                                                                  fragments):
    code, out, err = cli("--workspace", workspace, "redact", report, *args, "--out-dir", tmp_path / "out")
    assert_one_line_error(code, err, *fragments)
    assert out == "" and not (tmp_path / "out").exists()


def test_redact_an_unsupported_format_writes_nothing(cli, workspace, tmp_path):
    source = tmp_path / "report.rtf"
    source.write_text(r"{\rtf1 Sarah}", encoding="utf-8")
    code, _, err = cli("--workspace", workspace, "redact", source, "--client", "C-1", "--to", "court",
                       "--out-dir", tmp_path / "out")
    assert_one_line_error(code, err, "report.rtf", "unsupported format .rtf")
    assert not (tmp_path / "out").exists()


def test_redact_a_missing_file_writes_nothing(cli, workspace, tmp_path):
    code, _, err = cli("--workspace", workspace, "redact", tmp_path / "nope.txt", "--client", "C-1", "--to",
                       "court", "--out-dir", tmp_path / "out")
    assert_one_line_error(code, err, "nope.txt", "no such file")
    assert not (tmp_path / "out").exists()


def test_a_bad_input_holds_only_itself(cli, workspace, report, tmp_path):
    code, out, err = cli("--workspace", workspace, "redact", tmp_path / "nope.txt", report, "--client", "C-1",
                         "--to", "court", "--out-dir", tmp_path / "out")
    assert code == 2 and "nope.txt" in err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.txt", "report.txt.report.json"]
    assert "report.txt ->" in out


def test_refusal_exits_3_and_writes_nothing(cli, workspace, report, tmp_path):
    code, out, err = cli("--workspace", workspace, "redact", report, "--client", "C-1", "--to", "partner",
                         "--out-dir", tmp_path / "out")
    assert_one_line_error(code, err, "refused", "partner", exit_code=3)
    assert out == "" and not (tmp_path / "out").exists()


LEAKY_LABELS = '''
from redactor import hookimpl

@hookimpl
def redactor_label(finding, context):
    return "[HIV status removed]"
'''


def test_a_held_document_exits_4_and_writes_nothing(cli, workspace, report, tmp_path):
    """An allow-listed plugin whose label would disclose: the document is held."""
    plugin_dir = tmp_path / "plugins"
    plugin_dir.mkdir()
    shutil.copy(ORG_CONFIG_DIR.parent / "plugins" / "dv_service.py", plugin_dir / "dv_service.py")
    (plugin_dir / "cli_leaky_labels.py").write_text(LEAKY_LABELS, encoding="utf-8")
    config_path = workspace / "redactor.yaml"
    config = yaml.safe_load(config_path.read_text())
    config.update(plugin_dir=str(plugin_dir), plugins={"allow": ["cli_leaky_labels"]})
    write_yaml(config_path, config)
    code, out, err = cli("--workspace", workspace, "redact", report, "--client", "C-1", "--to", "court",
                         "--out-dir", tmp_path / "out")
    assert_one_line_error(code, err, "special category", exit_code=4)
    assert out == "" and not any((tmp_path / "out").glob("*"))


def test_a_plugin_not_on_the_allow_list_is_an_error(cli, workspace, report, tmp_path):
    config_path = workspace / "redactor.yaml"
    config = yaml.safe_load(config_path.read_text())
    config["plugins"] = {"allow": ["not_installed_anywhere"]}
    write_yaml(config_path, config)
    code, _, err = cli("--workspace", workspace, "redact", report, "--client", "C-1", "--to", "court",
                       "--out-dir", tmp_path / "out")
    assert_one_line_error(code, err, "not_installed_anywhere")
    assert not (tmp_path / "out").exists()


# --- which workspace ---------------------------------------------------------

def test_workspace_precedence_option_then_environment_then_current_folder(cli, tmp_path, monkeypatch):
    roots = {}
    for name in ("option", "environment", "here"):
        roots[name] = tmp_path / name
        cli("init", roots[name], "--org", "wmwa")
        cli("--workspace", roots[name], "clients", "import",
            write_yaml(tmp_path / f"{name}.yaml", [{"id": f"ID-{name}", "name": name.title()}]))

    def listed(*args: object) -> str:
        code, out, err = cli(*args, "clients", "list")
        assert code == 0, err
        return out.split("\t")[0]

    monkeypatch.chdir(roots["here"])
    assert listed() == "ID-here"
    monkeypatch.setenv("REDACTOR_WORKSPACE", str(roots["environment"]))
    assert listed() == "ID-environment"
    assert listed("--workspace", roots["option"]) == "ID-option"
    # the option is accepted after the subcommand too
    code, out, _ = cli("clients", "list", "--workspace", roots["option"])
    assert code == 0 and out.startswith("ID-option")


# --- the executable itself: exit codes and output ------------------------------

def _redactor(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "redactor.cli", *map(str, args)], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=300)


def test_executable_happy_path(tmp_path):
    ws = tmp_path / "ws"
    env = {"REDACTOR_WORKSPACE": str(ws)}
    assert _redactor("init", ws, "--org", "dv_service").returncode == 0
    assert _redactor("clients", "import", write_yaml(tmp_path / "c.yaml", [CLIENT]), env=env).returncode == 0
    assert _redactor("consent", "import", write_yaml(tmp_path / "k.yaml", [consent("court", ["health"])]),
                     env=env).returncode == 0
    source = tmp_path / "report.txt"
    source.write_text(REPORT, encoding="utf-8")
    done = _redactor("redact", source, "--client", "C-1", "--to", "court", "--out-dir", tmp_path / "out", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"report.txt -> {tmp_path / 'out' / 'report.txt'}: ")
    assert "redaction(s)" in done.stdout
    output = (tmp_path / "out" / "report.txt").read_text()
    assert "depression" in output and "Darren" not in output and "4 Oak Road" not in output


def test_executable_refusal_and_bad_input_exit_codes(tmp_path):
    ws = tmp_path / "ws"
    env = {"REDACTOR_WORKSPACE": str(ws)}
    _redactor("init", ws, "--org", "dv_service")
    _redactor("clients", "import", write_yaml(tmp_path / "c.yaml", [CLIENT]), env=env)
    source = tmp_path / "report.txt"
    source.write_text(REPORT, encoding="utf-8")
    refused = _redactor("redact", source, "--client", "C-1", "--to", "partner", "--out-dir", tmp_path / "out",
                        env=env)
    assert refused.returncode == 3 and refused.stdout == ""
    assert refused.stderr.count("\n") == 1 and "refused" in refused.stderr
    assert not (tmp_path / "out").exists()
    unknown = _redactor("redact", source, "--client", "C-9", "--to", "court", "--out-dir", tmp_path / "out",
                        env=env)
    assert unknown.returncode == 2 and "unknown client" in unknown.stderr
    assert not (tmp_path / "out").exists()
