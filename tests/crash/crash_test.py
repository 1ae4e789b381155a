#!/usr/bin/python3
"""Crash safety: kill board writers with SIGKILL in the middle of writes.

Each round starts one writer on the same database, kills it with SIGKILL at a
moment chosen from its own progress (never from a clock) and checks what it
left: on SQLite a snapshot of the files, on PostgreSQL (FOCUS_TEST_BACKEND=
postgresql, on the cluster FOCUS_TEST_PG_URL names) the database once the
killed client's server process has ended:

- every write the writer acknowledged is there, with all its fields and its
  history (an acknowledgement is printed only after the commit returned);
- nothing is half-applied: every ticket has its themes and exactly one
  'created' history row, first; its vote total is what its votes, merges and
  vote history add up to; its state and merge pointer match its history; a
  Trello import is all its cards or none; no ticket appears that no writer
  started to write;
- on SQLite, PRAGMA integrity_check says ok and no foreign key dangles.

Writers (see WRITERS): crash_writer, a program linked with the engine that
adds, votes, merges, moves and imports one transaction at a time and prints
"begin" before and "ack" after each; the `focus` binary itself running
`board add` and `import trello` (the CLI path); and `focus serve` (the
server path): the test adds a facilitator account once per database (`focus
account add`, run to completion), starts the server on a free localhost
port, signs in through POST /api/login (session cookie, CSRF token in
X-CSRF-Token) and adds tickets, votes, merges and moves through the JSON API
one request at a time. A server write counts as acknowledged once its 2xx
response has arrived whole.

Where the kills land: most rounds pick one of the writer's next few writes
and, while that write is in flight, poll whether the process is writing: on
SQLite, whether it holds the write lock (/proc/locks); on PostgreSQL,
whether the server process of a connection it opened (all carry one
application_name) is in a transaction that has written and not ended. It is
killed at a poll chosen at random within the length (in polls) of that
writer's earlier writes, so kills spread over the whole transaction, commit
included, at any machine's speed. A deliberate minority kill at start-up (as
crash_writer opens the database, creating the schema on a new one; as a
command starts; as the server starts, serves or signs in) or just after an
acknowledged write. The test counts where every kill landed, per writer,
and fails unless at least half landed mid-write:
after the database was opened, with a write begun and not acknowledged.
The next writer reopens the killed database, so the engine's own recovery
and schema migration are exercised too. At the end the `focus` binary lists
the board and must show every acknowledged ticket.

Usage: crash_test.py --writer CRASH_WRITER --focus FOCUS [--kills N]
           [--seed N] [--fresh-every N] [--keep]
The seed is printed; FOCUS_CRASH_SEED or --seed repeats a run's operations
(where the kills land still depends on timing).
"""

import argparse
import http.client
import json
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                os.pardir, "harness"))
import focus_harness  # noqa: E402
from focus_harness import (Database, PgBackends, added_ticket,  # noqa: E402
                           board_in, holds_write_lock, postgres_variant,
                           serving_port, session_cookie,
                           skip_without_pg_cluster)

TODAY = "2027-03-01"
# Every acknowledged ticket in these runs uses the built-in configuration.
AREAS = ["east-surrey", "northwest-surrey", "surrey-downs",
         "guildford-waverley", "farnham-northeast-hants"]
THEMES = ["access", "communication", "carers", "crisis care"]
TEAM = "PALS"


class CrashCheckFailed(AssertionError):
    pass


class Ledger:
    """What the writers announced (begin) and acknowledged (ack)."""

    def __init__(self):
        self.opened = False  # The schema was completed at least once.
        self.account = False  # The server writer's account was added.
        self.adds = {}  # id -> acknowledged fields.
        self.begun_titles = set()  # Titles of adds that were started.
        self.votes = []  # Acknowledged {"id", "count", "note"}.
        self.merges = []  # Acknowledged {"repeat", "into"}.
        self.moves = []  # Acknowledged {"id", "state", "note"}.
        self.batches = {}  # Import batch tag -> [cards, acknowledged].

    def record(self, line):
        if "begin" in line:
            kind = line["begin"]
            if kind == "add":
                self.begun_titles.add(line["title"])
            elif kind == "import":
                self.batches.setdefault(line["batch"], [line["cards"], False])
            return
        kind = line["ack"]
        if kind == "open":
            self.opened = True
        elif kind == "add":
            self.adds[line["id"]] = line
        elif kind == "vote":
            self.votes.append(line)
        elif kind == "merge":
            self.merges.append(line)
        elif kind == "move":
            self.moves.append(line)
        elif kind == "import":
            self.batches[line["batch"]][1] = True
            if line["cards"] != self.batches[line["batch"]][0]:
                raise CrashCheckFailed("import %s acknowledged %d cards of %d"
                                       % (line["batch"], line["cards"],
                                          self.batches[line["batch"]][0]))


# A kill is decided by the writer's own progress, never by a clock, so it
# lands in the same places on a fast machine, a slow one and under a
# sanitizer. The only time limit is this safety bound: a writer that shows
# no progress at all for this long has hung.
STALL_SECONDS = 120

# Where a round's kill was aimed ("plan") and where it landed ("landed").
START, WRITE, BETWEEN = "start-up", "mid-write", "between writes"


class Tally:
    """Kills per writer kind, by where they landed."""

    def __init__(self):
        self.kills = {}  # kind -> {landed -> count}

    def add(self, kind, landed):
        by = self.kills.setdefault(kind, {})
        by[landed] = by.get(landed, 0) + 1

    def total(self, landed=None):
        return sum(n for by in self.kills.values() for k, n in by.items()
                   if landed is None or k == landed)

    def lines(self):
        out = []
        for kind, by in sorted(self.kills.items()):
            out.append("  %-10s %3d kills: %s" % (
                kind, sum(by.values()),
                ", ".join("%d %s" % (by.get(k, 0), k)
                          for k in (WRITE, START, BETWEEN))))
        return out


# --- The database engines ----------------------------------------------------
# Each says when a writer is mid-write and what a check reads; the ledger,
# the kill timing and the checks of the board are the same for both.

class SqliteBoard:
    """focus.db in a folder: a writer is mid-write while it holds SQLite's
    write lock (taken by BEGIN IMMEDIATE, held through the commit). A check
    reads a copy of the files the kill left, so that it does not recover the
    database before the next writer does."""

    name = "SQLite"
    env = {}

    def writing(self, proc):
        return holds_write_lock(proc.pid)

    def settled(self, ctx):
        """What a check reads once the killed writer's work is over (None:
        no database at all)."""
        snap = os.path.join(ctx.tmp, "snapshot")
        shutil.rmtree(snap, ignore_errors=True)
        os.mkdir(snap)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(ctx.db + suffix):
                shutil.copy(ctx.db + suffix,
                            os.path.join(snap, "focus.db" + suffix))
        path = os.path.join(snap, "focus.db")
        return path if os.path.exists(path) else None

    def schema(self, q, fail):
        """The schema version and the tables, once the engine's own checks
        pass."""
        integrity = q("PRAGMA integrity_check")
        if integrity != [("ok",)]:
            fail("integrity_check: %s" % integrity)
        if q("PRAGMA foreign_key_check"):
            fail("foreign keys dangle: %s" % q("PRAGMA foreign_key_check"))
        return (q("PRAGMA user_version")[0][0],
                {r[0] for r in q("SELECT name FROM sqlite_master WHERE "
                                 "type = 'table'")})

    def close(self):
        pass


class PostgresBoard:
    """A new database on FOCUS_TEST_PG_URL's cluster. Every writer connects
    as one application_name and is mid-write while its server process is in
    a transaction that has written and not ended. A killed client's server
    process still finishes its statement and commits or rolls back, so a
    check first waits for it to end, then reads the database itself."""

    name = "PostgreSQL"

    def __init__(self):
        application = "focus-crash-%d" % os.getpid()
        self.env = {"PGAPPNAME": application}
        self.backends = PgBackends(os.environ["FOCUS_TEST_PG_URL"],
                                   application)

    def writing(self, proc):
        # Only one writer is connected: settled() waits for the last to go.
        return self.backends.writing()

    def settled(self, ctx):
        since = time.monotonic()
        while self.backends.connected():
            if time.monotonic() - since > STALL_SECONDS:
                raise CrashCheckFailed("a killed writer's server process "
                                       "has not ended in %d s"
                                       % STALL_SECONDS)
            os.sched_yield()
        return ctx.db

    def schema(self, q, fail):
        # The server enforces foreign keys itself and has no integrity_check
        # to ask.
        tables = {r[0] for r in q("SELECT tablename FROM pg_tables WHERE "
                                  "schemaname = current_schema()")}
        version = (q("SELECT max(version) FROM focus_schema")[0][0]
                   if "focus_schema" in tables else 0)
        return version, tables

    def close(self):
        self.backends.close()


class Context:
    def __init__(self, args, tmp, rng):
        self.args = args
        self.tmp = tmp
        self.rng = rng
        self.board = PostgresBoard() if postgres_variant() else SqliteBoard()
        self.focus = None
        self.new_board()
        self.tally = Tally()
        self.finished = 0  # CLI commands that finished before their kill.
        self.server_acks = 0  # Writes acknowledged by `focus serve`.
        self.held = {}  # Writer kind -> its last writes' writing polls.

    def new_board(self):
        """An empty board database, in a new folder, and a new ledger."""
        if self.focus:
            shutil.rmtree(self.focus.cwd)
        folder = tempfile.mkdtemp(prefix="board_", dir=self.tmp)
        # The built-in configuration; sign-in hashes at the minimum cost.
        self.focus = board_in(folder, config=None, today=TODAY,
                              user="crash-test", extra=self.board.env)
        self.db = self.focus.db
        self.ledger = Ledger()

    def plan(self, start_share, between_share=0.0):
        """Where to aim this round's kill: mostly mid-write."""
        x = self.rng.random()
        if x < start_share:
            return START
        return BETWEEN if x < start_share + between_share else WRITE

    def kill_at(self, kind):
        """The poll, counted while the writer writes, at which to kill: at
        random within the length of this kind's recent writes, in polls.
        None (let the write finish) until three writes have been measured."""
        recent = sorted(self.held.get(kind, []))
        if len(recent) < 3:
            return None
        return self.rng.randint(1, recent[len(recent) // 2])

    def watch_write(self, kind, proc, finished, kill_at):
        """Follows one write of `proc` until `finished()` says it is over,
        polling whether the process is writing (self.board). With `kill_at`,
        SIGKILLs it at the kill_at-th poll that finds it writing and returns
        True. A write that ends first records how many polls found it
        writing, the measure kill_at() draws from."""
        held = 0
        last = time.monotonic()
        while not finished():
            if self.board.writing(proc):
                held += 1
                last = time.monotonic()
                if kill_at is not None and held >= kill_at:
                    proc.kill()
                    return True
            elif time.monotonic() - last > STALL_SECONDS:
                proc.kill()
                raise CrashCheckFailed("%s made no progress for %d s"
                                       % (kind, STALL_SECONDS))
            os.sched_yield()  # On one core, let the writer go on.
        if held:
            recent = self.held.setdefault(kind, [])
            recent.append(held)
            del recent[:-25]
        return False


class Lines:
    """The whole lines a child writes to a pipe, read as they arrive (the
    kill may cut the last one, which is dropped)."""

    def __init__(self, pipe, what):
        self.pipe, self.what = pipe, what
        self.fd = pipe.fileno()
        os.set_blocking(self.fd, False)
        self.buf = b""
        self.lines = []
        self.eof = False

    def poll(self):
        """Reads what has arrived; the number of new whole lines."""
        before = len(self.lines)
        while not self.eof:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            self.eof = not chunk
            self.buf += chunk
        *whole, self.buf = self.buf.split(b"\n")
        self.lines += [line.decode() for line in whole]
        return len(self.lines) - before

    def wait(self):
        """Blocks until a new line arrives or the pipe closes."""
        while not self.poll() and not self.eof:
            if not select.select([self.fd], [], [], STALL_SECONDS)[0]:
                raise CrashCheckFailed("%s wrote nothing for %d s"
                                       % (self.what, STALL_SECONDS))

    def drain(self):
        """Everything up to the end, once the child is dead."""
        while not self.eof:
            self.wait()
        self.pipe.close()


def spawn(ctx, args):
    """Starts a writer; stderr goes to a file, so a sanitizer report of any
    length never blocks it."""
    err_path = os.path.join(ctx.tmp, "writer.err")
    with open(err_path, "w") as err:
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=err,
                                env=ctx.focus.env, cwd=ctx.tmp)
    proc.err_path = err_path
    return proc


def stderr_of(proc):
    with open(proc.err_path, encoding="utf-8", errors="replace") as f:
        return f.read()


def reap(proc):
    """Waits for a process that was killed or has ended."""
    proc.wait(timeout=STALL_SECONDS)


# --- Writers -----------------------------------------------------------------
# Each runs one round: starts a process, kills it at a moment chosen from its
# progress, and records in ctx.ledger what it began and what was
# acknowledged, and in ctx.tally where the kill landed. Returns whether it
# killed the process (a CLI command may finish first).

# Kill within this many writes after the writer has opened the database.
WRITES_PER_ROUND = 12


def run_engine_writer(ctx, run):
    """crash_writer announces each write ("begin") and acknowledges it after
    the commit ("ack"). Most rounds kill it inside a write chosen at random
    among its first WRITES_PER_ROUND; some while it opens the database (and
    creates the schema, on a new one); some just after an acknowledgement."""
    plan = ctx.plan(0.1, 0.1)
    target = ctx.rng.randint(1, WRITES_PER_ROUND)
    proc = spawn(ctx, [ctx.args.writer, "--db", ctx.db, "--seed",
                       str(ctx.rng.getrandbits(63)), "--run", str(run),
                       "--today", TODAY])
    out = Lines(proc.stdout, "crash_writer")
    seen = 0  # Lines acted on.

    def moved_on():
        out.poll()
        return len(out.lines) > seen or out.eof

    writes = acks = 0
    while True:
        if seen == len(out.lines):
            out.wait()
            if out.eof and seen == len(out.lines):
                reap(proc)
                raise CrashCheckFailed("crash_writer stopped by itself "
                                       "(status %d): %s" % (
                                           proc.returncode, stderr_of(proc)))
            continue
        line = json.loads(out.lines[seen])
        seen += 1
        if plan == START and line.get("begin") == "open":
            proc.kill()
            break
        if line.get("ack", "open") != "open":
            acks += 1
            if plan == BETWEEN and acks >= target:
                proc.kill()
                break
        if line.get("begin", "open") != "open":
            writes += 1
            aim = ctx.kill_at("engine") if (
                plan == WRITE and writes >= target) else None
            if ctx.watch_write("engine", proc, moved_on, aim):
                break
    reap(proc)
    out.drain()
    lines = [json.loads(line) for line in out.lines]
    for line in lines:
        ctx.ledger.record(line)
    opened = any(line.get("ack") == "open" for line in lines)
    if not opened:
        ctx.tally.add("engine", START)
    elif "begin" in lines[-1]:
        ctx.tally.add("engine", WRITE)
    else:
        ctx.tally.add("engine", BETWEEN)
    return True


def run_cli(ctx, kind, args, ack_prefix):
    """Runs one `focus` command, mostly killed while it writes, sometimes as
    soon as it has started. Returns whether it was killed and its
    acknowledgement (the stdout line starting with `ack_prefix`) if it
    printed one."""
    proc = spawn(ctx, args)
    plan = ctx.plan(0.1)
    if plan == START:
        proc.kill()
    elif not ctx.watch_write(kind, proc, lambda: proc.poll() is not None,
                             ctx.kill_at(kind)):
        plan = None  # The command finished first.
    out = proc.stdout.read().decode()
    proc.stdout.close()
    reap(proc)
    # Only whole lines: the kill may cut the output short.
    ack = next((line for line in out.split("\n")[:-1]
                if line.startswith(ack_prefix)), None)
    if plan and proc.returncode == -signal.SIGKILL:
        # Killed after it was seen writing, yet acknowledged: the kill
        # came after the commit.
        ctx.tally.add(kind, BETWEEN if ack and plan == WRITE else plan)
        return True, ack
    ctx.finished += 1
    if proc.returncode != 0 or ack is None:
        raise CrashCheckFailed("%s failed (status %d): %s%s"
                               % (" ".join(args[1:3]), proc.returncode, out,
                                  stderr_of(proc)))
    return False, ack


def run_cli_add(ctx, run):
    title = "cli-add-%d raised at a forum" % run
    area = ctx.rng.choice(AREAS)
    themes = ctx.rng.sample(THEMES, ctx.rng.randint(1, 2))
    raised_by = ctx.rng.randint(1, 5)
    args = [ctx.args.focus, "board", "add", "--title", title, "--area", area,
            "--team", TEAM, "--raised-by", str(raised_by),
            "--details", "From the CLI"]
    for theme in themes:
        args += ["--theme", theme]
    ctx.ledger.record({"begin": "add", "title": title})
    killed, ack = run_cli(ctx, "cli-add", args, "Added ticket #")
    if ack:
        ticket = added_ticket(ack)
        ctx.ledger.record({"ack": "add", "id": ticket, "title": title,
                           "details": "From the CLI", "area": area,
                           "themes": themes, "team": TEAM,
                           "raised_by": raised_by, "raised_on": TODAY})
    return killed


def trello_export(batch, cards):
    """A Trello board export with `cards` cards titled '<batch> card <i>'."""
    return {
        "id": "6abe21109ea5e97d2f481d54", "name": "Crash test " + batch,
        "lists": [{"id": "l1", "name": "Raised at forums"},
                  {"id": "l2", "name": "Sent to the Trust"}],
        "labels": [{"id": "a", "name": "East Surrey"},
                   {"id": "t", "name": "communication"},
                   {"id": "p", "name": TEAM}],
        "cards": [{"id": "%08x%016x" % (1799150400, i),
                   "name": "%s card %d" % (batch, i),
                   "desc": "Card %d of %d" % (i, cards),
                   "idList": "l1" if i % 3 else "l2",
                   "idLabels": ["a", "t", "p"],
                   "idMembersVoted": ["m%d" % v for v in range(i % 4)],
                   "dateLastActivity": "2027-01-06T10:00:00.000Z"}
                  for i in range(cards)],
        "actions": [],
    }


def run_cli_import(ctx, run):
    batch = "cli-import-%d" % run
    cards = ctx.rng.randint(50, 300)
    path = os.path.join(ctx.tmp, batch + ".json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(trello_export(batch, cards), f)
    ctx.ledger.record({"begin": "import", "batch": batch, "cards": cards})
    killed, ack = run_cli(ctx, "cli-import",
                          [ctx.args.focus, "import", "trello", path],
                          "Imported %d cards " % cards)
    os.remove(path)
    if ack:
        ctx.ledger.record({"ack": "import", "batch": batch, "cards": cards})
    return killed


SERVER_ACCOUNT = "crash-server"
SERVER_PASSWORD = "crash test password"


class ServerClient:
    """Signs in to a `focus serve` and writes through its JSON API, one
    request at a time, sending a request and reading its response as two
    steps so that the test can kill the server in between. Lines for the
    ledger go to `lines`: "begin" before a write is sent, "ack" only after
    its 2xx response arrived whole."""

    def __init__(self, port, rng, run):
        self.conn = http.client.HTTPConnection("127.0.0.1", port,
                                               timeout=STALL_SECONDS)
        self.rng, self.round = rng, run
        self.headers = {"Content-Type": "application/json"}
        self.sent = None  # (method, path) of the request in flight.
        self.lines = []
        self.open = []  # Not merged: can take votes and merges.
        self.raised = []  # Still raised: can be sent to the Trust.

    def send(self, method, path, body=None):
        self.conn.request(method, path,
                          body=None if body is None else json.dumps(body),
                          headers=self.headers)
        self.sent = (method, path)

    def responded(self):
        """Whether the response (or the end of the connection) arrived."""
        return bool(select.select([self.conn.sock], [], [], 0)[0])

    def receive(self):
        """The status and JSON body of the whole response to the request
        sent; raises OSError or http.client.HTTPException when the server
        is gone."""
        response = self.conn.getresponse()
        data = response.read()  # IncompleteRead if the kill cut it short.
        if response.status == 200 and self.sent[1] == "/api/login":
            self.headers["Cookie"] = session_cookie(
                response.getheader("Set-Cookie"))
        try:
            parsed = json.loads(data)
        except ValueError:
            raise http.client.HTTPException("cut JSON body")
        if not 200 <= response.status < 300:
            raise CrashCheckFailed("focus serve: %s %s answered %d: %s"
                                   % (*self.sent, response.status, parsed))
        return response.status, parsed

    def sign_in(self):
        _, login = self.receive()  # The login, sent by the caller.
        self.headers["X-CSRF-Token"] = login["csrf_token"]
        self.send("GET", "/api/tickets")
        _, board = self.receive()
        self.open = [t["id"] for t in board]
        self.raised = [t["id"] for t in board if t["state"] == "raised"]

    def next_write(self, n):
        """The n-th write: its path, body, "begin" line and a function that
        takes the response and returns the "ack" line."""
        rng = self.rng
        tag = "server-%d-%d" % (self.round, n)
        while True:
            pick = rng.randint(0, 99)
            if pick < 55 or len(self.open) < 2:
                ticket = {"title": tag + " no reply to a letter",
                          "details": "Sent through the API: "
                          + "y" * rng.randint(0, 300),
                          "area": rng.choice(AREAS),
                          "themes": rng.sample(THEMES, rng.randint(1, 2)),
                          "team": TEAM, "raised_by": rng.randint(1, 5)}

                def added(status, got, ticket=ticket):
                    if status != 201 or got["title"] != ticket["title"]:
                        raise CrashCheckFailed("POST /api/tickets: %d %s"
                                               % (status, got))
                    self.open.append(got["id"])
                    self.raised.append(got["id"])
                    return dict(ticket, ack="add", id=got["id"],
                                raised_on=TODAY)
                return ("/api/tickets", ticket,
                        {"begin": "add", "title": ticket["title"]}, added)
            if pick < 75:
                tid, count = rng.choice(self.open), rng.randint(1, 4)
                vote = {"id": tid, "count": count, "note": tag}
                return ("/api/tickets/%d/votes" % tid,
                        {"count": count, "note": tag},
                        dict(vote, begin="vote"),
                        lambda *_, vote=vote: dict(vote, ack="vote"))
            if pick < 85:
                repeat, into = rng.choice(self.open), rng.choice(self.open)
                if repeat == into:
                    continue

                def merged(*_, repeat=repeat, into=into):
                    self.open.remove(repeat)
                    if repeat in self.raised:
                        self.raised.remove(repeat)
                    return {"ack": "merge", "repeat": repeat, "into": into}
                return ("/api/tickets/%d/merge" % repeat, {"into": into},
                        {"begin": "merge", "repeat": repeat, "into": into},
                        merged)
            if self.raised:
                tid = rng.choice(self.raised)

                def moved(*_, tid=tid):
                    self.raised.remove(tid)
                    return {"ack": "move", "id": tid,
                            "state": "sent-to-trust", "note": tag}
                return ("/api/tickets/%d/move" % tid,
                        {"state": "sent-to-trust", "reason": tag},
                        {"begin": "move", "id": tid, "note": tag}, moved)


def run_server_writer(ctx, run):
    """`focus serve`, written to through its JSON API: mostly killed while
    it writes for a request chosen at random among the round's first
    WRITES_PER_ROUND; sometimes as soon as it started, once it serves, or
    while it signs the client in."""
    if not ctx.ledger.account:
        # Once per database, run to completion: the server's sign-in.
        result = ctx.focus.run("account", "add", SERVER_ACCOUNT, "--role",
                               "facilitator", stdin=SERVER_PASSWORD + "\n")
        if result.returncode != 0:
            raise CrashCheckFailed("focus account add failed (status %d): %s"
                                   % (result.returncode, result.stderr))
        ctx.ledger.account = True
    plan = ctx.plan(0.15)
    moment = ctx.rng.choice(["started", "serving", "signing in"])
    target = ctx.rng.randint(1, WRITES_PER_ROUND)
    client_rng = random.Random(ctx.rng.getrandbits(63))
    proc = spawn(ctx, [ctx.args.focus, "serve", "--port", "0"])
    out = Lines(proc.stdout, "focus serve")
    client = None
    try:
        if plan == START and moment == "started":
            return True
        out.wait()
        port = serving_port(out.lines[0]) if out.lines else None
        if port is None:
            raise CrashCheckFailed("focus serve said: %s" % out.lines[:1])
        if plan == START and moment == "serving":
            return True
        client = ServerClient(port, client_rng, run)
        client.send("POST", "/api/login", {"name": SERVER_ACCOUNT,
                                           "password": SERVER_PASSWORD})
        if plan == START:
            return True
        client.sign_in()
        for n in range(1, 1000000):
            path, body, begin, done = client.next_write(n)
            client.lines.append(begin)
            client.send("POST", path, body)
            aim = ctx.kill_at("server") if n >= target else None
            if ctx.watch_write("server", proc, client.responded, aim):
                # It was writing: the response should not come, but if
                # it came whole, the kill was late and the write stands.
                reap(proc)
                try:
                    client.lines.append(done(*client.receive()))
                    plan = BETWEEN
                except (OSError, http.client.HTTPException):
                    pass
                return True
            client.lines.append(done(*client.receive()))
    except (OSError, http.client.HTTPException) as e:
        if proc.poll() is None:
            proc.kill()
        reap(proc)
        raise CrashCheckFailed("focus serve stopped answering (status %s): "
                               "%s; %s" % (proc.returncode, e,
                                           stderr_of(proc)))
    finally:
        if proc.returncode is None:
            proc.kill()
        reap(proc)
        out.drain()
        if client:
            client.conn.close()
            for line in client.lines:
                ctx.ledger.record(line)
                ctx.server_acks += "ack" in line
        ctx.tally.add("server", plan)


WRITERS = [
    (6, run_engine_writer),
    (2, run_cli_add),
    (2, run_cli_import),
    (1, run_server_writer),
]


# --- Checks ------------------------------------------------------------------

def check_database(ctx, where):
    def fail(message):
        raise CrashCheckFailed("%s: %s" % (where, message))

    ledger = ctx.ledger
    path = ctx.board.settled(ctx)
    if path is None:
        if ledger.opened:
            fail("the database file is gone")
        return
    with Database(path) as db:
        q = db.rows
        version, tables = ctx.board.schema(q, fail)
        if version == 0:
            # Killed before the first migration committed: nothing at all.
            if tables or ledger.opened:
                fail("schema version 0 with tables %s" % sorted(tables))
            return
        if version < 2 and ledger.opened:
            fail("schema version went back to %d" % version)

        tickets = {r[0]: r for r in q(
            "SELECT id, title, details, area, team, state, raised_on, "
            "raised_by, votes_total, merged_into FROM tickets")}
        history = {}
        for r in q("SELECT ticket_id, id, field, old_value, new_value, note "
                   "FROM history ORDER BY id"):
            history.setdefault(r[0], []).append(r)
        themes = {}
        for tid, theme in q("SELECT ticket_id, theme FROM ticket_themes "
                            "ORDER BY ticket_id, position"):
            themes.setdefault(tid, []).append(theme)
        votes = {}
        for tid, count, note in q("SELECT ticket_id, count, note FROM votes "
                                  "ORDER BY id"):
            votes.setdefault(tid, []).append((count, note))
        merged_in = {}
        for tid, row in tickets.items():
            if row[9] is not None:
                merged_in.setdefault(row[9], []).append(tid)

        # Nothing half-applied, ticket by ticket.
        for tid, (_, title, _, _, _, state, _, raised_by, total,
                  merged_into) in tickets.items():
            rows = history.get(tid, [])
            created = [r for r in rows if r[2] == "created"]
            if len(created) != 1 or rows[0][2] != "created":
                fail("ticket #%d has %d 'created' history rows (first: %s)"
                     % (tid, len(created), rows[0][2] if rows else None))
            if not themes.get(tid):
                fail("ticket #%d has no themes" % tid)
            if title not in ledger.begun_titles and not any(
                    title.startswith(b + " card ") for b in ledger.batches):
                fail("ticket #%d (%s) was never written by a writer"
                     % (tid, title))
            # Votes: raised_by + vote rows + the totals of merged repeats.
            expected = (raised_by + sum(c for c, _ in votes.get(tid, []))
                        + sum(tickets[m][8] for m in merged_in.get(tid, [])))
            if total != expected:
                fail("ticket #%d has %d votes but its votes, raisers and "
                     "merges add up to %d" % (tid, total, expected))
            imported = sum(c for c, n in votes.get(tid, [])
                           if n.startswith("imported"))
            running = raised_by + imported
            for r in rows:
                if r[2] != "votes":
                    continue
                if int(r[3]) != running:
                    fail("ticket #%d vote history jumps from %d to %s"
                         % (tid, running, r[3]))
                running = int(r[4])
            if running != total:
                fail("ticket #%d vote history ends at %d, total is %d"
                     % (tid, running, total))
            states = [r[4] for r in rows if r[2] == "state"]
            if (states[-1] if states else "raised") != state:
                fail("ticket #%d is %s but its history says %s"
                     % (tid, state, states[-1] if states else "raised"))
            if (state == "merged") != (merged_into is not None):
                fail("ticket #%d is %s with merged_into %s"
                     % (tid, state, merged_into))
            if merged_into is not None and not any(
                    r[2] == "merged" and r[4] == "#%d" % tid
                    for r in history.get(merged_into, [])):
                fail("#%d is merged into #%d, whose history does not say so"
                     % (tid, merged_into))

        # Every acknowledged write is there.
        for tid, a in ledger.adds.items():
            row = tickets.get(tid)
            if row is None:
                fail("acknowledged ticket #%d (%s) is missing"
                     % (tid, a["title"]))
            got = dict(zip(("title", "details", "area", "team", "raised_on",
                            "raised_by"),
                           (row[1], row[2], row[3], row[4], row[6], row[7])))
            for key, value in got.items():
                if a[key] != value:
                    fail("ticket #%d %s is %r, acknowledged %r"
                         % (tid, key, value, a[key]))
            if themes.get(tid) != a["themes"]:
                fail("ticket #%d themes %s, acknowledged %s"
                     % (tid, themes.get(tid), a["themes"]))
        for v in ledger.votes:
            if (v["count"], v["note"]) not in votes.get(v["id"], []):
                fail("acknowledged vote %s is missing" % v)
        for m in ledger.merges:
            if tickets.get(m["repeat"], [None] * 10)[9] != m["into"]:
                fail("acknowledged merge of #%d into #%d is missing"
                     % (m["repeat"], m["into"]))
        for m in ledger.moves:
            if not any(r[2] == "state" and r[4] == m["state"]
                       and r[5] == m["note"]
                       for r in history.get(m["id"], [])):
                fail("acknowledged move %s is missing" % m)
        # Imports: all cards or none.
        titles = [row[1] for row in tickets.values()]
        for batch, (cards, acked) in ledger.batches.items():
            n = sum(1 for t in titles if t.startswith(batch + " card "))
            if n not in (0, cards) or (acked and n != cards):
                fail("import %s has %d of its %d cards (%s)"
                     % (batch, n, cards,
                        "acknowledged" if acked else "not acknowledged"))


def check_through_binary(ctx):
    """The engine itself reopens the database and shows every ticket."""
    result = ctx.focus.run("board", "list", "--all", "--json")
    if result.returncode != 0:
        raise CrashCheckFailed("focus board list failed: " + result.stderr)
    listed = {t["id"]: t for t in json.loads(result.stdout)}
    for tid, a in ctx.ledger.adds.items():
        if listed.get(tid, {}).get("title") != a["title"]:
            raise CrashCheckFailed("focus board list does not show "
                                   "acknowledged ticket #%d" % tid)
    check = ctx.focus.run("sla", "--json")
    if check.returncode != 0:
        raise CrashCheckFailed("focus sla failed: " + check.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writer", required=True)
    parser.add_argument("--focus", required=True)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int,
                        default=int(os.environ.get("FOCUS_CRASH_SEED", "0"))
                        or random.SystemRandom().randrange(1, 2**31))
    parser.add_argument("--fresh-every", type=int, default=200,
                        help="start a new database after this many kills, so "
                        "long soaks stay fast")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder")
    args = parser.parse_args()
    skip_without_pg_cluster()
    args.writer = os.path.abspath(args.writer)
    args.focus = focus_harness.FOCUS = os.path.abspath(args.focus)
    rng = random.Random(args.seed)
    tmp = tempfile.mkdtemp(prefix="focus_crash_")
    ctx = Context(args, tmp, rng)
    print("crash test on %s: seed %d (FOCUS_CRASH_SEED=%d repeats it), %d "
          "kills" % (ctx.board.name, args.seed, args.seed, args.kills),
          flush=True)
    started = time.monotonic()
    fresh_at = 0
    try:
        kills = 0
        run = 0
        while kills < args.kills:
            if kills and kills % args.fresh_every == 0 and fresh_at != kills:
                fresh_at = kills
                check_through_binary(ctx)
                ctx.new_board()
            writers = [w for w in WRITERS
                       if ctx.ledger.opened or w[1] is run_engine_writer]
            writer = rng.choices([w[1] for w in writers],
                                 [w[0] for w in writers])[0]
            if writer(ctx, run):
                kills += 1
            check_database(ctx, "seed %d, round %d (%s)"
                           % (args.seed, run, writer.__name__))
            run += 1
            if run % 500 == 0:
                print("  %d rounds, %d kills, %.0f s"
                      % (run, kills, time.monotonic() - started), flush=True)
        check_through_binary(ctx)
    except CrashCheckFailed as e:
        print("FAILED: %s\n(files kept in %s; the board is %s)"
              % (e, tmp, ctx.db), file=sys.stderr)
        return 1
    finally:
        ctx.board.close()
    tally = ctx.tally
    mid_write = tally.total(WRITE)
    print("where the %d kills landed:" % tally.total())
    print("\n".join(tally.lines()))
    led = ctx.ledger
    print("%d CLI commands finished before their kill; %d server writes "
          "acknowledged; last database: %d tickets acknowledged, %d votes, "
          "%d merges, %d moves, %d of %d imports acknowledged" % (
              ctx.finished, ctx.server_acks, len(led.adds), len(led.votes),
              len(led.merges), len(led.moves),
              sum(1 for b in led.batches.values() if b[1]),
              len(led.batches)))
    if 2 * mid_write < tally.total():
        print("FAILED: only %d of %d kills landed mid-write; at least half "
              "must, or the test did not test crashes during writes\n"
              "(files kept in %s)" % (mid_write, tally.total(), tmp),
              file=sys.stderr)
        return 1
    print("ok: %d kills in %d rounds, %d mid-write, %.1f s"
          % (tally.total(), run, mid_write, time.monotonic() - started))
    if not args.keep:
        shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
