#!/usr/bin/python3
"""End-to-end tests of `focus serve` and `focus account` through the binary.

Creates an account with the password on standard input, starts the server on
a free port, signs in and adds a ticket through the JSON API, and checks that
the CLI sees it (and can write) while the server runs; then stops the server
with SIGTERM.

Usage: server_e2e_test.py PATH_TO_FOCUS [unittest options]
"""

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CONFIG = os.path.join(ROOT, "config", "focus.yaml")
FOCUS = None  # Set from argv.
PASSWORD = "correct horse battery"


class Server(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="focus_server_e2e_")
        self.db = os.path.join(self.tmp, "focus.db")
        self.env = dict(os.environ)
        self.env.update({"FOCUS_TODAY": "2027-01-20", "FOCUS_USER": "admin",
                         "FOCUS_CONFIG": CONFIG, "FOCUS_DB": self.db,
                         # Hash at libsodium's minimum Argon2id cost.
                         "FOCUS_TEST_MIN_PASSWORD_COST": "1"})
        self.assertEqual(self.focus("init").returncode, 0)
        self.server = None

    def tearDown(self):
        if self.server:
            if self.server.poll() is None:
                self.server.kill()
                self.server.wait()
            self.server.stdout.close()
            self.server.stderr.close()
        shutil.rmtree(self.tmp)

    def focus(self, *args, stdin=None):
        return subprocess.run([FOCUS, *args], env=self.env, input=stdin,
                              capture_output=True, text=True, timeout=60)

    def ok(self, *args, stdin=None):
        result = self.focus(*args, stdin=stdin)
        self.assertEqual(result.returncode, 0,
                         "%s\n%s" % (" ".join(args), result.stderr))
        return result.stdout

    def start(self, *extra):
        self.server = subprocess.Popen(
            [FOCUS, "serve", "--port", "0", *extra], env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.server.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        self.assertIsNotNone(match, "no URL in %r (stderr: %s)" % (
            line, self.server.stderr.read() if not line else ""))
        self.base = "http://127.0.0.1:%s" % match.group(1)
        jar = http.cookiejar.CookieJar()
        self.http = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar))
        return jar

    def request(self, method, path, body=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data,
                                     method=method, headers=headers or {})
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with self.http.open(req, timeout=30) as res:
                return res.status, res.headers, res.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read().decode()

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
                del self.env["FOCUS_TEST_MIN_PASSWORD_COST"]
            else:
                self.env["FOCUS_TEST_MIN_PASSWORD_COST"] = value
            self.ok("account", "add", name, "--role", "editor",
                    stdin=PASSWORD + "\n")
        db = sqlite3.connect(self.db)
        hashes = dict(db.execute("SELECT name, password_hash FROM accounts"))
        db.close()
        self.assertEqual({n: h.split("$")[3] for n, h in hashes.items()},
                         {"real": "m=65536,t=2,p=1", "empty": "m=65536,t=2,p=1",
                          "zero": "m=65536,t=2,p=1", "quick": "m=8,t=1,p=1"})
        # Either cost signs in.
        self.start()
        for name in ("real", "quick"):
            status, _, body = self.request(
                "POST", "/api/login", {"name": name, "password": PASSWORD})
            self.assertEqual(status, 200, body)

        self.env["FOCUS_TEST_MIN_PASSWORD_COST"] = "yes"
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

        status, headers, body = self.request("GET", "/")
        self.assertEqual(status, 200)
        self.assertIn('<html lang="en-GB">', body)
        status, headers, body = self.request("GET", "/calendar.ics")
        self.assertEqual(headers["Content-Type"],
                         "text/calendar; charset=utf-8")
        self.assertTrue(body.startswith("BEGIN:VCALENDAR\r\n"))

        # Not signed in: 401.
        status, _, body = self.request("POST", "/api/tickets", {})
        self.assertEqual((status, json.loads(body)),
                         (401, {"error": "sign in first"}))

        status, _, body = self.request(
            "POST", "/api/login", {"name": "jo", "password": PASSWORD})
        self.assertEqual(status, 200, body)
        csrf = json.loads(body)["csrf_token"]
        ticket = {"title": "Appointment letters arrive late",
                  "details": "Said by three people", "area": "East Surrey",
                  "themes": ["communication"], "team": "PALS",
                  "raised_by": 3}
        status, _, body = self.request("POST", "/api/tickets", ticket,
                                       {"X-CSRF-Token": csrf})
        self.assertEqual(status, 201, body)
        created = json.loads(body)
        self.assertEqual(created["votes"], 3)

        # The CLI sees it while the server runs, with the account as actor.
        shown = json.loads(self.ok("board", "show", str(created["id"]),
                                   "--json"))
        self.assertEqual(shown["title"], "Appointment letters arrive late")
        self.assertEqual(shown["history"][0]["actor"], "jo")
        # ... and writes too; the server sees that at once.
        self.ok("board", "vote", str(created["id"]), "--count", "2")
        status, _, body = self.request("GET",
                                       "/api/tickets/%d" % created["id"])
        self.assertEqual((status, json.loads(body)["votes"]), (200, 5))

        # Screening: 422 naming the field; nothing stored.
        bad = dict(ticket, details="ring 07700 900123")
        status, _, body = self.request("POST", "/api/tickets", bad,
                                       {"X-CSRF-Token": csrf})
        self.assertEqual(status, 422)
        self.assertEqual(json.loads(body)["field"], "details")
        listed = json.loads(self.ok("board", "list", "--json"))
        self.assertEqual(len(listed["tickets"]
                             if isinstance(listed, dict) else listed), 1)

        # A disabled account is signed out at once.
        self.ok("account", "disable", "jo")
        status, _, _ = self.request("GET", "/api/session")
        self.assertEqual(status, 401)

        # SIGTERM stops it cleanly.
        self.server.send_signal(signal.SIGTERM)
        self.assertEqual(self.server.wait(timeout=120), 0)  # A safety bound.
        self.assertIn("Stopping (SIGTERM)", self.server.stdout.read())

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

    def test_serving_needs_a_database(self):
        os.remove(self.db)
        r = self.focus("serve", "--port", "0")
        self.assertEqual(r.returncode, 2)
        self.assertIn("no board database here; create one with `focus init`",
                      r.stderr)


if __name__ == "__main__":
    FOCUS = os.path.abspath(sys.argv.pop(1))
    unittest.main()
