#!/usr/bin/python3
"""Crash safety: kill board writers with SIGKILL at random moments.

Each round starts one writer on the same database, lets it run for a random
time, kills it with SIGKILL and checks a snapshot of the files it left:

- every write the writer acknowledged is there, with all its fields and its
  history (an acknowledgement is printed only after the commit returned);
- nothing is half-applied: every ticket has its themes and exactly one
  'created' history row, first; its vote total is what its votes, merges and
  vote history add up to; its state and merge pointer match its history; a
  Trello import is all its cards or none; no ticket appears that no writer
  started to write;
- PRAGMA integrity_check says ok and no foreign key dangles.

Writers (see WRITERS): crash_writer, a program linked with the engine that
adds, votes, merges, moves and imports one transaction at a time; the
`focus` binary itself running `board add` and `import trello` (the CLI path);
and `focus serve` (the server path): the test adds a facilitator account once
per database (`focus account add`, run to completion), starts the server on a
free localhost port, signs in through POST /api/login (session cookie, CSRF
token in X-CSRF-Token) and adds tickets, votes, merges and moves through the
JSON API one request at a time. A server write counts as acknowledged once
its 2xx response has arrived whole; the server is SIGKILLed at a random
moment, mostly while it writes, sometimes while it starts or signs in. Its
writes are checked like all the others.
The next writer reopens the killed database, so the engine's own recovery and
schema migration (a kill can land while `init` is creating the schema) are
exercised too. At the end the `focus` binary lists the board and must show
every acknowledged ticket.

Usage: crash_test.py --writer CRASH_WRITER --focus FOCUS [--kills N]
           [--seed N] [--fresh-every N] [--keep]
The seed is printed; FOCUS_CRASH_SEED or --seed repeats a run exactly (the
kill moments still depend on timing, the operations do not).
"""

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

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


class Context:
    def __init__(self, args, tmp, rng):
        self.args = args
        self.tmp = tmp
        self.rng = rng
        self.db = os.path.join(tmp, "focus.db")
        self.ledger = Ledger()
        self.finished = 0  # CLI commands that completed before the kill.
        self.server_acks = 0  # Writes acknowledged by `focus serve`.
        self.env = dict(os.environ)
        self.env.update({"FOCUS_TODAY": TODAY, "FOCUS_USER": "crash-test",
                         "FOCUS_DB": self.db})
        self.env.pop("FOCUS_CONFIG", None)  # The built-in configuration.

    def kill_after(self, proc, seconds):
        """Kills `proc` after `seconds` unless it ended; its stdout, stderr
        and whether it was killed."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(min(0.002, max(0, deadline - time.monotonic())))
        killed = proc.poll() is None
        if killed:
            proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate()
        return out, err, killed


def whole_lines(text):
    """JSON lines that were written completely (the kill may cut the last)."""
    lines = text.split("\n")
    return [json.loads(line) for line in lines[:-1] if line]


# --- Writers -----------------------------------------------------------------
# Each runs one round: starts a process, kills it at a random moment, and
# records in ctx.ledger what it began and what was acknowledged. Returns
# whether it killed the process (a CLI command may finish first).

def run_engine_writer(ctx, run):
    proc = subprocess.Popen(
        [ctx.args.writer, "--db", ctx.db, "--seed",
         str(ctx.rng.getrandbits(63)), "--run", str(run), "--today", TODAY],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=ctx.env, cwd=ctx.tmp)
    out, err, killed = ctx.kill_after(proc, ctx.rng.uniform(0, 0.1))
    if not killed:
        raise CrashCheckFailed("crash_writer stopped by itself (status %d): %s"
                               % (proc.returncode, err))
    for line in whole_lines(out):
        ctx.ledger.record(line)
    return True


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
    proc = subprocess.Popen(args, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=ctx.env,
                            cwd=ctx.tmp)
    out, err, killed = ctx.kill_after(proc, ctx.rng.uniform(0, 0.08))
    if killed:
        return True
    ctx.finished += 1
    if proc.returncode != 0 or not out.startswith("Added ticket #"):
        raise CrashCheckFailed("focus board add failed (status %d): %s"
                               % (proc.returncode, err))
    ticket = int(out.split("#")[1].split(":")[0])
    ctx.ledger.record({"ack": "add", "id": ticket, "title": title,
                       "details": "From the CLI", "area": area,
                       "themes": themes, "team": TEAM,
                       "raised_by": raised_by, "raised_on": TODAY})
    return False


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
    proc = subprocess.Popen([ctx.args.focus, "import", "trello", path],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=ctx.env, cwd=ctx.tmp)
    out, err, killed = ctx.kill_after(proc, ctx.rng.uniform(0, 0.2))
    os.remove(path)
    if killed:
        return True
    ctx.finished += 1
    if proc.returncode != 0:
        raise CrashCheckFailed("focus import trello failed (status %d): %s"
                               % (proc.returncode, err))
    ctx.ledger.record({"ack": "import", "batch": batch, "cards": cards})
    return False


SERVER_ACCOUNT = "crash-server"
SERVER_PASSWORD = "crash test password"


class ServerClient(threading.Thread):
    """Signs in to a `focus serve` and writes through its JSON API, one
    request at a time, until the server is killed (or `stop` is set). Lines
    for the ledger go to `lines` in order: "begin" before a request is sent,
    "ack" only after a 2xx response arrived whole. Any other response while
    the server is up goes to `error`."""

    def __init__(self, proc, rng, run, stdout_path, stop):
        super().__init__(daemon=True)
        self.proc, self.rng, self.round, self.stop = proc, rng, run, stop
        self.stdout_path = stdout_path
        self.signed_in = threading.Event()  # Also set when giving up.
        self.lines = []
        self.error = None
        self.conn = None
        self.headers = {"Content-Type": "application/json"}

    def port(self):
        while not self.stop.is_set() and self.proc.poll() is None:
            with open(self.stdout_path, encoding="utf-8") as f:
                first = f.readline()
            if first.endswith("\n"):
                if not first.startswith("Serving"):
                    raise CrashCheckFailed("focus serve said: " + first)
                return int(first.split("http://127.0.0.1:")[1].split("/")[0])
            time.sleep(0.002)
        return None

    def call(self, method, path, body=None):
        """The status and JSON body of a whole response; raises OSError or
        http.client.HTTPException when the server is gone."""
        self.conn.request(method, path,
                          body=None if body is None else json.dumps(body),
                          headers=self.headers)
        response = self.conn.getresponse()
        data = response.read()  # IncompleteRead if the kill cut it short.
        if response.status == 200 and path == "/api/login":
            self.headers["Cookie"] = response.getheader(
                "Set-Cookie").split(";")[0]
        try:
            parsed = json.loads(data)
        except ValueError:
            raise http.client.HTTPException("cut JSON body")
        if not 200 <= response.status < 300:
            raise CrashCheckFailed("focus serve: %s %s answered %d: %s"
                                   % (method, path, response.status, parsed))
        return response.status, parsed

    def run(self):
        try:
            port = self.port()
            if port is not None:
                self.conn = http.client.HTTPConnection("127.0.0.1", port,
                                                       timeout=30)
                self.write()
        except (OSError, http.client.HTTPException):
            pass  # Killed: what was acknowledged so far stands.
        except CrashCheckFailed as e:
            self.error = e
        finally:
            self.signed_in.set()
            if self.conn:
                self.conn.close()

    def write(self):
        _, login = self.call("POST", "/api/login", {
            "name": SERVER_ACCOUNT, "password": SERVER_PASSWORD})
        self.headers["X-CSRF-Token"] = login["csrf_token"]
        _, board = self.call("GET", "/api/tickets")
        self.signed_in.set()
        rng = self.rng
        open_ = [t["id"] for t in board]
        raised = [t["id"] for t in board if t["state"] == "raised"]
        for n in range(1000000):
            if self.stop.is_set():
                return
            tag = "server-%d-%d" % (self.round, n)
            pick = rng.randint(0, 99)
            if pick < 55 or len(open_) < 2:
                ticket = {"title": tag + " no reply to a letter",
                          "details": "Sent through the API: "
                          + "y" * rng.randint(0, 300),
                          "area": rng.choice(AREAS),
                          "themes": rng.sample(THEMES, rng.randint(1, 2)),
                          "team": TEAM, "raised_by": rng.randint(1, 5)}
                self.lines.append({"begin": "add", "title": ticket["title"]})
                status, got = self.call("POST", "/api/tickets", ticket)
                if status != 201 or got["title"] != ticket["title"]:
                    raise CrashCheckFailed("POST /api/tickets: %d %s"
                                           % (status, got))
                ack = dict(ticket, ack="add", id=got["id"], raised_on=TODAY)
                self.lines.append(ack)
                open_.append(got["id"])
                raised.append(got["id"])
            elif pick < 75:
                tid, count = rng.choice(open_), rng.randint(1, 4)
                self.call("POST", "/api/tickets/%d/votes" % tid,
                          {"count": count, "note": tag})
                self.lines.append({"ack": "vote", "id": tid, "count": count,
                                   "note": tag})
            elif pick < 85:
                repeat, into = rng.choice(open_), rng.choice(open_)
                if repeat == into:
                    continue
                self.call("POST", "/api/tickets/%d/merge" % repeat,
                          {"into": into})
                self.lines.append({"ack": "merge", "repeat": repeat,
                                   "into": into})
                open_.remove(repeat)
                if repeat in raised:
                    raised.remove(repeat)
            elif raised:
                tid = rng.choice(raised)
                self.call("POST", "/api/tickets/%d/move" % tid,
                          {"state": "sent-to-trust", "reason": tag})
                self.lines.append({"ack": "move", "id": tid,
                                   "state": "sent-to-trust", "note": tag})
                raised.remove(tid)


def run_server_writer(ctx, run):
    if not ctx.ledger.account:
        # Once per database, run to completion: the server's sign-in.
        result = subprocess.run(
            [ctx.args.focus, "account", "add", SERVER_ACCOUNT, "--role",
             "facilitator"], input=SERVER_PASSWORD + "\n",
            capture_output=True, text=True, env=ctx.env, cwd=ctx.tmp,
            timeout=120)
        if result.returncode != 0:
            raise CrashCheckFailed("focus account add failed (status %d): %s"
                                   % (result.returncode, result.stderr))
        ctx.ledger.account = True
    client_rng = random.Random(ctx.rng.getrandbits(63))
    # Starting and signing in take about half a second (Argon2id); a write
    # takes tens of milliseconds in a Debug build.
    during_start = ctx.rng.random() < 0.15
    delay = ctx.rng.uniform(0, 0.6 if during_start else 0.3)
    stdout_path = os.path.join(ctx.tmp, "serve.out")
    stderr_path = os.path.join(ctx.tmp, "serve.err")
    with open(stdout_path, "w") as out, open(stderr_path, "w") as err:
        proc = subprocess.Popen([ctx.args.focus, "serve", "--port", "0"],
                                stdout=out, stderr=err, env=ctx.env,
                                cwd=ctx.tmp)
    stop = threading.Event()
    client = ServerClient(proc, client_rng, run, stdout_path, stop)
    client.start()
    if not during_start:
        # Kill while it writes, not while it starts and signs in (slow:
        # Argon2id), which the other rounds cover.
        client.signed_in.wait(60)
    _, _, killed = ctx.kill_after(proc, delay)
    stop.set()
    client.join(60)
    if client.is_alive():
        raise CrashCheckFailed("the server writer's client did not stop")
    for line in client.lines:
        ctx.ledger.record(line)
        ctx.server_acks += "ack" in line
    if not killed:
        with open(stderr_path, encoding="utf-8") as f:
            raise CrashCheckFailed("focus serve stopped by itself (status "
                                   "%d): %s" % (proc.returncode, f.read()))
    if client.error:
        raise client.error
    return True


WRITERS = [
    (6, run_engine_writer),
    (2, run_cli_add),
    (2, run_cli_import),
    (1, run_server_writer),
]


# --- Checks ------------------------------------------------------------------

def snapshot(ctx):
    """Copies the database files as the killed writer left them, so the check
    does not recover the database before the next writer does."""
    snap = os.path.join(ctx.tmp, "snapshot")
    shutil.rmtree(snap, ignore_errors=True)
    os.mkdir(snap)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(ctx.db + suffix):
            shutil.copy(ctx.db + suffix, os.path.join(snap, "focus.db" + suffix))
    return os.path.join(snap, "focus.db")


def check_database(ctx, where):
    def fail(message):
        raise CrashCheckFailed("%s: %s" % (where, message))

    ledger = ctx.ledger
    path = snapshot(ctx)
    if not os.path.exists(path):
        if ledger.opened:
            fail("the database file is gone")
        return
    db = sqlite3.connect(path)
    try:
        q = lambda sql, *p: db.execute(sql, p).fetchall()
        integrity = q("PRAGMA integrity_check")
        if integrity != [("ok",)]:
            fail("integrity_check: %s" % integrity)
        if q("PRAGMA foreign_key_check"):
            fail("foreign keys dangle: %s" % q("PRAGMA foreign_key_check"))
        version = q("PRAGMA user_version")[0][0]
        tables = {r[0] for r in q("SELECT name FROM sqlite_master WHERE "
                                  "type = 'table'")}
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
                       and r[5] == m["note"] for r in history.get(m["id"], [])):
                fail("acknowledged move %s is missing" % m)
        # Imports: all cards or none.
        titles = [row[1] for row in tickets.values()]
        for batch, (cards, acked) in ledger.batches.items():
            n = sum(1 for t in titles if t.startswith(batch + " card "))
            if n not in (0, cards) or (acked and n != cards):
                fail("import %s has %d of its %d cards (%s)"
                     % (batch, n, cards,
                        "acknowledged" if acked else "not acknowledged"))
    finally:
        db.close()


def check_through_binary(ctx):
    """The engine itself reopens the database and shows every ticket."""
    result = subprocess.run([ctx.args.focus, "board", "list", "--all",
                             "--json"], capture_output=True, text=True,
                            env=ctx.env, cwd=ctx.tmp, timeout=120)
    if result.returncode != 0:
        raise CrashCheckFailed("focus board list failed: " + result.stderr)
    listed = {t["id"]: t for t in json.loads(result.stdout)}
    for tid, a in ctx.ledger.adds.items():
        if listed.get(tid, {}).get("title") != a["title"]:
            raise CrashCheckFailed("focus board list does not show "
                                   "acknowledged ticket #%d" % tid)
    check = subprocess.run([ctx.args.focus, "sla", "--json"],
                           capture_output=True, text=True, env=ctx.env,
                           cwd=ctx.tmp, timeout=120)
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
    args.writer = os.path.abspath(args.writer)
    args.focus = os.path.abspath(args.focus)
    print("crash test: seed %d (FOCUS_CRASH_SEED=%d repeats it), %d kills"
          % (args.seed, args.seed, args.kills), flush=True)
    rng = random.Random(args.seed)
    tmp = tempfile.mkdtemp(prefix="focus_crash_")
    ctx = Context(args, tmp, rng)
    started = time.monotonic()
    counts = {}
    fresh_at = 0
    try:
        kills = 0
        run = 0
        while kills < args.kills:
            if kills and kills % args.fresh_every == 0 and fresh_at != kills:
                fresh_at = kills
                check_through_binary(ctx)
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(ctx.db + suffix):
                        os.remove(ctx.db + suffix)
                ctx.ledger = Ledger()
            writers = [w for w in WRITERS
                       if ctx.ledger.opened or w[1] is run_engine_writer]
            writer = rng.choices([w[1] for w in writers],
                                 [w[0] for w in writers])[0]
            if writer(ctx, run):
                kills += 1
            counts[writer.__name__] = counts.get(writer.__name__, 0) + 1
            check_database(ctx, "seed %d, round %d (%s)"
                           % (args.seed, run, writer.__name__))
            run += 1
            if run % 500 == 0:
                print("  %d rounds, %d kills, %.0f s"
                      % (run, kills, time.monotonic() - started), flush=True)
        check_through_binary(ctx)
    except CrashCheckFailed as e:
        print("FAILED: %s\n(files kept in %s)" % (e, tmp), file=sys.stderr)
        return 1
    led = ctx.ledger
    print("ok: %d kills in %d rounds, %.1f s (%s; %d CLI commands finished "
          "before their kill; %d server writes acknowledged); last "
          "database: %d tickets "
          "acknowledged, %d votes, %d merges, %d moves, %d of %d imports "
          "acknowledged" % (
              args.kills, run, time.monotonic() - started,
              ", ".join("%s %d" % kv for kv in sorted(counts.items())),
              ctx.finished, ctx.server_acks, len(led.adds), len(led.votes),
              len(led.merges), len(led.moves),
              sum(1 for b in led.batches.values() if b[1]),
              len(led.batches)))
    if not args.keep:
        shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
