"""The schema, as an ordered list of numbered migrations.

Every backend applies ``MIGRATIONS`` in order and records each version in
``schema_migrations(version INTEGER PRIMARY KEY, applied_at TEXT)``. Never edit
an applied migration: append a new ``(version, sql)`` with the next number.
Keep the SQL plain (TEXT columns, ISO-8601 UTC timestamps, JSON as TEXT) so a
PostgreSQL backend can share the numbering, adapting the text where it must.

Where the Aadhaar lives: only ``aadhaar_vault.ciphertext`` holds it, encrypted.
Drafts and applications hold a random vault token (in ``aadhaar_token`` and in
their JSON as ``{"aadhaar": {"vault": token}}``); duplicates are found through
``applications.aadhaar_hash``, a keyed hash. Bank account and mobile numbers are encrypted
inside the JSON as ``{"bank_account": {"enc": "v1...."}}`` (a draft written before
mobile numbers were sealed holds its mobile in clear until ``rotate-key`` runs).

``applied_updates`` remembers which channel updates (Telegram update ids) have
been applied, written in the same transaction as their effect, so an update
delivered twice changes nothing the second time.

``staff`` (4) holds who is an admin, an official (of a ``state``, or of one
``district`` in it) or a CSC operator (``csc`` code, in a ``district``);
everyone else is a worker. Applications carry where they count (4):
``state_code`` and ``district`` (India Post's spelling, from the worker's
answers), the ``camp`` and ``csc`` they came through and their
``department`` (see ``bot.store.tally``), and ``edited`` once resubmitted
after a send-back. ``audit`` (4) is the trail of who did what to which
application; ``job_runs`` (4) lets a scheduled job run once per slot across
all bot processes (see ``bot.store.jobs``).

Reports (6): ``camps`` (a registration camp: its deep-link code, day, CSC,
place and department), ``targets`` (per state, district -- '' for the whole
state -- and department: a number by a deadline), ``tallies`` (counters of
applications per place, by dimension ``all``/``department``/``camp``/``csc``
and key, and review state -- plus ``started`` for drafts whose district became
known) and ``tally_days`` (per place, department and IST day: events
``submitted`` and ``approved``), kept in step by ``bot.store.tally`` in the
transaction of every review-state change, so /progress reads a few hundred
counter rows and never the applications; ``digest_subscribers`` (officials
who get the daily summary). Missing parts of a counter's key are '' (a
primary key column cannot be NULL in PostgreSQL).
"""
from __future__ import annotations

SCHEMA_MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    applied_at TEXT
)
"""

MIGRATIONS: list[tuple[int, str]] = [
    (1, """
CREATE TABLE aadhaar_vault (
    token       TEXT PRIMARY KEY,
    ciphertext  TEXT NOT NULL,
    created_at  TEXT
);

CREATE TABLE drafts (
    user_id       TEXT PRIMARY KEY,
    data          TEXT NOT NULL,
    phase         TEXT,
    aadhaar_token TEXT REFERENCES aadhaar_vault(token),
    updated_at    TEXT
);
CREATE INDEX drafts_by_aadhaar_token ON drafts (aadhaar_token);

CREATE TABLE applications (
    reference     TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL UNIQUE,
    aadhaar_hash  TEXT NOT NULL UNIQUE,
    aadhaar_token TEXT REFERENCES aadhaar_vault(token),
    state         TEXT NOT NULL,
    lang          TEXT,
    data          TEXT NOT NULL,
    meta          TEXT,
    uan           TEXT UNIQUE,
    submitted_at  TEXT,
    updated_at    TEXT
);
CREATE INDEX applications_by_state ON applications (state, submitted_at);
CREATE INDEX applications_by_aadhaar_token ON applications (aadhaar_token);
"""),
    (2, """
CREATE TABLE applied_updates (
    key        TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
);
CREATE INDEX applied_updates_by_time ON applied_updates (applied_at);
"""),
    (3, """
ALTER TABLE applied_updates ADD COLUMN user_id TEXT;
CREATE INDEX applied_updates_by_user ON applied_updates (user_id);
"""),
]
MIGRATIONS.append((4, """
CREATE TABLE staff (
    user_id    TEXT PRIMARY KEY,
    role       TEXT NOT NULL,
    state      TEXT,
    district   TEXT,
    csc        TEXT,
    granted_by TEXT,
    granted_at TEXT NOT NULL
);
ALTER TABLE applications ADD COLUMN state_code TEXT;
ALTER TABLE applications ADD COLUMN district TEXT;
ALTER TABLE applications ADD COLUMN csc TEXT;
ALTER TABLE applications ADD COLUMN camp TEXT;
ALTER TABLE applications ADD COLUMN department TEXT;
ALTER TABLE applications ADD COLUMN edited INTEGER NOT NULL DEFAULT 0;
CREATE INDEX applications_by_place ON applications (state_code, district, state, submitted_at);
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    reference  TEXT,
    detail     TEXT
);
CREATE INDEX audit_by_reference ON audit (reference, id);
CREATE TABLE job_runs (
    job        TEXT NOT NULL,
    slot       TEXT NOT NULL,
    runner     TEXT,
    started_at TEXT NOT NULL,
    PRIMARY KEY (job, slot)
);
"""))

# 5: the CSC desk. An application under review has a lease (``lease_holder``
# until ``lease_until``); ``review_note`` keeps the last send-back or reject
# note for the worker. ``invites`` holds one-time role invitations by the
# SHA-256 of their token (the token itself is only in the link).
# ``desk_sessions`` is a staff user's desk state: a pending question (a UAN,
# a comment), the walk-in worker being assisted, a practice round, a language.
MIGRATIONS.append((5, """
ALTER TABLE applications ADD COLUMN lease_holder TEXT;
ALTER TABLE applications ADD COLUMN lease_until TEXT;
ALTER TABLE applications ADD COLUMN review_note TEXT;
CREATE INDEX applications_by_holder ON applications (lease_holder);
CREATE TABLE invites (
    token_hash TEXT PRIMARY KEY,
    role       TEXT NOT NULL,
    state      TEXT,
    district   TEXT,
    csc        TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_by    TEXT,
    used_at    TEXT
);
CREATE TABLE desk_sessions (
    user_id    TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""))
MIGRATIONS.append((6, """
CREATE TABLE camps (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    day         TEXT NOT NULL,
    csc         TEXT NOT NULL,
    state_code  TEXT NOT NULL,
    district    TEXT,
    department  TEXT,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TABLE targets (
    state_code  TEXT NOT NULL,
    district    TEXT NOT NULL,
    department  TEXT NOT NULL,
    target      INTEGER NOT NULL,
    deadline    TEXT NOT NULL,
    set_by      TEXT NOT NULL,
    set_at      TEXT NOT NULL,
    PRIMARY KEY (state_code, district, department)
);
CREATE TABLE tallies (
    state_code   TEXT NOT NULL,
    district     TEXT NOT NULL,
    dim          TEXT NOT NULL,
    key          TEXT NOT NULL,
    review_state TEXT NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (state_code, district, dim, key, review_state)
);
CREATE INDEX tallies_by_dim ON tallies (state_code, dim, key, review_state, n);
CREATE TABLE tally_days (
    state_code  TEXT NOT NULL,
    district    TEXT NOT NULL,
    department  TEXT NOT NULL,
    day         TEXT NOT NULL,
    event       TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (state_code, district, day, department, event)
);
CREATE INDEX tally_days_by_day ON tally_days (state_code, day, department, event, n);
CREATE TABLE digest_subscribers (
    user_id     TEXT PRIMARY KEY,
    lang        TEXT NOT NULL,
    since       TEXT NOT NULL
);
"""))

# 7: the limit on Aadhaar checks (``bot.store.aadhaar_checks``): per keyed
# hash of a user id (never the id itself, so the counter outlives the user's
# erasure without naming them) and India day, how many Aadhaar numbers the
# user had checked against the registrations; rows of past days are
# forgotten by housekeeping. ``audit_by_actor``: an erasure finds the erased
# worker's own rows of the trail (``bot.store.audit.forget_worker``).
MIGRATIONS.append((7, """
CREATE TABLE aadhaar_checks (
    who        TEXT NOT NULL,
    day        TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (who, day)
);
CREATE INDEX aadhaar_checks_by_day ON aadhaar_checks (day);
CREATE INDEX audit_by_actor ON audit (actor);
"""))
# 8: the four-eyes rule of assisted registrations. ``registered_by`` is the
# staff member who first submitted an application on a walk-in worker's
# behalf (``/assist``; for those registered before this, the operator the
# application's meta names): neither they nor anyone who resubmitted it for
# the worker (the audit's submit and resubmit rows) may decide it, and the
# queue does not give it to them.
MIGRATIONS.append((8, """
ALTER TABLE applications ADD COLUMN registered_by TEXT;
UPDATE applications SET registered_by = json_extract(meta, '$.assisted_by')
 WHERE user_id LIKE 'walkin:%' AND meta IS NOT NULL;
"""))

# 9: an invitation's token hash written with letters only (``digitless``): a
# run of hex digits could look like an Aadhaar number to a scan.
MIGRATIONS.append((9, """
UPDATE invites SET token_hash =
 replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(token_hash,
   '0', 'g'), '1', 'h'), '2', 'i'), '3', 'j'), '4', 'k'),
   '5', 'l'), '6', 'm'), '7', 'n'), '8', 'o'), '9', 'p');
"""))

# 10: an application's Aadhaar hash (the keyed hash that finds a second
# application with the same number) written with letters only, as the
# invitations' in 9: a run of 12 hex digits can pass the Aadhaar checksum.
MIGRATIONS.append((10, """
UPDATE applications SET aadhaar_hash =
 replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(aadhaar_hash,
   '0', 'g'), '1', 'h'), '2', 'i'), '3', 'j'), '4', 'k'),
   '5', 'l'), '6', 'm'), '7', 'n'), '8', 'o'), '9', 'p')
 WHERE aadhaar_hash IS NOT NULL;
"""))

# 11: the outbox. A notice (a worker told of a decision), a reminder or a
# digest is written here in the transaction of the change that causes it,
# delivered after the commit and then deleted; a process that dies before
# delivering leaves the row for any process to deliver (claimed for a while
# by the one delivering it); a worker's replies carry their ``turn`` (the
# update they answer), written claimed by the process that sends them at once
# and deleted by it once sent. ``send_slots`` counts the messages each bot
# has sent in each second, across all processes: one send budget per bot.
MIGRATIONS.append((11, """
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       TEXT NOT NULL,
    priority      INTEGER NOT NULL,
    body          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    due_at        TEXT NOT NULL,
    claimed_until TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    turn          TEXT
);
CREATE INDEX outbox_next ON outbox (priority, id);
CREATE INDEX outbox_user ON outbox (user_id);
CREATE INDEX outbox_turn ON outbox (turn);
CREATE TABLE send_slots (
    bot     TEXT NOT NULL,
    second  INTEGER NOT NULL,
    sent    INTEGER NOT NULL,
    PRIMARY KEY (bot, second)
);
"""))

# 12: the bot each Telegram user is reached through, when a deployment runs
# several bots (``bot.store.bots``): a worker's is the bot they first wrote
# to (a bot cannot write first to someone who never opened it); a staff
# user's, the bot they last used. ``bot`` is the bot's id (the number before
# its token's colon), never the token. Erased with the worker
# (``bot.store.core.forget_user``).
MIGRATIONS.append((12, """
CREATE TABLE user_bots (
    user_id    TEXT PRIMARY KEY,
    bot        TEXT NOT NULL,
    noted_at   TEXT NOT NULL
);
"""))
