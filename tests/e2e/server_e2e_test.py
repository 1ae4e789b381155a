#!/usr/bin/python3
"""End-to-end tests of `focus serve` and `focus account` through the binary.

Creates an account with the password on standard input, starts the server on
a free port, signs in and adds a ticket through the JSON API, and checks that
the CLI sees it (and can write) while the server runs; then stops the server
with SIGTERM.

Usage: server_e2e_test.py PATH_TO_FOCUS [unittest options]
"""

import json
import os
import re
import signal
import socket
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "harness"))
import focus_harness  # noqa: E402
from focus_harness import (FocusTest, board_in,  # noqa: E402
                           new_board_database, postgres_variant, rows,
                           scratch)

PASSWORD = "correct horse battery"


class Server(FocusTest):
    def setUp(self):
        self.tmp = scratch(self, "server_e2e")
        self.runner = board_in(self.tmp, today="2027-01-20", user="admin")
        self.assertEqual(self.focus("init").returncode, 0)

    def start(self, *extra):
        """Serves the board; self.http then talks to it."""
        self.server = self.runner.serve(*extra)
        self.addCleanup(self.server.stop)
        self.http = self.server.client()

    def test_accounts_from_the_command_line(self):
        out = self.ok("account", "add", "jo", "--role", "coordinator",
                      stdin=PASSWORD + "\n")
        self.assertEqual(out, "Added account jo (coordinator)\n")
        out = self.ok("account", "add", "sam", "--role", "responder",
                      "--team", "pals", stdin=PASSWORD + "\n")
        self.assertEqual(out, "Added account sam (responder, team PALS)\n")

        cases = [
            (["jo", "--role", "editor"], PASSWORD,
             "focus: error: account 'jo' already exists\n"),
            (["al", "--role", "admin"], PASSWORD,
             "focus: error: unknown role 'admin' (roles: coordinator, "
             "facilitator, responder, editor)\n"),
            (["al", "--role", "editor"], "short",
             "focus: error: password: at least 10 characters, please\n"),
            (["al", "--role", "editor"], "",
             "focus: error: no password on standard input (give it on the "
             "first line)\n"),
        ]
        for args, password, error in cases:
            r = self.focus("account", "add", *args,
                           stdin=password + "\n" if password else "")
            self.assertEqual((r.returncode, r.stderr), (2, error), args)

        accounts = json.loads(self.ok("account", "list", "--json"))
        self.assertEqual([(a["name"], a["role"], a["team"], a["disabled"])
                          for a in accounts],
                         [("jo", "coordinator", "", False),
                          ("sam", "responder", "PALS", False)])
        self.assertNotIn(PASSWORD, self.ok("account", "list"))
        self.assertEqual(self.ok("account", "disable", "sam"),
                         "Disabled account sam\n")
        self.assertIn("sam   responder    disabled  PALS",
                      self.ok("account", "list"))

    def test_password_cost_for_tests(self):
        # Unset, empty or 0: the interactive cost every real account gets.
        for name, value in [("real", None), ("empty", ""), ("zero", "0"),
                            ("quick", "1")]:
            if value is None:
                del self.runner.env["FOCUS_TEST_MIN_PASSWORD_COST"]
            else:
                self.runner.env["FOCUS_TEST_MIN_PASSWORD_COST"] = value
            self.ok("account", "add", name, "--role", "editor",
                    stdin=PASSWORD + "\n")
        hashes = rows(self.runner.db,
                      "SELECT name, password_hash FROM accounts")
        self.assertEqual(
            {n: h.split("$")[3] for n, h in hashes},
            {"real": "m=65536,t=2,p=1", "empty": "m=65536,t=2,p=1",
             "zero": "m=65536,t=2,p=1", "quick": "m=8,t=1,p=1"})
        # Either cost signs in.
        self.start()
        for name in ("real", "quick"):
            res = self.http.sign_in(name, PASSWORD)
            self.assertEqual(res.status, 200, res.text)

        self.runner.env["FOCUS_TEST_MIN_PASSWORD_COST"] = "yes"
        r = self.focus("account", "add", "al", "--role", "editor",
                       stdin=PASSWORD + "\n")
        self.assertEqual(
            (r.returncode, r.stderr),
            (2, "focus: error: FOCUS_TEST_MIN_PASSWORD_COST='yes' is not 0 or "
             "1 (1 hashes passwords at the minimum cost, for tests only)\n"))
        self.assertNotIn("al", [a["name"] for a in json.loads(
            self.ok("account", "list", "--json"))])

    def test_api_and_cli_share_the_board_while_serving(self):
        self.ok("account", "add", "jo", "--role", "facilitator",
                stdin=PASSWORD + "\n")
        self.start()

        res = self.http.request("GET", "/")
        self.assertEqual(res.status, 200)
        self.assertIn('<html lang="en-GB">', res.text)
        res = self.http.request("GET", "/calendar.ics")
        self.assertEqual(res.headers["Content-Type"],
                         "text/calendar; charset=utf-8")
        self.assertTrue(res.text.startswith("BEGIN:VCALENDAR\r\n"))

        # Not signed in: 401.
        res = self.http.request("POST", "/api/tickets", {})
        self.assertEqual((res.status, res.json()),
                         (401, {"error": "sign in first"}))

        res = self.http.sign_in("jo", PASSWORD)
        self.assertEqual(res.status, 200, res.text)
        self.assertTrue(res.json()["csrf_token"])
        ticket = focus_harness.API_TICKET
        # The session's cookie and CSRF token go with every request.
        res = self.http.request("POST", "/api/tickets", ticket)
        self.assertEqual(res.status, 201, res.text)
        created = res.json()
        self.assertEqual(created["votes"], 3)

        # The CLI sees it while the server runs, with the account as actor.
        shown = json.loads(self.ok("board", "show", str(created["id"]),
                                   "--json"))
        self.assertEqual(shown["title"], "Appointment letters arrive late")
        self.assertEqual(shown["history"][0]["actor"], "jo")
        # ... and writes too; the server sees that at once.
        self.ok("board", "vote", str(created["id"]), "--count", "2")
        res = self.http.request("GET", "/api/tickets/%d" % created["id"])
        self.assertEqual((res.status, res.json()["votes"]), (200, 5))

        # Screening: 422 naming the field; nothing stored.
        bad = dict(ticket, details="ring 07700 900123")
        res = self.http.request("POST", "/api/tickets", bad)
        self.assertEqual(res.status, 422)
        self.assertEqual(res.json()["field"], "details")
        listed = json.loads(self.ok("board", "list", "--json"))
        self.assertEqual(len(listed["tickets"]
                             if isinstance(listed, dict) else listed), 1)

        # A disabled account is signed out at once.
        self.ok("account", "disable", "jo")
        self.assertEqual(self.http.request("GET", "/api/session").status, 401)

        # SIGTERM stops it cleanly.
        self.assertEqual(self.server.stop(signal.SIGTERM), 0)
        self.assertIn("Stopping (SIGTERM)", self.server.output)

    def test_a_port_in_use_is_refused(self):
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen(1)
            port = taken.getsockname()[1]
            r = self.focus("serve", "--port", str(port))
        self.assertEqual(r.returncode, 4)
        self.assertEqual(
            r.stderr,
            "focus: error: cannot listen on 127.0.0.1:%d (in use, or not an "
            "address of this machine)\n" % port)

    def test_a_missing_templates_folder_is_refused_at_start(self):
        r = self.focus("serve", "--port", "0", "--templates",
                       os.path.join(self.tmp, "nowhere"))
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("nowhere", r.stderr)

    # UBSan checks a virtual call it has not seen before by probing the
    # object's memory through a pipe (sanitizer_common's
    # IsAccessibleMemoryRange). With every descriptor taken, pipe2() fails
    # with EMFILE (seen with strace), the probe reads that as unreadable
    # memory and reports "object has invalid vptr" for a valid
    # boost::system::error_category. The sanitizer cannot run out of
    # descriptors with the program, so this runs in the normal build only.
    @unittest.skipIf("UBSAN_OPTIONS" in os.environ,
                     "UBSan's vptr probe needs a free descriptor")
    def test_out_of_file_descriptors_it_waits_then_serves_again(self):
        """More connections than the server may have descriptors: accepting
        fails until some are closed. The server says so once, retries less
        and less often (not straight away, which would spin a core), and
        serves again once it can."""
        started = time.monotonic()
        server = self.runner.serve(open_files=64)
        self.addCleanup(server.stop)
        held = [socket.create_connection(("127.0.0.1", server.port),
                                         timeout=focus_harness.TIMEOUT)
                for _ in range(100)]
        self.assertTrue(server.wait_for_stderr(
            "focus serve: cannot accept a connection (Too many open files); "
            "trying again, less often, until it can\n"), server.stderr)
        for connection in held:
            connection.close()
        # The server frees each descriptor once it sees that connection
        # close (later under a sanitizer); until then a request may still
        # find none free and be dropped. It must serve again.
        deadline = time.monotonic() + focus_harness.TIMEOUT
        status = None
        while status != 200 and time.monotonic() < deadline:
            try:
                status = server.client().request("GET", "/api/forums").status
            except ConnectionError:
                time.sleep(0.05)
        self.assertEqual(status, 200)
        self.assertTrue(server.wait_for_stderr("accepting connections again"))
        elapsed = time.monotonic() - started
        log = server.stderr
        failed = [int(n) for n in re.findall(
            r"focus serve: accepting connections again, after (\d+) failed "
            r"attempts\n", log)]
        # One line when an episode starts and one when it ends.
        self.assertEqual(log.count("cannot accept a connection"), len(failed))
        # Each retry waits twice as long as the last (from 5 ms) up to a
        # second: at most 9 retries in the first 1.3 s, then one a second.
        # Retrying at once would have made thousands.
        self.assertLessEqual(sum(failed), 10 + elapsed, log)

    def test_the_first_line_names_the_database_without_its_password(self):
        db = self.runner.db
        if postgres_variant():
            # The throwaway cluster trusts its socket, so any password
            # connects; the point is that it is never printed.
            scheme, rest = db.split("://", 1)
            user, at, tail = rest.partition("@")
            db = "%s://%s:s3cret-word%s%s" % (scheme, user, at, tail)
            shown = "%s://%s" % (scheme, rest)
        else:
            shown = db
        server = self.runner.serve("--db", db)
        self.addCleanup(server.stop)
        self.assertIn("(database %s;" % shown, server.ready_line)
        self.assertNotIn("s3cret", server.ready_line)

    def test_serving_needs_a_database(self):
        if postgres_variant():
            # An empty PostgreSQL database has no board in it.
            empty = new_board_database(scratch(self, "empty"))
            r = self.focus("serve", "--port", "0", "--db", empty)
        else:
            os.remove(self.runner.db)
            r = self.focus("serve", "--port", "0")
        self.assertEqual(r.returncode, 2)
        self.assertIn("no board database here; create one with `focus init`",
                      r.stderr)


if __name__ == "__main__":
    focus_harness.main()
