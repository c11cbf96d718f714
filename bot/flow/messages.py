"""What the engine says outside the questions themselves: confirmations,
command answers, review, status. English msgids; see ``bot.i18n``."""
from bot.i18n import N_

COMMANDS_HELP = N_(
    "You can use these commands at any time:\n"
    "/help – explain the current question\n"
    "/status – see how far you have come\n"
    "/language – हिन्दी / English\n"
    "/cancel – pause; your answers stay saved\n"
    "/delete – erase all your data")
HELP_INTRO = N_("About this question ({label}):")
NOT_UNDERSTOOD_CHOICE = N_("Please press one of the buttons below, or write your answer in other words.")
NOT_YES_NO = N_("Please answer yes or no (हाँ / नहीं).")
NO_NUMBER_HERE = N_("Please do not write a phone, Aadhaar or bank account number here. "
                    "Type only what the question asks.")
ONLY_TEXT = N_("I can read only typed text and the buttons here. Please answer the question below.")
EDITED_MESSAGE = N_("I do not read changes to messages already sent. Please send your answer as a new message.")
NO_VOICE = N_("At this question please type or press a button.")
CONTACT_VERIFIED = N_("Thank you. Your number {number} is confirmed by Telegram.")
CONTACT_NOT_OWN = N_("{number} is not the number of this Telegram account, so we have noted it as "
                     "not verified. The CSC will check it.")
UNKNOWN_COMMAND = N_("I do not know that command.")
STALE_BUTTON = N_("That button belongs to an earlier message. Please answer the current question.")
SKIP = N_("Skip")
KEEP = N_("Keep the current answer")
CURRENT_ANSWER = N_("Current answer: {value}")
AADHAAR_NOTED = N_("Aadhaar number {masked} noted.")
ACCOUNT_NOTED = N_("Account number {masked} noted.")
UPDATED = N_("Changed.")
LANGUAGE_SET = N_("Okay, we will talk in English.")
PROGRESS = N_("You have answered {done} of {total} questions. Your answers are saved.")
PAUSED = N_("Paused. Your answers are saved. Send /start whenever you want to continue.")
WELCOME_BACK = N_("Welcome back! You have answered {done} of {total} questions.")
RESUME_CONTINUE = N_("Continue")
RESUME_RESTART = N_("Start over (erase my answers)")
RESTARTED = N_("Your answers are erased. Let us start again.")
CONFIRM_DELETE = N_("This will permanently erase all your data with us: your answers{application}. Are you sure?")
CONFIRM_DELETE_APPLICATION = N_(" and your submitted application")
DELETE_YES = N_("Yes, erase everything")
DELETE_NO = N_("No, keep my data")
DELETED = N_("All your data has been erased. Thank you. If you want to register later, send /start.")
NOT_DELETED = N_("Nothing was erased.")
NOTHING_TO_DELETE = N_("We hold no data of yours.")
START_AGAIN = N_("Send /start to begin again.")
REVIEW_INTRO = N_("Please check your details:")
REVIEW_OUTRO = N_("If everything is correct, press Submit. To change something, press Change an answer.")
REVIEW_SUBMIT = N_("Submit")
REVIEW_EDIT = N_("Change an answer")
EDIT_PICK = N_("Which answer do you want to change?")
EDIT_BACK = N_("Back to the summary")
AADHAAR_TAKEN = N_(
    "An e-Shram registration already exists for this Aadhaar number, and one person can register only "
    "once. If you typed a wrong number, please type the correct one. If this is your Aadhaar and you did "
    "not register, please visit your nearest CSC (Jan Seva Kendra) with your Aadhaar card.")
AADHAAR_CHECKS_USED_UP = N_(
    "For everyone's safety, one person can check only a few Aadhaar numbers in a day, and that limit is "
    "reached for today, so this number was not checked or noted. Your other answers are saved. Please "
    "send your Aadhaar number again tomorrow, or visit your nearest CSC (Jan Seva Kendra) with your "
    "Aadhaar card.")
SUBMITTED = N_(
    "Your application is submitted. Your reference number is {reference}.\n\n"
    "What next: go to your nearest CSC (Jan Seva Kendra) with your Aadhaar card, bank passbook and "
    "mobile phone, and show this reference. The operator will verify your details, and you will get "
    "your 12-digit UAN here. Registration is free.")
RESUBMITTED = N_(
    "Thank you. Your corrected application {reference} is sent again for verification at the CSC. "
    "You will get your 12-digit UAN here once it is approved.")
STATUS_SUBMITTED = N_("Your application {reference} is waiting for verification at a CSC. "
                      "Take your Aadhaar card and bank passbook to the CSC and show this reference.")
STATUS_IN_REVIEW = N_("Your application {reference} is being checked by a CSC operator now.")
STATUS_HAS_ISSUES = N_("Your application {reference} needs a correction. Please follow the message from the operator.")
STATUS_APPROVED = N_("Your application {reference} is approved. Your UAN is {uan}. You are covered by "
                     "PMSBY accident insurance: ₹2 lakh on accidental death or permanent disability, "
                     "₹1 lakh on partial disability.")
STATUS_REJECTED = N_("Your application {reference} was not accepted. Please visit your nearest CSC for help.")
YES = N_("Yes")
NO = N_("No")
SKIPPED = N_("(skipped)")

# -- typed answers to closed questions (bot.flow.understanding) -------------------
NOT_UNDERSTOOD_TYPED = N_("I did not understand “{typed}”. Please press one of the buttons below, "
                          "or write your answer in other words.")
DID_YOU_MEAN = N_("Did you mean “{choice}”?")
WHICH_ONE = N_("Which of these do you mean?")
NONE_OF_THESE = N_("None of these")
NOT_THAT = N_("All right. Please press one of the buttons below, or write your answer in other words.")
DONT_KNOW = N_("I don't know")
AT_CSC = N_("not known (to be filled in at the CSC)")
YEAR_ONLY = N_("{year} (year only; e-Shram takes it as 01/01/{year})")
YEAR_NOTED = N_("Only the year, {year}, is noted. e-Shram takes such a date as 01/01/{year}.")

# -- answers given as a voice note (bot.flow.voice) --------------------------------
VOICE_RECEIVED = N_("Your voice note is received. It will be typed at the CSC.")
BY_VOICE = N_("answered by voice (to be typed at the CSC)")
#: in a question that names an answer given by voice ("How is {nominee_name} related to you?")
NAMED_BY_VOICE = N_("this person")
