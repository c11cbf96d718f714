"""``shram-sahayak``: the command line.

    shram-sahayak run                                    the Telegram bot, long polling
    shram-sahayak webhook [--host H] [--port P]          the Telegram bot, webhook server
    shram-sahayak console [--user NAME] [--lang CODE]    register in the terminal
    shram-sahayak migrate                                create or upgrade the database
    shram-sahayak rotate-key                             re-encrypt with SHRAM_NEW_VAULT_KEY
    shram-sahayak erase --reference SS-.. --by WHO       erase a worker's data on request
    shram-sahayak catalogues                             update locales/ from the code
    shram-sahayak staff add-admin|list|revoke [USER]     CSC desk roles (USER: a Telegram user id)
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os

from bot.config import ConfigError, Settings, load_settings
from bot.i18n import languages
from bot.logs import setup_logging
from bot.store import open_store


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shram-sahayak", description="e-Shram registration assistant")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the Telegram bot with long polling")
    webhook = sub.add_parser("webhook", help="run the Telegram bot as a webhook server")
    webhook.add_argument("--host", default="0.0.0.0")
    webhook.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8080")),
                         help="default: $PORT, else 8080")
    console = sub.add_parser("console", help="register a worker in this terminal")
    console.add_argument("--user", default="local", help="who is registering (keeps their draft apart)")
    console.add_argument("--lang", choices=languages(), help="language offered first")
    sub.add_parser("migrate", help="create or upgrade the database schema")
    sub.add_parser("rotate-key", help="re-encrypt personal data with the key in SHRAM_NEW_VAULT_KEY "
                                      "(stop the bot first)")
    from bot.store.erase_command import add_arguments as erase_arguments
    erase_arguments(sub.add_parser("erase", help="erase a worker's data on their request (stop the bot first)"))
    sub.add_parser("catalogues", help="extract messages and update the catalogue of every language in locales/")
    staff = sub.add_parser("staff", help="CSC desk roles: add an admin, list, revoke")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    staff_sub.add_parser("add-admin", help="make a Telegram user an admin").add_argument("user")
    staff_sub.add_parser("list", help="list admins, officials and operators")
    staff_sub.add_parser("revoke", help="take a user's role away").add_argument("user")
    return parser


async def _migrate(settings: Settings) -> None:
    store = await open_store(settings)
    await store.close()
    print("database is up to date")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    setup_logging()
    try:
        settings = load_settings()
        if args.command == "run":
            from bot.channels.telegram.runners import run_polling
            asyncio.run(run_polling(settings))
        elif args.command == "webhook":
            from bot.channels.telegram.runners import run_webhook
            run_webhook(settings, args.host, args.port)
        elif args.command == "console":
            from bot.channels.console import run as run_console
            asyncio.run(run_console(settings, args.user, lang=args.lang))
        elif args.command == "migrate":
            asyncio.run(_migrate(settings))
        elif args.command == "staff":
            from bot.desk.cli import run_staff
            return asyncio.run(run_staff(settings, args.staff_command, getattr(args, "user", None)))
        elif args.command == "rotate-key":
            from bot.store.key_rotation_command import rotate_key
            asyncio.run(rotate_key(settings))
        elif args.command == "erase":
            from bot.store.erase_command import erase
            asyncio.run(erase(settings, args))
        elif args.command == "catalogues":
            from bot.catalogues_tool import main as update_catalogues
            return update_catalogues()
    except ConfigError as exc:
        logging.getLogger("shram").error("%s", exc)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
