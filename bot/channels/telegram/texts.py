"""What the Telegram channel says beyond the engine's messages: English
msgids, translated when shown (see ``bot.i18n``)."""
from bot.i18n import N_

SHARE_MY_NUMBER = N_("📱 Share my number")
QR_CAPTION = N_("Show this QR code at the CSC (Jan Seva Kendra). Reference: {reference}")
TRY_AGAIN = N_("Sorry, something went wrong on our side. Your answers are saved. "
               "Please send your last answer again.")
SLOW_DOWN = N_("You are sending messages faster than I can answer them. Please wait a moment, "
               "then send your answer again.")
PRIVATE_ONLY = N_("Please write to me in a private chat, so that your details stay private.")

#: the command menu, in the order shown
COMMANDS = (
    ("start", N_("Start or continue registration")),
    ("status", N_("My progress / my application")),
    ("help", N_("Help with the current question")),
    ("language", N_("हिन्दी / English")),
    ("cancel", N_("Pause; my answers stay saved")),
    ("delete", N_("Erase all my information")),
)
