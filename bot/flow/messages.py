"""What the engine says outside the questions themselves: confirmations,
command answers, review, status. English msgids; see ``bot.i18n``."""
from bot.i18n import N_

COMMANDS_HELP = N_(
    "You can send these commands at any time:\n"
    "/help – help with this question\n"
    "/status – how many questions are left, or where your application is\n"
    "/language – हिन्दी / English\n"
    "/cancel – pause; your answers stay saved\n"
    "/delete – erase all your information")
HELP_INTRO = N_("About this question ({label}):")
NOT_UNDERSTOOD_CHOICE = N_("Please press a button below, or write your answer in other words.")
NOT_YES_NO = N_("Please answer yes or no (हाँ / नहीं).")
NO_NUMBER_HERE = N_("Please do not write a phone, Aadhaar or bank account number here. "
                    "Type only what the question asks, for example a name: Ram Kumar.")
ONLY_TEXT = N_("I can read only typed text and the buttons here. Please answer the question below.")
EDITED_MESSAGE = N_("I can't see edits to messages you've already sent. Please send your answer as a new message.")
NO_VOICE = N_("At this question please type or press a button.")
CONTACT_VERIFIED = N_("Thank you. Your number {number} is confirmed by Telegram.")
CONTACT_NOT_OWN = N_("{number} is not the number of this Telegram account, so it is noted as "
                     "not checked. The CSC will check it.")
UNKNOWN_COMMAND = N_("I do not know that command.")
STALE_BUTTON = N_("That button belongs to an earlier message. Please answer the question below.")
SKIP = N_("Skip")
KEEP = N_("Keep the current answer")
CURRENT_ANSWER = N_("Current answer: {value}")
AADHAAR_NOTED = N_("Aadhaar number {masked} noted.")
ACCOUNT_NOTED = N_("Account number {masked} noted.")
UPDATED = N_("Changed.")
LANGUAGE_SET = N_("Okay, we will talk in English.")
PROGRESS = N_("{done} of {total} questions answered, {left} left. Your answers are saved.")
PAUSED = N_("Paused. Your answers are saved. Send /start whenever you want to go on.")
WELCOME_BACK = N_("Welcome back! {done} of {total} questions answered, {left} left.")
RESUME_CONTINUE = N_("Continue")
RESUME_RESTART = N_("Start over (erase my answers)")
RESTARTED = N_("Your answers are erased. Let us start again.")
CONFIRM_DELETE = N_("This erases all your information with us for good: your answers{application}. Are you sure?")
CONFIRM_DELETE_APPLICATION = N_(" and your submitted application")
DELETE_YES = N_("Yes, erase everything")
DELETE_NO = N_("No, keep my information")
DELETED = N_("All your information is erased. Thank you. To register later, send /start.")
NOT_DELETED = N_("Nothing was erased.")
NOTHING_TO_DELETE = N_("We hold no information of yours.")
START_AGAIN = N_("Send /start to begin again.")
#: the button under the reason a registration stopped (the reasons name it)
START_OVER = N_("Start again")
REVIEW_INTRO = N_("Please check your details:")
REVIEW_OUTRO = N_("If everything is correct, press Submit. To change something, press Change an answer.")
REVIEW_SUBMIT = N_("Submit")
REVIEW_EDIT = N_("Change an answer")
EDIT_PICK = N_("Which answer do you want to change?")
EDIT_BACK = N_("Back to the summary")
AADHAAR_TAKEN = N_(
    "This Aadhaar number is already registered on e-Shram, and one person can register only once. "
    "If you typed it wrong, please type the right number. If it is your Aadhaar and you did not register, "
    "please go to your nearest CSC (Jan Seva Kendra) with your Aadhaar card.")
AADHAAR_CHECKS_USED_UP = N_(
    "For everyone's safety, only a few Aadhaar numbers can be checked in a day, and today's limit is "
    "reached, so this number was not checked or noted. Your other answers are saved. Please send your "
    "Aadhaar number again tomorrow, or go to your nearest CSC (Jan Seva Kendra) with your Aadhaar card.")
SUBMITTED = N_(
    "Your application is submitted. Your reference number is {reference}.\n\n"
    "What next: take your Aadhaar card, bank passbook and mobile phone to your nearest CSC "
    "(Jan Seva Kendra), and show this reference number. Once it is checked, you will get your "
    "12-digit e-Shram number (UAN) here.\n"
    "Registration is free: pay no one.")
RESUBMITTED = N_(
    "Thank you. Your corrected application {reference} is sent again for verification at the CSC. "
    "You will get your 12-digit UAN here once it is approved.")
STATUS_SUBMITTED = N_("Your application {reference} is waiting to be checked at a CSC. "
                      "Take your Aadhaar card and bank passbook to the CSC and show this reference number.")
STATUS_IN_REVIEW = N_("Your application {reference} is being checked by a CSC operator now.")
STATUS_HAS_ISSUES = N_("Your application {reference} needs a correction. Please do as the operator's message says.")
STATUS_APPROVED = N_("Your application {reference} is approved. Your e-Shram number (UAN) is {uan}. "
                     "You are covered by PMSBY accident insurance: ₹2 lakh on accidental death or permanent "
                     "total disability, ₹1 lakh on partial disability. The government pays the first "
                     "year's premium.")
STATUS_REJECTED = N_("Your application {reference} was not approved. Please go to your nearest CSC for help.")
YES = N_("Yes")
NO = N_("No")
SKIPPED = N_("(skipped)")

# -- typed answers to closed questions (bot.flow.understanding) -------------------
NOT_UNDERSTOOD_TYPED = N_("I did not understand “{typed}”. Please press a button below, "
                          "or write your answer in other words.")
DID_YOU_MEAN = N_("Did you mean “{choice}”?")
WHICH_ONE = N_("Which of these do you mean?")
NONE_OF_THESE = N_("None of these")
NOT_THAT = N_("All right. Please press a button below, or write your answer in other words.")
DONT_KNOW = N_("I don't know")
AT_CSC = N_("not known (to be filled in at the CSC)")
YEAR_ONLY = N_("{year} (year only; e-Shram takes it as 01/01/{year})")
YEAR_NOTED = N_("Only the year, {year}, is noted. e-Shram takes such a date as 01/01/{year}.")

# -- answers given as a voice note (bot.flow.voice) --------------------------------
VOICE_RECEIVED = N_("Your voice note is received. It will be typed at the CSC.")
BY_VOICE = N_("answered by voice (to be typed at the CSC)")
#: in a question that names an answer given by voice ("How is {nominee_name} related to you?")
NAMED_BY_VOICE = N_("this person")

# -- getting ready, and the form's sections (bot.flow.form) ------------------------
READY = N_("Keep these with you:\n"
           "📄 Aadhaar card\n"
           "🏦 bank passbook\n"
           "📱 the phone whose number is linked to Aadhaar\n"
           "No such phone? Then the registration is finished at the CSC with a fingerprint.")
