"""A scripted console run, as a new user would type it: a real process,
stdin from a script, SQLite on disk; it ends SUBMITTED with a reference, and
the database never holds the Aadhaar or account number in clear."""
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.personas import CONSOLE_WORKER

AADHAAR = CONSOLE_WORKER.answers["aadhaar"]
ACCOUNT = CONSOLE_WORKER.answers["bank_account"]
MOBILE = CONSOLE_WORKER.answers["mobile"]
#: what the worker types, in order (the console greets by itself: no /start)
SCRIPT = [line for line in CONSOLE_WORKER.script[1:] if isinstance(line, str)]
REFERENCE = re.compile(r"SS-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}")


def run_console(data_dir: Path, lines: list[str], *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHRAM_")}
    env |= {"SHRAM_DATA_DIR": str(data_dir), "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.run([sys.executable, "-m", "bot.cli", "console", *args], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, env=env, timeout=120, check=True)


def test_scripted_console_run_submits(tmp_path: Path) -> None:
    result = run_console(tmp_path, SCRIPT, "--user", "ram", "--lang", "en")
    assert "Your application is submitted" in result.stdout
    assert REFERENCE.search(result.stdout.split("Your application is submitted")[1])
    assert "XXXX XXXX 2346" in result.stdout
    assert AADHAAR not in result.stdout.replace(f"> {AADHAAR}", "")  # only the typed echo shows it
    assert "generated a development key" in result.stderr
    assert AADHAAR not in result.stderr and ACCOUNT not in result.stderr and MOBILE not in result.stderr

    # the draft and application survive the process: /status in a new run
    again = run_console(tmp_path, ["/status"], "--user", "ram", "--lang", "en")
    assert "waiting to be checked" in again.stdout

    for path in tmp_path.glob("shram.db*"):
        raw = path.read_bytes()
        for secret in (AADHAAR, "2341 2341 2346", ACCOUNT):
            assert secret.encode() not in raw, f"{secret} in clear in {path.name}"
            assert secret.encode("utf-16-le") not in raw


def test_production_refuses_to_start_without_a_key(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHRAM_")}
    env |= {"SHRAM_DATA_DIR": str(tmp_path), "SHRAM_PRODUCTION": "true",
            "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    result = subprocess.run([sys.executable, "-m", "bot.cli", "console"], input="", capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert "SHRAM_VAULT_KEY" in result.stderr
    assert not (tmp_path / "vault.key").exists()
