"""A scripted console run, as a new user would type it: a real process,
stdin from a script, SQLite on disk; it ends SUBMITTED with a reference, and
the database never holds the Aadhaar or account number in clear."""
import os
import re
import subprocess
import sys
from pathlib import Path

AADHAAR = "234123412346"
ACCOUNT = "12345678901"
SCRIPT = [
    "1", "1", "15/08/1990", "no", "no", "no", "9876543210", AADHAAR, "Ram Kumar", "1", "Shyam Lal", "2",
    "no", "4", "1", "249401", "1", "House 12, Gali 3, Jwalapur", "no", "21", "1", "skip", "7",
    ACCOUNT, ACCOUNT, "SBIN0001234", "Sita Devi", "1", "01/01/1992", "1",
]
REFERENCE = re.compile(r"SS-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}")


def run_console(data_dir: Path, lines: list[str], *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHRAM_")}
    env |= {"SHRAM_DATA_DIR": str(data_dir), "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    return subprocess.run([sys.executable, "-m", "bot.cli", "console", *args], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, env=env, timeout=120, check=True)


def test_scripted_console_run_submits(tmp_path: Path) -> None:
    result = run_console(tmp_path, SCRIPT, "--user", "ram", "--lang", "en")
    assert "Your application is submitted" in result.stdout
    assert REFERENCE.search(result.stdout.split("Your application is submitted")[1])
    assert "XXXX XXXX 2346" in result.stdout
    assert AADHAAR not in result.stdout.replace(f"> {AADHAAR}", "")  # only the typed echo shows it
    assert "generated a development key" in result.stderr
    assert AADHAAR not in result.stderr and ACCOUNT not in result.stderr and "9876543210" not in result.stderr

    # the draft and application survive the process: /status in a new run
    again = run_console(tmp_path, ["/status"], "--user", "ram", "--lang", "en")
    assert "waiting for verification" in again.stdout

    for path in tmp_path.glob("shram.db*"):
        raw = path.read_bytes()
        for secret in (AADHAAR, "2341 2341 2346", ACCOUNT):
            assert secret.encode() not in raw, f"{secret} in clear in {path.name}"
            assert secret.encode("utf-16-le") not in raw


def test_production_refuses_to_start_without_a_key(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHRAM_")}
    env |= {"SHRAM_DATA_DIR": str(tmp_path), "SHRAM_PRODUCTION": "true",
            "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    result = subprocess.run([sys.executable, "-m", "bot.cli", "console"], input="", capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert "SHRAM_VAULT_KEY" in result.stderr
    assert not (tmp_path / "vault.key").exists()
