"""Transactions written once, run by every backend.

A transaction is a generator function that *yields* statements and gets
their results back; a backend drives it inside one database transaction::

    def claim(tx_now: str, operator: str) -> Txn[str | None]:
        row = yield one("SELECT reference FROM applications WHERE state = ? ...", "submitted")
        if row is None:
            return None
        yield run("UPDATE applications SET lease_holder = ? WHERE reference = ?", operator, row["reference"])
        return row["reference"]

    reference = await store.transact(claim, now, "tg:42")   # a write transaction
    counts = await store.query(count_states, "HARIDWAR")     # a read-only one

SQLite drives the generator synchronously on its connection thread (one
thread hop for the whole transaction, see ``bot.store.sqlite``); PostgreSQL
drives it with ``await`` on one pooled connection. So the SQL is written in
the subset both speak: ``?`` placeholders (never a literal ``?`` inside the
SQL text), TEXT timestamps in ISO-8601 UTC, JSON as TEXT, integers for
counts and flags, ``INSERT ... ON CONFLICT ... DO ...`` for upserts. Where
the two must differ, a statement carries its PostgreSQL text in ``pg=``
(e.g. ``FOR UPDATE SKIP LOCKED``).

Rows come back as mappings that also index by position (``sqlite3.Row``,
``asyncpg.Record``): read them by column name.

Writes that need no result, and do not depend on one another's effects,
may be yielded together as one ``batch``: SQLite runs them one after the
other, PostgreSQL as one statement (one round trip; see ``batch``).

A transaction says nothing about what a backend keeps in memory: SQLite's
recent users (``bot.store.recent``) learn what a write changed from the
database itself.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Statement:
    """One step of a transaction: what to run and what to hand back."""
    kind: str                 # "one" (a row or None), "all" (rows), "run" (rows changed), "batch" (None)
    sql: str = ""
    params: tuple = ()
    pg: str | None = None     # PostgreSQL's own text for this statement, if it differs
    parts: tuple[Statement, ...] = ()  # a batch's statements

    def text(self, dialect: str) -> str:
        return self.pg if dialect == "postgres" and self.pg is not None else self.sql


#: what a transaction function returns: a generator of statements ending in T
Txn = Generator[Statement, Any, T]


def one(sql: str, *params: Any, pg: str | None = None) -> Statement:
    """The first row of ``sql`` (or None)."""
    return Statement("one", sql, params, pg)


def all_rows(sql: str, *params: Any, pg: str | None = None) -> Statement:
    """Every row of ``sql``, as a list."""
    return Statement("all", sql, params, pg)


def run(sql: str, *params: Any, pg: str | None = None) -> Statement:
    """Run ``sql``; the result is the number of rows it changed."""
    return Statement("run", sql, params, pg)


def batch(*writes: Statement) -> Statement:
    """Several ``run`` statements at once; the result is None. Each must give
    the same result whether the others ran before it or not (PostgreSQL runs
    them as the parts of one statement, ``WITH ... AS (...)``, which all see
    the database as it was before it, its constraints checked at its end),
    and they are listed in an order SQLite can run one by one (its foreign
    keys are checked at each)."""
    if any(write.kind != "run" for write in writes):
        raise ValueError("a batch holds run statements only")
    return Statement("batch", parts=writes)


#: put after ``LIKE ?`` when the pattern comes from ``containing``
ESCAPE = " ESCAPE '\\'"


def containing(text: str) -> str:
    """A LIKE pattern (``LIKE ?`` + ``ESCAPE``) matching any value that
    contains ``text`` as it is (its ``%``, ``_`` and ``\\`` taken literally)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def drive_sqlite(conn: sqlite3.Connection, txn: Txn[T]) -> T:
    """Run a transaction generator on a sqlite3 connection (already inside a transaction)."""
    try:
        statement = next(txn)
        while True:
            result: Any = None
            if statement.kind == "batch":
                for part in statement.parts:
                    conn.execute(part.text("sqlite"), part.params)
            else:
                cursor = conn.execute(statement.text("sqlite"), statement.params)
                if statement.kind == "one":
                    result = cursor.fetchone()
                elif statement.kind == "all":
                    result = cursor.fetchall()
                else:
                    result = cursor.rowcount
            statement = txn.send(result)
    except StopIteration as done:
        return done.value


def to_json(value: Any) -> str:
    """JSON as the store writes it (compact, Devanagari kept as it is)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
