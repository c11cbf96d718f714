"""The Telegram channel: python-telegram-bot in, the registration service
below, replies out. No ConversationHandler and no PTB persistence: every
update loads the worker's state from the store, runs the engine, saves and
then replies, so any process can serve any update.

    incoming.py   Update -> Incoming (who, which chat, the engine's Input)
    outgoing.py   Outcome -> Bot API calls (keyboards, QR code, deleting the Aadhaar message)
    app.py        the Application: handler, error handler, command menu
    bots.py       several bots, one deployment: who wrote to which, and which bot reaches a user
    polling.py    long polling: a batch is confirmed only after it is applied
    webhook.py    the ASGI endpoint for webhook mode (a path per bot), with a health check
    runners.py    polling and webhook mode, an Application per bot of the settings
    texts.py      what the channel itself says (button labels, menu, errors)
"""
