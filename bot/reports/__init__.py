"""Officials' reports: targets, camps, /progress with its chart, the daily
digest and exports. Nothing here knows Telegram: handlers take a
``bot.staff_commands.Request`` and return an ``Outcome`` of replies."""
