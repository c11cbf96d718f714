"""What the CSC desk says, to staff and to the workers it notifies.
English msgids with named placeholders; see ``bot.i18n``."""
from bot.i18n import N_

# -- refusals and general -------------------------------------------------------
NOT_FOR_YOU = N_("Sorry, this command is not available to you.")
NOT_FOUND = N_("There is no application {reference} in your area.")
CANCELLED = N_("Okay, cancelled.")
LANGUAGE_SET = N_("Okay, we will talk in English.")
OWN_APPLICATION = N_("You cannot review your own application. Another operator will do it.")
DESK_HELP_INTRO = N_("Commands of the CSC desk:")

# -- menu of staff commands --------------------------------------------------
ABOUT_DESK = N_("The desk commands I can use")
ABOUT_QUEUE = N_("Applications waiting for verification")
ABOUT_CARD = N_("Open an application by its reference number")
ABOUT_ASSIST = N_("Register a walk-in worker")
ABOUT_PRACTICE = N_("Practise reviewing with sample applications")
ABOUT_INVITE = N_("Invite a CSC operator or an official")
ABOUT_STAFF = N_("List operators and officials")
ABOUT_REVOKE = N_("Take a role away")
ABOUT_TRAIL = N_("Who did what to an application")
ABOUT_INVITES = N_("Open invitations, and cancel one")
ABOUT_JOIN = N_("Answer whether an invitation may change my role")
ABOUT_REASSIGN = N_("Give a walk-in's application to another CSC to correct")

# -- queue and review card ---------------------------------------------------
QUEUE = N_("Applications in {district}:\n"
           "waiting for verification: {waiting} (tagged to your CSC: {at_my_csc})\n"
           "held by you now: {held_by_me}\n"
           "sent back, waiting for the worker: {has_issues}")
NEXT = N_("Next application")
QUEUE_EMPTY = N_("No application is waiting in {district} now. Well done!")
HELD_BY_YOU = N_("It is reserved for you until {time} IST. Please decide before then.")
HELD_BY_OTHER = N_("Another operator is checking it now.")
EDITED_MARK = N_("✏️ Corrected by the worker and submitted again.")
EDITED_AT_CSC = N_("✏️ Corrected at the CSC, with the worker, and submitted again.")
CARD_TITLE = N_("Application {reference} — {state}")
SUBMITTED_ON = N_("Submitted on {date} at {time} IST")
MOBILE_VERIFIED = N_("(confirmed by Telegram)")
MOBILE_UNVERIFIED = N_("(not verified: check it)")
ASSISTED = N_("Registered for the worker at CSC {csc} by operator {operator}. Another operator or an "
              "official verifies it.")
YOU_REGISTERED = N_("You registered or corrected this application for the worker, so another operator or "
                    "an official must verify it.")
LAST_NOTE = N_("Note: {note}")
STATE_SUBMITTED = N_("waiting")
STATE_IN_REVIEW = N_("being checked")
STATE_HAS_ISSUES = N_("sent back to the worker")
STATE_APPROVED = N_("approved, UAN {uan}")
STATE_REJECTED = N_("rejected")
APPROVE = N_("✅ Approve")
SEND_BACK = N_("↩️ Send back")
REJECT = N_("❌ Reject")
REVEAL = N_("Show full Aadhaar")
RELEASE = N_("Put back in the queue")
REVEALED = N_("Aadhaar of {reference}: {aadhaar}\nThis message will be deleted in {seconds} seconds.")
NOT_HELD = N_("You do not hold application {reference} now (its time may have run out). "
              "Press Next for the next application.")
RELEASED = N_("Application {reference} is back in the queue.")

# -- answers the worker gave by voice (bot.flow.voice) ------------------------------
TO_TYPE = N_("Answered by voice, to type before approving: {fields}. Press ▶ to listen and ⌨ to type what "
             "you hear.")
TYPED_FROM_VOICE = N_("(typed at the CSC from the voice note)")
PLAY_VOICE = N_("▶ Listen: {label}")
TYPE_VOICE = N_("⌨ Type: {label}")
VOICE_OF = N_("The worker's voice note for {label} ({reference}):")
ASK_VOICE_TEXT = N_("Type the {label} as you hear it in the worker's voice note ({reference}). (/cancel to stop)")
VOICE_TYPED = N_("{label} of {reference} is now: {value}")
TYPE_VOICE_FIRST = N_("First type the answers the worker gave by voice: {fields}. Press ⌨ under the card, then "
                      "Approve.")

# -- approve ------------------------------------------------------------------
ASK_UAN = N_("Type the 12-digit UAN that the e-Shram portal gave for {reference}. (/cancel to stop)")
BAD_UAN = N_("A UAN has exactly 12 digits, for example 1234 5678 9012. Please type it again.")
UAN_TAKEN = N_("This UAN is already given to another application. Please check it and type it again.")
APPROVED = N_("Approved: {reference}, UAN {uan}. The worker has been told.")
WORKER_APPROVED = N_(
    "Good news! Your e-Shram application {reference} is approved.\n"
    "Your 12-digit e-Shram number (UAN) is {uan}. Keep it safe.\n\n"
    "You are now covered by PMSBY accident insurance: ₹2 lakh on accidental death or permanent total "
    "disability, ₹1 lakh on partial disability; the government pays the first year's premium. "
    "Your e-Shram card can be downloaded at any CSC.")

# -- send back ------------------------------------------------------------------
PICK_FIELDS = N_("Which answers must the worker correct? Press each one, then Done.")
PICKED = N_("To correct: {fields}")
DONE = N_("Done")
PICK_ONE = N_("Please choose at least one answer to correct.")
ASK_COMMENT = N_("Type a short message for the worker: what is wrong and how to fix it. (/cancel to stop)")
COMMENT_TOO_LONG = N_("Please keep the message under {limit} characters.")
NO_NUMBERS_IN_NOTES = N_("Please do not write an Aadhaar, bank account or mobile number in this message: "
                         "the worker sees it and it is kept in the audit trail. Say in words what is wrong, "
                         "for example \"the account number does not match the passbook\". Type it again.")
SENT_BACK = N_("Sent back: {reference}. The worker has been told what to correct; "
               "when they submit again it comes back to the queue.")
WORKER_SENT_BACK = N_(
    "Your e-Shram application {reference} is not approved yet: first you need to correct some answers.\n"
    "The CSC operator wrote: {comment}\n\n"
    "Please correct your answers to: {fields}. I will ask you these questions again now; then check "
    "your details and press Submit again.")

# -- reject ---------------------------------------------------------------------
PICK_REASON = N_("Why are you rejecting this application? Choose the reason:")
REASON_NOT_ELIGIBLE = N_("The worker is not eligible for e-Shram")
REASON_DOCUMENTS = N_("The details do not match the Aadhaar card or bank passbook")
REASON_DUPLICATE = N_("The worker is already registered on e-Shram")
REASON_NOT_VERIFIED = N_("The worker could not be verified")
REASON_OTHER = N_("Another reason")
ASK_REJECT_NOTE = N_("Type a note for the worker, or press \"Without a note\". (/cancel to stop)")
NO_NOTE = N_("Without a note")
REJECTED = N_("Rejected: {reference}. The worker has been told.")
WORKER_REJECTED = N_("We are sorry: your e-Shram application {reference} was not approved.")
#: why, as the worker reads it: to them ("you"), with what to do next
WORKER_NOT_ELIGIBLE = N_(
    "Under the e-Shram rules you cannot get an e-Shram card: it is for workers aged 16 to 59 who are not "
    "members of EPFO, ESIC or NPS, have no government job and do not pay income tax.\n"
    "ASHA, Anganwadi, mid-day-meal and MGNREGA workers can get one. If you are one of them, or if you think "
    "this is a mistake, please visit your nearest CSC (Jan Seva Kendra) with your Aadhaar card.")
WORKER_DOCUMENTS = N_(
    "Your details do not match your Aadhaar card or bank passbook. Please take your Aadhaar card and bank "
    "passbook to your nearest CSC (Jan Seva Kendra): the operator there will fill in your details from them, "
    "with you.")
WORKER_DUPLICATE = N_(
    "You already have an e-Shram card, so you do not need to register again. If you have lost your card or "
    "your 12-digit e-Shram number (UAN), take your Aadhaar card and the phone linked to it to any CSC "
    "(Jan Seva Kendra): they can download your e-Shram card again.")
WORKER_NOT_VERIFIED = N_(
    "We could not confirm that these details are yours. Please visit your nearest CSC (Jan Seva Kendra) with "
    "your Aadhaar card, your bank passbook and the phone linked to your Aadhaar: they can check who you are "
    "there, with your fingerprint if needed.")
WORKER_REJECTED_NOTE = N_("The CSC operator wrote: {note}")
WORKER_REJECTED_HELP = N_("If you think this is a mistake, please visit your nearest CSC "
                          "(Jan Seva Kendra) with your Aadhaar card and bank passbook.")
#: the reasons an operator picks from (the buttons), by the code kept in the audit trail
REASONS = {"not_eligible": REASON_NOT_ELIGIBLE, "documents": REASON_DOCUMENTS, "duplicate": REASON_DUPLICATE,
           "not_verified": REASON_NOT_VERIFIED, "other": REASON_OTHER}
#: each reason as the worker is told it; "other" has none (the operator's note, if any, says why)
WORKER_REASONS = {"not_eligible": WORKER_NOT_ELIGIBLE, "documents": WORKER_DOCUMENTS,
                  "duplicate": WORKER_DUPLICATE, "not_verified": WORKER_NOT_VERIFIED}

# -- invitations and roles ---------------------------------------------------
INVITE_USAGE = N_("To invite, send:\n"
                  "/invite operator <CSC code> <district>\n"
                  "/invite official <district or state>")
UNKNOWN_PLACE = N_("I do not know the district or state \"{place}\". Write it as India Post does, "
                   "for example HARIDWAR or UTTARAKHAND.")
OUT_OF_SCOPE = N_("That is outside your area.")
INVITE_MADE = N_("Invitation for {role} ({scope}). Send this link to that person only; it works once, "
                 "until {date}:")
ROLE_OPERATOR = N_("CSC operator")
ROLE_OFFICIAL = N_("official")
ROLE_ADMIN = N_("administrator")
INVITE_INVALID = N_("This invitation link does not work any more (it was used or it expired). "
                    "Please ask for a new one.")
WELCOME_STAFF = N_("Welcome! You are now {role} ({scope}). Send /desk to see your commands.")
BAD_CSC = N_("\"{value}\" is not a CSC code. A CSC code has 2 to 32 letters and digits (- and _ allowed), "
             "for example CSC-HW-07.")
TOO_MANY_INVITES = N_("You already have {limit} open invitations. Cancel one with /invites, or wait until "
                      "one is used or expires.")
INVITE_OWN = N_("This is an invitation you made. Send it to the person it is for; it cannot be used by you.")
INVITE_ADMIN_KEEPS = N_("You are an administrator, and an invitation cannot change that. Send the link to "
                        "the person it is for.")
INVITE_CHANGE_ROLE = N_("You are {now} now. This invitation makes you {new} instead, and ends your "
                        "present role. Change your role?")
CHANGE_ROLE = N_("Yes, change my role")
KEEP_ROLE = N_("No, keep my role")
ROLE_KEPT = N_("Okay, your role stays as it is. The invitation is still unused.")
INVITE_USED = N_("Your invitation was used: Telegram user {user} is now {role}.")
INVITES_TITLE = N_("Open invitations in your area:")
INVITES_LINE = N_("{n}. {role}, made by {by}, valid until {until} IST")
PAGE_OF = N_("Page {page} of {pages}")
PREVIOUS_PAGE = N_("◀ Previous")
NEXT_PAGE = N_("Next ▶")
INVITES_NONE = N_("There are no open invitations in your area.")
CANCEL_INVITE = N_("Cancel {n}")
INVITE_CANCELLED = N_("Cancelled: the invitation for {role} no longer works.")
INVITE_GONE = N_("That invitation is no longer open (it was used, cancelled or it expired).")
YOUR_ROLE_REMOVED = N_("Your role on the CSC desk has been taken away. You can still register "
                       "yourself as a worker: send /start.")
STAFF_NONE = N_("No operators or officials in your area yet.")
STAFF_LINE = N_("{user} — {role}, {scope}")
REVOKE_USAGE = N_("Send /revoke <Telegram user id>, for example /revoke 123456789.")
REVOKED = N_("{user} no longer has a role.")
NOT_STAFF = N_("{user} has no role that you can take away.")

# -- audit trail ----------------------------------------------------------------
TRAIL_USAGE = N_("Send /trail <reference>, for example /trail SS-7K4M-9PQ2.")
TRAIL_TITLE = N_("History of {reference} (times in IST):")
TRAIL_EMPTY = N_("Nothing has been done to {reference} yet.")

# -- assisted registration ---------------------------------------------------
ASSIST_INTRO = N_("Assisted registration. Read this notice aloud to the worker, in a language they "
                  "understand, and ask whether they agree:")
ASSIST_AGREE = N_("I read it out; the worker agrees")
ASSIST_STOP = N_("Stop")
ASSIST_CONTINUE = N_("Continue the registration")
ASSIST_BUSY = N_("You are registering a walk-in worker. Continue, or stop and erase their answers?")
ASSIST_STOPPED = N_("Stopped. The walk-in worker's answers are erased.")
ASSIST_NOT_STARTED = N_("Okay, nothing was started.")
ASSIST_STARTED = N_("Ask the worker each question and type their answers. Send /assist to stop.")
ASSIST_DONE = N_("The walk-in worker's application {reference} is submitted. Give the worker this "
                 "reference. Another operator of the district (or an official) will verify it: nobody "
                 "approves an application they registered.")
ASSIST_CORRECT = N_("Correcting {reference} with the worker: ask them these questions again. "
                   "Send /assist to stop for now.")
ASSIST_LEFT = N_("Stopped for now. {reference} waits for its corrections; send /card {reference} to go on.")
ASSIST_NO_DELETE = N_("While you register a walk-in worker, /delete is not available. To stop and "
                      "erase their answers before they are submitted, send /assist and press Stop.")
WALKIN_ELSEWHERE = N_("{reference} was registered at CSC {csc}; its corrections are made there, with the "
                      "worker. An official can give it to another CSC with /reassign.")
ASSIST_FINISH_FIRST = N_("You are registering another walk-in worker now. Finish that registration, or "
                         "send /assist and press Stop, then send /card {reference} again.")
ASSIST_NOT_YOURS = N_("This walk-in's application is corrected at CSC {csc}, not yours. Assisting has stopped.")
REASSIGN_USAGE = N_("Send /reassign <reference> <CSC code>, for example /reassign SS-7K4M-9PQ2 CSC-HW-07.")
REASSIGN_NOT_WALKIN = N_("{reference} was not registered at a CSC for a walk-in worker: the worker corrects "
                         "it themselves.")
REASSIGNED = N_("{reference} is now corrected at CSC {csc}.")
SENT_BACK_WALKIN = N_("Sent back: {reference}. The worker registered here with you, so the corrections "
                      "are made here too.")

# -- practice -------------------------------------------------------------------
PRACTICE_INTRO = N_("Practice: these are sample applications, not real ones. Nothing you do here reaches a "
                    "worker or the counts. Sample {n} of {total}:")
PRACTICE_NEXT = N_("Next sample")
PRACTICE_STOP = N_("Stop practising")
PRACTICE_STOPPED = N_("Practice finished. Send /queue to review real applications.")
PRACTICE_WOULD_SEND = N_("In a real review, the worker would now get this message:")
PRACTICE_RIGHT = N_("Well done: that was the right decision.")
PRACTICE_WRONG = N_("In a real review, think again here.")
PRACTICE_TIP_GOOD = N_("Tip: every detail of this sample matches the documents, so approving it is right.")
PRACTICE_TIP_MISMATCH = N_("Tip: in this sample the name differs from the Aadhaar card (\"Sunita Devi\"), "
                           "so sending it back to correct the name is right.")
PRACTICE_TIP_NPS = N_("Tip: this worker told you they have a government job with NPS, so they are not "
                      "eligible: rejecting is right.")

#: the audit trail's actions, as officials read them
ACTIONS = {
    "submit": N_("submitted by the worker"), "resubmit": N_("corrected and submitted again by the worker"),
    "claim": N_("taken from the queue"), "open": N_("opened by its reference number"),
    "lease_expired": N_("time ran out, back in the queue"), "release": N_("put back in the queue"),
    "reveal_aadhaar": N_("full Aadhaar shown"), "approve": N_("approved"),
    "send_back": N_("sent back to the worker"), "reject": N_("rejected"),
    "erase": N_("erased at the worker's request"),
    "assist_consent": N_("consent read out to a walk-in worker at the CSC"),
    "reassign": N_("given to another CSC to correct"),
    "correct": N_("corrections taken up at the CSC, with the worker"),
    "voice_played": N_("voice answer played"), "voice_typed": N_("voice answer typed"),
}
TO_COMPLETE = N_("To complete at the CSC (the worker did not know them): {fields}. Take them from the worker's "
                 "passbook or papers when you enter the application on the e-Shram portal.")
