"""What every Python test of the built `focus` needs, written once.

The end-to-end, bad-input, crash and docs tests share: where the sources
are, the binary named on the command line, a prepared environment (so a
developer's own FOCUS_* settings never leak into a run), scratch folders,
`focus serve` started and stopped on its own signals, an HTTP client that
keeps the session, direct reads of a board database, golden files, and the
commands the Markdown documents show. A test puts this folder on sys.path
itself, so it runs the same from ctest, a script or by hand.
"""

import hashlib
import http.client
import json
import os
import re
import resource
import select
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
CONFIG = os.path.join(ROOT, "config", "focus.yaml")
GOLDEN = os.path.join(ROOT, "tests", "golden")

# The `focus` binary under test: main() sets it from the command line.
FOCUS = None

# A safety bound on any one run or request, never what a test decides by.
TIMEOUT = 120


def main():
    """Runs the calling script's tests: `SCRIPT PATH_TO_FOCUS [unittest
    options]`, the form every ctest entry uses."""
    global FOCUS
    if len(sys.argv) < 2 or sys.argv[1].startswith("-"):
        sys.exit("usage: %s PATH_TO_FOCUS [unittest options]" % sys.argv[0])
    FOCUS = os.path.abspath(sys.argv.pop(1))
    skip_without_pg_cluster()
    unittest.main(module="__main__")


def skip_without_pg_cluster():
    """Exits 77 in a `.postgresql` variant run without a cluster: ctest's
    SKIP_RETURN_CODE, reported as skipped, never as passed."""
    if postgres_variant() and not os.environ.get("FOCUS_TEST_PG_URL"):
        print("skipped: FOCUS_TEST_PG_URL is not set: run under "
              "scripts/pg-cluster run")
        sys.exit(77)


# --- Running focus -----------------------------------------------------------

def focus_env(today=None, user=None, config=None, db=None, extra=None):
    """This process's environment without the variables `focus` reads
    (FOCUS_*, SOURCE_DATE_EPOCH), then the settings given, so a run depends
    on nothing the test did not set. `extra` sets any variable (None
    removes it). Accounts hash at libsodium's minimum cost, as tests'
    accounts must (docs/testing.md), unless `extra` removes
    FOCUS_TEST_MIN_PASSWORD_COST."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("FOCUS_") and k != "SOURCE_DATE_EPOCH"}
    env["FOCUS_TEST_MIN_PASSWORD_COST"] = "1"
    for name, value in (("FOCUS_TODAY", today), ("FOCUS_USER", user),
                        ("FOCUS_CONFIG", config), ("FOCUS_DB", db)):
        if value is not None:
            env[name] = value
    return changed(env, extra)


def changed(env, extra):
    """`env` with the settings of `extra`; None removes a variable."""
    env = dict(env)
    for name, value in (extra or {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def command_text(args):
    """The arguments of a run as one line for a failure message."""
    return " ".join(os.fsdecode(a) for a in args)


class Focus:
    """The built binary, run from one folder with one prepared environment
    (focus_env's settings); a run may change its own environment only."""

    def __init__(self, cwd=None, **settings):
        self.cwd = cwd
        self.db = settings.get("db")
        self.env = focus_env(**settings)

    def env_for(self, today=None, env=None):
        """The environment of one run: FOCUS_TODAY `today` and `env`'s
        changes on top of this runner's."""
        run_env = changed(self.env, env)
        if today is not None:
            run_env["FOCUS_TODAY"] = today
        return run_env

    def run(self, *args, today=None, env=None, stdin=None, text=True):
        """The CompletedProcess of `focus ARGS` (bytes allowed)."""
        return subprocess.run([FOCUS, *args], cwd=self.cwd,
                              env=self.env_for(today, env), input=stdin,
                              capture_output=True, text=text,
                              timeout=TIMEOUT)

    def ok(self, *args, **options):
        """The output of a run that must succeed; a failure names the
        command, its exit status and what it said."""
        result = self.run(*args, **options)
        if result.returncode != 0:
            raise AssertionError("focus %s: exit status %d\n%s" % (
                command_text(args), result.returncode, result.stderr))
        return result.stdout

    def json(self, *args, **options):
        """The parsed `--json` output of a run that must succeed."""
        return json.loads(self.ok(*args, "--json", **options))

    def start(self, *args, **popen):
        """`focus ARGS` started and not waited for: a subprocess.Popen
        (given `popen`'s options) from this folder and environment."""
        return subprocess.Popen([FOCUS, *args], cwd=self.cwd, env=self.env,
                                **popen)

    def serve(self, *args, today=None, env=None, open_files=None):
        """`focus serve --port 0 ARGS` from this folder, once it listens;
        `open_files` limits the file descriptors it may have open."""
        return Server(args, self.env_for(today, env), self.cwd, open_files)


def board_in(folder, config=CONFIG, **settings):
    """A Focus run from `folder` on the board database focus.db there (or,
    in a suite's PostgreSQL variant, a fresh database: new_board_database),
    with the default configuration (config=None: the built-in one)."""
    return Focus(cwd=folder, config=config, db=new_board_database(folder),
                 **settings)


# --- Which database engine ---------------------------------------------------

def postgres_variant():
    """Whether this run is a suite's `.postgresql` variant (ctest sets
    FOCUS_TEST_BACKEND; scripts/pg-cluster sets FOCUS_TEST_PG_URL)."""
    return os.environ.get("FOCUS_TEST_BACKEND") == "postgresql"


def is_postgres(db):
    return db.startswith(("postgresql://", "postgres://"))


def new_board_database(folder):
    """focus.db in `folder`, or in the PostgreSQL variant a new empty
    database named after the folder on FOCUS_TEST_PG_URL's server (the
    throwaway cluster goes, with it, at the end of the run)."""
    if not postgres_variant():
        return os.path.join(folder, "focus.db")
    server = os.environ["FOCUS_TEST_PG_URL"]
    name = re.sub(r"[^a-z0-9]", "_", os.path.basename(folder).lower())
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", server,
                    "-c", 'CREATE DATABASE "%s"' % name],
                   check=True, timeout=TIMEOUT)
    scheme, rest = server.split("://", 1)
    authority, _, tail = rest.partition("/")
    query = tail[tail.index("?"):] if "?" in tail else ""
    return "%s://%s/%s%s" % (scheme, authority, name, query)


class FocusTest(unittest.TestCase):
    """A test whose steps read as commands: self.focus(...) (the
    CompletedProcess), self.ok(...) (the output of a run that must succeed)
    and self.json(...), through the Focus its setUp puts in self.runner."""

    runner = None

    def focus(self, *args, **options):
        return self.runner.run(*args, **options)

    def ok(self, *args, **options):
        return self.runner.ok(*args, **options)

    def json(self, *args, **options):
        return self.runner.json(*args, **options)


def added_ticket(output):
    """The number of the ticket `focus board add` reports adding."""
    match = re.search(r"^Added ticket #(\d+):", output, re.M)
    if not match:
        raise AssertionError("no 'Added ticket #N:' in %r" % output)
    return int(match.group(1))


# --- Scratch folders and files -----------------------------------------------

def scratch(owner, name):
    """A new empty folder, removed once `owner` is done with it: a test (in
    setUp or a test method) or a test class (in setUpClass). Cleanups run
    last in, first out, so a server started after it stops before it goes."""
    path = tempfile.mkdtemp(prefix="focus_%s_" % name)
    if isinstance(owner, type):
        owner.addClassCleanup(shutil.rmtree, path, ignore_errors=True)
    else:
        owner.addCleanup(shutil.rmtree, path, ignore_errors=True)
    return path


def files_under(folder):
    """Every file below `folder`, as sorted relative paths."""
    found = []
    for base, _, names in os.walk(folder):
        for name in names:
            found.append(os.path.relpath(os.path.join(base, name), folder))
    return sorted(found)


def file_hashes(folder, leave_out=()):
    """Relative path -> SHA-256 of every file below `folder` but those in
    `leave_out`: what a command must not have touched."""
    hashes = {}
    for rel in files_under(folder):
        if rel not in leave_out:
            with open(os.path.join(folder, rel), "rb") as f:
                hashes[rel] = hashlib.sha256(f.read()).hexdigest()
    return hashes


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def updating_golden():
    """Whether FOCUS_UPDATE_GOLDEN=1 asks a test to record what `focus` does
    now as what it must do: for a reviewed change only."""
    return os.environ.get("FOCUS_UPDATE_GOLDEN") == "1"


def check_golden(test, out_dir, golden, names):
    """Each named file of out_dir is byte for byte the reviewed copy in
    tests/golden/GOLDEN; FOCUS_UPDATE_GOLDEN=1 rewrites the copies first."""
    golden_dir = os.path.join(GOLDEN, golden)
    if updating_golden():
        for name in names:
            os.makedirs(os.path.dirname(os.path.join(golden_dir, name)),
                        exist_ok=True)
            shutil.copy(os.path.join(out_dir, name),
                        os.path.join(golden_dir, name))
    for name in names:
        with open(os.path.join(out_dir, name), "rb") as f:
            got = f.read()
        with open(os.path.join(golden_dir, name), "rb") as f:
            want = f.read()
        test.assertEqual(got, want, "%s/%s differs from the golden file; if "
                         "the change is intended, review it and rerun with "
                         "FOCUS_UPDATE_GOLDEN=1" % (golden, name))


# --- The board database ------------------------------------------------------

class Database:
    """A board database read directly with Python's sqlite3 (or psql for a
    PostgreSQL URL; not through focus), closed at the end of a `with`
    block."""

    def __init__(self, path):
        self.path = path
        self.conn = None if is_postgres(path) else sqlite3.connect(path)

    def __enter__(self):
        return self

    def __exit__(self, *_):
        if self.conn:
            self.conn.close()

    def rows(self, sql, *params):
        if self.conn:
            return self.conn.execute(sql, params).fetchall()
        return psql_rows(self.path, sql, params)

    def value(self, sql, *params):
        """The first column of the first row."""
        return self.rows(sql, *params)[0][0]

    def dump(self):
        """The whole database as SQL, to compare before and after."""
        if not self.conn:
            # One INSERT per row, as sqlite3's dump: lines can be picked.
            out = subprocess.run(["pg_dump", "--no-owner", "--inserts",
                                  self.path], capture_output=True, text=True,
                                 check=True, timeout=TIMEOUT).stdout
            # Newer pg_dump guards its script with a random key per run.
            return "\n".join(line for line in out.split("\n")
                             if not line.startswith(("\\restrict ",
                                                     "\\unrestrict ")))
        return "\n".join(self.conn.iterdump())


def psql_rows(url, sql, params):
    """The rows of `sql` (its `?` replaced by `params` as literals) through
    psql, as tuples of ints (where a value is one), text or None."""
    for p in params:
        literal = str(p) if isinstance(p, int) else \
            "'" + str(p).replace("'", "''") + "'"
        sql = sql.replace("?", literal, 1)
    out = subprocess.run(
        ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
         "-F", "\x1f", "-R", "\x1e", "-P", "null=\x1d", url, "-c", sql],
        capture_output=True, text=True, check=True, timeout=TIMEOUT).stdout
    rows = []
    for line in out.rstrip("\n").split("\x1e"):
        if line == "":
            continue
        rows.append(tuple(
            None if v == "\x1d" else int(v) if re.fullmatch(r"-?\d+", v)
            else v for v in line.split("\x1f")))
    return rows


def rows(path, sql, *params):
    with Database(path) as db:
        return db.rows(sql, *params)


def row_counts(path, tables):
    """Table -> number of rows."""
    with Database(path) as db:
        return {t: db.value("SELECT COUNT(*) FROM " + t) for t in tables}


def db_dump(path):
    with Database(path) as db:
        return db.dump()


def holds_write_lock(pid):
    """Whether `pid` holds SQLite's write lock on a WAL database: a POSIX
    lock on byte 120 of the -shm file (WALINDEX_LOCK_OFFSET + WAL_WRITE_LOCK),
    taken by BEGIN IMMEDIATE and held until the commit is done. The focus
    processes open one database, so the byte identifies it. Tests that kill
    a writer mid-write wait for this instead of guessing with a timer."""
    wanted = str(pid)
    with open("/proc/locks", encoding="ascii") as f:
        for line in f:
            # "1: POSIX  ADVISORY  WRITE 15302 fe:00:10953050 120 120";
            # waiters have "->" after the number and do not match.
            p = line.split()
            if (len(p) == 8 and p[3] == "WRITE" and p[4] == wanted
                    and p[6] == "120" and p[7] == "120"):
                return True
    return False


class PgBackends:
    """The PostgreSQL server processes serving clients that connect as
    `application_name` (set it with PGAPPNAME, which libpq sends), asked
    through one psql session kept open, so a poll costs a round trip rather
    than a process start. It is the PostgreSQL counterpart of
    holds_write_lock: tests that kill a client mid-write wait for
    writing()."""

    def __init__(self, url, application_name):
        self.psql = subprocess.Popen(
            ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env=changed(os.environ, {"PGAPPNAME": "focus-test-probe"}))
        # pg_stat_get_activity rather than the view: it skips the view's
        # joins, a third of a poll's cost.
        mine = ("FROM pg_stat_get_activity(NULL) WHERE application_name = '%s'"
                % application_name.replace("'", "''"))
        self.psql.stdin.write(
            "PREPARE writing AS SELECT count(*) %s AND backend_xid IS NOT "
            "NULL;\nPREPARE connected AS SELECT count(*) %s;\n"
            % (mine, mine))

    def count(self, statement):
        self.psql.stdin.write("EXECUTE %s;\n" % statement)
        self.psql.stdin.flush()
        if not select.select([self.psql.stdout], [], [], TIMEOUT)[0]:
            raise AssertionError("psql did not answer for %d s" % TIMEOUT)
        line = self.psql.stdout.readline()
        if not line:
            raise AssertionError("psql stopped (status %s)"
                                 % self.psql.wait())
        return int(line)

    def writing(self):
        """Whether one of them is in a transaction that has written and not
        yet ended: its transaction id is set from the first row written
        until the commit or rollback is done, commit included."""
        return self.count("writing") > 0

    def connected(self):
        """How many there are: a killed client's server process ends, its
        transaction committed or rolled back, only after it finds the
        connection closed."""
        return self.count("connected")

    def close(self):
        self.psql.stdin.close()
        self.psql.wait(timeout=TIMEOUT)


# --- focus serve and HTTP ----------------------------------------------------

def serving_port(line):
    """The port in the line `focus serve` prints once it listens (its
    readiness signal), or None if `line` is not that line."""
    match = re.match(r"Serving .* on http://127\.0\.0\.1:(\d+)/", line)
    return int(match.group(1)) if match else None


class Server:
    """`focus serve --port 0`, ready once it has printed where it listens.
    Its stderr goes to a file, so a long report never blocks it; the rest
    of its stdout is `output` once stopped."""

    def __init__(self, args, env, cwd=None, open_files=None):
        self.errors = tempfile.TemporaryFile("w+", encoding="utf-8",
                                             errors="replace")
        self.output = ""

        def limit():
            resource.setrlimit(resource.RLIMIT_NOFILE,
                               (open_files, open_files))

        self.process = subprocess.Popen(
            [FOCUS, "serve", "--port", "0", *args], cwd=cwd, env=env,
            stdout=subprocess.PIPE, stderr=self.errors, text=True,
            errors="replace", preexec_fn=limit if open_files else None)
        line = self.process.stdout.readline()
        self.ready_line = line
        self.port = serving_port(line)
        if self.port is None:
            self.stop()
            raise AssertionError("focus serve did not start: %r; stderr: %s"
                                 % (line, self.stderr))

    @property
    def stderr(self):
        if self.errors.closed:
            return self.final_stderr
        self.errors.seek(0)
        return self.errors.read()

    def wait_for_stderr(self, text):
        """Waits until the server has written `text` to its stderr (False
        if it exits first, or TIMEOUT passes)."""
        deadline = time.monotonic() + TIMEOUT
        while text not in self.stderr:
            if self.process.poll() is not None or time.monotonic() > deadline:
                return text in self.stderr
            time.sleep(0.01)
        return True

    def stop(self, sig=signal.SIGTERM):
        """Ends the server (SIGTERM, which it handles: a clean stop; killed
        if it has not stopped within TIMEOUT) and returns its exit status.
        Stopping again returns the same."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.process.stdout.closed:
            self.output = self.process.stdout.read()
            self.process.stdout.close()
        if not self.errors.closed:
            self.final_stderr = self.stderr
            self.errors.close()
        return self.process.returncode

    def client(self):
        return Client(self.port)


class Response:
    """A whole HTTP response: status, headers and body (bytes)."""

    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode("utf-8", errors="backslashreplace")

    def json(self):
        return json.loads(self.body)


def session_cookie(set_cookie):
    """The `name=value` to send back for a Set-Cookie header; None once the
    server clears it (signing out)."""
    pair = set_cookie.split(";")[0].strip()
    return pair if not pair.endswith("=") else None


# A ticket as the JSON API takes it (POST /api/tickets), for tests that
# add one through the server.
API_TICKET = {"title": "Appointment letters arrive late",
              "details": "Said by three people", "area": "East Surrey",
              "themes": ["communication"], "team": "PALS", "raised_by": 3}


class Client:
    """Requests to one `focus serve`, each on its own connection, carrying
    the session as a browser would: the cookie the server last set and,
    after sign_in, the CSRF token. Only the headers given and these are
    sent; a header given as None is left out."""

    def __init__(self, port):
        self.port = port
        self.cookie = None
        self.csrf = None

    def request(self, method, path, body=None, headers=None):
        """A Response. `body` is bytes or text as given, or a dict or list
        sent as JSON."""
        headers = dict(headers or {})
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            headers.setdefault("Content-Type", "application/json")
        if isinstance(body, str):
            body = body.encode("utf-8")
        if self.cookie:
            headers.setdefault("Cookie", self.cookie)
        if self.csrf:
            headers.setdefault("X-CSRF-Token", self.csrf)
        headers = {k: v for k, v in headers.items() if v is not None}
        conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                          timeout=TIMEOUT)
        try:
            conn.request(method, path, body=body, headers=headers)
            res = conn.getresponse()
            response = Response(res.status, res.headers, res.read())
        finally:
            conn.close()
        if response.headers.get("Set-Cookie"):
            self.cookie = session_cookie(response.headers["Set-Cookie"])
        return response

    def sign_in(self, name, password):
        """POST /api/login; on success later requests carry its CSRF token."""
        response = self.request("POST", "/api/login",
                                {"name": name, "password": password})
        if response.status == 200:
            self.csrf = response.json()["csrf_token"]
        return response


# --- Commands in the documents -----------------------------------------------

# Where one shell command ends and the next begins.
COMMAND_SEPARATORS = {";", "|", "||", "&", "&&", "(", ")", "\n"}


def markdown_commands(path, section=None):
    """The commands the ```sh blocks of a Markdown file show, and the
    ExecStart= lines of its ```ini blocks: (line number, argv) for each
    simple command. Continuation lines are joined; comments, redirections
    and leading NAME=value settings are left out. With `section` (a heading
    such as "## A short tour"), only the blocks up to the next heading of
    the same level."""
    lines = read(path).split("\n")
    first, last = 0, len(lines)
    if section:
        first = lines.index(section)
        level = section.split(" ")[0] + " "
        last = next((i for i in range(first + 1, len(lines))
                     if lines[i].startswith(level)), len(lines))
    commands = []
    fence = None
    number = first
    while number < last:
        line = lines[number]
        number += 1
        stripped = line.strip()
        if stripped.startswith("```"):
            fence = None if fence is not None else stripped[3:]
            continue
        if fence not in ("sh", "ini"):
            continue
        start = number
        while line.endswith("\\") and number < last:
            line = line[:-1] + " " + lines[number]
            number += 1
        if fence == "ini":
            if not stripped.startswith("ExecStart="):
                continue
            line = stripped[len("ExecStart="):]
        for argv in simple_commands(line):
            commands.append((start, argv))
    return commands


def without_comment(line):
    """A shell line up to its comment: a `#` that starts a word outside
    quotes (shlex would also cut at a `#` inside a word, as in a URL)."""
    quote = None
    for i, c in enumerate(line):
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i]
    return line


def simple_commands(line):
    """The simple commands of one shell line, as argument lists."""
    lexer = shlex.shlex(without_comment(line), posix=True,
                        punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    commands, argv = [], []
    tokens = list(lexer)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token in COMMAND_SEPARATORS:
            commands.append(argv)
            argv = []
        elif token[0] in "<>":
            i += 1  # The redirection's target.
        elif token.isdigit() and i < len(tokens) and tokens[i][0] in "<>":
            continue  # A redirected descriptor, as in 2>&1.
        elif not argv and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", token):
            continue  # A variable set for this command only.
        else:
            argv.append(token)
    commands.append(argv)
    return [argv for argv in commands if argv]


def is_focus(argv):
    """Whether a shell command runs focus (by name or by path)."""
    return argv[0] == "focus" or argv[0].endswith("/focus")
