"""``python -m bot``: the same command line as ``shram-sahayak`` (``bot.cli``)."""
from bot.cli import main

raise SystemExit(main())
