#!/usr/bin/python3
"""The bad-input corpus: every broken input gets its exact error, and no harm.

Each case is a JSON file under tests/bad_input/cases/<group>/ (see README.md
there for the format): the `focus` arguments, the exact stderr and the exit
status (2 for bad input). Input files a case needs sit beside it and are
copied into a scratch folder, which is the working directory, so messages
name them by stable relative paths ("configs/unknown-key.yaml:3: ...").

For every case the test checks that the command:
- exits with the expected status (never a signal, never 70) and prints
  exactly the expected stderr and nothing on stdout;
- leaves no file behind: the scratch folder holds the same files with the
  same contents afterwards (no partial output, no temporary files);
- leaves the board database unchanged (its full SQL dump is compared).

Groups named in API_GROUPS hold HTTP request cases for the web server
(cases/api/README.md): run_api_case starts `focus serve` on a free port over
the same database, signs in as the case says, sends the request and checks
the exact status and JSON body, and that the database did not change.

Usage: bad_input_test.py PATH_TO_FOCUS [unittest options]
FOCUS_UPDATE_GOLDEN=1 rewrites each case's "stderr" and "status" (for API
cases "status" and "body") from what the binary does now: review every
change before committing it.
"""

import glob
import json
import os
import shutil
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "harness"))
import focus_harness  # noqa: E402
from focus_harness import (Focus, db_dump, file_hashes,  # noqa: E402
                           is_postgres, new_board_database, postgres_variant,
                           scratch, updating_golden)

CASES = os.path.join(HERE, "cases")
TODAY = "2027-01-20"
DB = "focus.db"
API_GROUPS = ("api",)
PASSWORD = "correct horse battery"
# The fixture's accounts for the web server: name -> `focus account add`
# options. Requests sign in as one of them ("as" in a case).
ACCOUNTS = {
    "fay": ["--role", "facilitator"],
    "jo": ["--role", "coordinator"],
    "sam": ["--role", "responder", "--team", "PALS"],
    "ed": ["--role", "editor"],
}


def expand_arg(arg):
    """A manifest argument: text, {"hex": "..."} for bytes that are not
    UTF-8, or {"repeat": TEXT, "times": N} for long text."""
    if isinstance(arg, str):
        return arg.encode("utf-8")
    if "hex" in arg:
        return bytes.fromhex(arg["hex"])
    if "repeat" in arg:
        return (arg["repeat"] * arg["times"]).encode("utf-8")
    raise ValueError("unknown argument form %r" % arg)


def tree_state(root):
    """Every file under root and its contents, database files aside: the
    database is compared by its dump instead."""
    return file_hashes(root, leave_out=(DB, DB + "-wal", DB + "-shm"))


# The server's own bookkeeping, not the board: a sign-in writes its session,
# and a refused one is counted for the sign-in limit, as it must be. Its
# rows (and, on PostgreSQL, where their numbering stands) are left out.
SERVER_TABLES = ("web_sessions", "rate_events")


def server_state(line):
    return any(line.startswith(('INSERT INTO "%s" ' % t,
                                "INSERT INTO public.%s " % t))
               or "'public.%s_id_seq'" % t in line for t in SERVER_TABLES)


def board_dump(path):
    """The database's dump without the server's bookkeeping rows."""
    return "\n".join(line for line in db_dump(path).split("\n")
                     if not server_state(line))


def load_cases():
    cases = []
    for path in sorted(glob.glob(os.path.join(CASES, "*", "*.case.json"))):
        group = os.path.basename(os.path.dirname(path))
        with open(path, encoding="utf-8") as f:
            cases.append((group, path, json.load(f)))
    return cases


def run_api_case(test, path, case):
    """HTTP request cases: start the server on the scratch database, sign
    in as case["request"]["as"] (if given), send the request and check the
    exact status (4xx) and JSON body, and that nothing changed."""
    files_before = tree_state(test.tmp)
    dump_before = board_dump(test.database())
    req = case["request"]
    headers = dict(req.get("headers", {}))
    body = req.get("body", "")
    if isinstance(body, dict) and "json" in body:
        body = json.dumps(body["json"]).encode("utf-8")
    else:
        body = expand_arg(body)
    served = test.runner.serve()
    try:
        client = served.client()
        if "as" in req:
            signed_in = client.sign_in(req["as"], PASSWORD)
            if signed_in.status != 200:
                raise RuntimeError("cannot sign in as %s: %d %r" % (
                    req["as"], signed_in.status, signed_in.body))
            csrf_given = req.get("csrf", "session")
            if csrf_given != "session":
                headers["X-CSRF-Token"] = csrf_given  # None: none sent.
        response = client.request(req["method"], req["path"], body, headers)
    finally:
        returncode = served.stop()
    status = response.status
    content_type = response.headers.get("Content-Type", "")
    text = response.text
    try:
        answer = json.loads(text)
    except ValueError:
        answer = text

    if updating_golden():
        case["status"] = status
        case["body"] = answer
        with open(path, "w", encoding="utf-8") as f:
            json.dump(case, f, indent=2, ensure_ascii=False)
            f.write("\n")

    test.assertNotIn("internal error", served.stderr)
    test.assertEqual(returncode, 0, "the server did not stop cleanly: "
                     + served.stderr)
    test.assertTrue(400 <= status < 500, "not a 4xx: %d %s" % (status, text))
    test.assertEqual(status, case["status"], text)
    test.assertTrue(content_type.startswith("application/json"),
                    "not JSON: %s" % content_type)
    test.assertEqual(answer, case["body"])
    test.assertEqual(tree_state(test.tmp), files_before,
                     "files were left behind or changed")
    test.assertEqual(board_dump(test.database()), dump_before,
                     "the database changed")


class BadInput(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = scratch(cls, "bad_input")
        # The inputs, at stable relative paths.
        for group in os.listdir(CASES):
            src = os.path.join(CASES, group)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(cls.tmp, group))
        # In the suite's PostgreSQL variant, a database of the cluster.
        cls.db = new_board_database(cls.tmp) if postgres_variant() else DB
        cls.runner = Focus(cwd=cls.tmp, today=TODAY, user="bad-input-test",
                           db=cls.db, extra={"LC_ALL": "C.UTF-8"})
        # A board with something in it, so commands have tickets to refuse
        # to change: forum #1, ticket #1 raised, #2 sent to the Trust, #3
        # answered.
        for args in (
                ["init"],
                ["forum", "record", "2027-r1-east-surrey", "--service-users",
                 "4", "--carers", "2", "--staff", "3"],
                ["board", "add", "--title", "Letters arrive late", "--area",
                 "East Surrey", "--theme", "communication", "--team",
                 "CMHRS East Surrey", "--forum", "1"],
                ["board", "add", "--title", "No parking at the clinic",
                 "--area", "East Surrey", "--theme", "access", "--team",
                 "Estates and Facilities", "--forum", "1"],
                ["board", "add", "--title", "Long waits for a first "
                 "appointment", "--area", "Surrey Downs", "--theme",
                 "waiting times", "--team", "CMHRS Surrey Downs"],
                ["board", "move", "2", "sent-to-trust"],
                ["board", "move", "3", "sent-to-trust"],
                ["board", "answer", "3", "--text", "We have two new "
                 "assessment clinics.", "--by", "Service manager"]):
            cls.runner.ok(*args)
        # Accounts for the web server's cases (passwords on standard input).
        for name, options in ACCOUNTS.items():
            cls.runner.ok("account", "add", name, *options,
                          stdin=PASSWORD + "\n")

    def database(self):
        """The board database: a path (SQLite, in the folder) or a URL."""
        return (self.db if is_postgres(self.db)
                else os.path.join(self.tmp, self.db))

    def run_case(self, group, path, case):
        if group in API_GROUPS or "request" in case:
            run_api_case(self, path, case)
            return
        # {"sparse": {"trello/huge.json": BYTES}}: a file of that size made
        # for the case (holes, so it takes no disk), removed after it.
        made = []
        for rel, size in case.get("sparse", {}).items():
            made.append(os.path.join(self.tmp, rel))
            with open(made[-1], "wb") as f:
                f.truncate(size)
        self.addCleanup(lambda: [os.remove(m) for m in made])
        files_before = tree_state(self.tmp)
        dump_before = db_dump(self.database())
        args = [expand_arg(a) for a in case["args"]]
        env = case.get("env", {})
        result = self.runner.run(*args, env=env, text=False)
        stderr = result.stderr.decode("utf-8", errors="backslashreplace")
        stdout = result.stdout.decode("utf-8", errors="backslashreplace")

        # An engine error (not an argument the parser refused) is also
        # checked as --json prints it: its kind and field are pinned.
        error = None
        prefix = "focus: error: "
        if stderr.startswith(prefix) and stderr.count("\n") == 1:
            again = self.runner.run(*args, b"--json", env=env, text=False)
            text = again.stderr.decode("utf-8", errors="backslashreplace")
            try:
                error = json.loads(text)
            except ValueError:
                self.fail("--json: the error is not one JSON object: " + text)
            self.assertEqual(again.returncode, result.returncode, text)

        if updating_golden():
            case["stderr"] = stderr
            case["status"] = result.returncode
            if error is not None:
                case["kind"] = error["kind"]
                case.pop("field", None)
                if "field" in error:
                    case["field"] = error["field"]
            with open(path, "w", encoding="utf-8") as f:
                json.dump(case, f, indent=2, ensure_ascii=False)
                f.write("\n")

        self.assertGreaterEqual(result.returncode, 0,
                                "killed by signal %d" % -result.returncode)
        self.assertNotEqual(result.returncode, 70,
                            "internal error: " + stderr)
        self.assertEqual(result.returncode, case["status"], stderr)
        self.assertEqual(stderr, case["stderr"])
        self.assertEqual(stdout, "", "a refused command printed output")
        self.assertEqual(tree_state(self.tmp), files_before,
                         "files were left behind or changed")
        self.assertEqual(db_dump(self.database()), dump_before,
                         "the database changed")
        if error is not None:
            self.assertIn("kind", case, "the case needs the error's kind")
            expected = {"error": stderr[len(prefix):-1], "kind": case["kind"]}
            if "field" in case:
                expected["field"] = case["field"]
            self.assertEqual(error, expected)


def add_case_tests():
    cases = load_cases()
    if not cases:
        raise RuntimeError("no cases under " + CASES)
    for group, path, case in cases:
        name = "test_%s_%s" % (group, os.path.splitext(
            os.path.basename(path))[0][:-len(".case")].replace("-", "_"))

        def test(self, group=group, path=path, case=case):
            self.run_case(group, path, case)
        test.__doc__ = "%s/%s: %s" % (group, os.path.basename(path),
                                      case.get("about", ""))
        setattr(BadInput, name, test)


if __name__ == "__main__":
    add_case_tests()
    focus_harness.main()
