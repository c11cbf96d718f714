"""``shram-sahayak staff``: bootstrap an admin from the shell, list, revoke."""
from __future__ import annotations

from bot.cli import main


def test_add_list_and_revoke_an_admin(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SHRAM_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SHRAM_DATABASE_URL", raising=False)
    assert main(["staff", "add-admin", "123456789"]) == 0
    assert main(["staff", "list"]) == 0
    assert "tg:123456789\tadmin\teverywhere" in capsys.readouterr().out
    assert main(["staff", "revoke", "123456789"]) == 0
    assert "role taken away" in capsys.readouterr().out
    assert main(["staff", "list"]) == 0
    assert "tg:123456789" not in capsys.readouterr().out
    assert main(["staff", "add-admin", "not a number"]) == 2
