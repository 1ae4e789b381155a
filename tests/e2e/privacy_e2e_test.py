#!/usr/bin/python3
"""Nobody's name is published: a planted name through every public output.

One person's name is planted everywhere a name can enter the board: as the
account and the actor of every change, as who gave an answer (`--by`), as
the author of a Trello "Trust answer:" comment. Then every public output is
made through the built `focus`:

- the newsletter drafts (all six files), the monthly report and the
  Development Group pack (pages and CSV tables), the plan's calendars and
  plan.json;
- the public pages and feeds of `focus serve`: /, /answers, /calendar.ics,
  an area's feed, /api/forums and /api/answers.

None may contain any part of the name; each must name the answering team
instead where it shows an answer. The private views (`board show`) keep the
name: who typed an answer stays in the history.

Usage: privacy_e2e_test.py PATH_TO_FOCUS [unittest options]
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CONFIG = os.path.join(ROOT, "config", "focus.yaml")
FOCUS = None  # Set from argv.

FIRST, LAST = "Zebedee", "Quuxworth"
PLANTED = FIRST + " " + LAST


def trello_export():
    """A small Trello board whose answer comment a named member wrote, with
    a second card (its area only in its title) that member commented on,
    created, and gave a checklist and a due date."""
    board = {
        "id": "5f0000000000000000000001", "name": "Forum board",
        "lists": [{"id": "L1", "name": "Answered", "closed": False}],
        "labels": [{"id": "A1", "name": "East Surrey"},
                   {"id": "T1", "name": "access"},
                   {"id": "P1", "name": "PALS"}],
        "members": [{"id": "M1", "fullName": PLANTED,
                     "username": "zquuxworth"}],
        "cards": [{"id": "5f0000000000000000000002",
                   "name": "Signs to the clinic are hard to read",
                   "desc": "", "idList": "L1", "closed": False,
                   "idLabels": ["A1", "T1", "P1"],
                   "dateLastActivity": "2027-01-05T10:00:00.000Z"}],
        "actions": [{"id": "5f0000000000000000000003", "type": "commentCard",
                     "date": "2027-01-06T10:00:00.000Z",
                     "idMemberCreator": "M1",
                     "memberCreator": {"id": "M1", "fullName": PLANTED,
                                       "username": "zquuxworth"},
                     "data": {"text": "Trust answer: Larger signs are up.",
                              "card": {"id": "5f0000000000000000000002"}}}],
    }
    board["lists"].append({"id": "L2", "name": "Sent to the Trust"})
    board["cards"].append({
        "id": "not-a-timestamp-2", "name": "Lifts out of order (East Surrey)",
        "desc": "", "idList": "L2", "closed": True, "idLabels": [],
        "due": "2027-02-01T12:00:00.000Z", "dueComplete": False})
    board["checklists"] = [{"id": "K1", "idCard": "not-a-timestamp-2",
                            "name": "Asked by " + PLANTED,
                            "checkItems": [{"id": "I1", "state": "complete",
                                            "name": "Rang the ward"}]}]
    member = {"id": "M1", "fullName": PLANTED, "username": "zquuxworth"}
    for kind, text in (("createCard", None),
                       ("commentCard", "Shared with the forum.")):
        action = {"id": "A-" + kind, "type": kind,
                  "date": "2027-01-07T10:00:00.000Z", "idMemberCreator": "M1",
                  "memberCreator": member,
                  "data": {"card": {"id": "not-a-timestamp-2"}}}
        if text:
            action["data"]["text"] = text
        board["actions"].append(action)
    return board


class PrivacyTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="focus_privacy_e2e_")
        self.env = dict(os.environ)
        self.env.update({"FOCUS_USER": PLANTED, "FOCUS_CONFIG": CONFIG,
                         "FOCUS_DB": os.path.join(self.tmp, "focus.db"),
                         "FOCUS_TEST_MIN_PASSWORD_COST": "1"})
        self.env.pop("SOURCE_DATE_EPOCH", None)
        self.server = None

    def tearDown(self):
        if self.server:
            self.server.kill()
            self.server.wait()
            self.server.stdout.close()
            self.errors.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def ok(self, today, *args, stdin=None):
        r = subprocess.run([FOCUS, *args], env=dict(self.env,
                                                    FOCUS_TODAY=today),
                           input=stdin, capture_output=True, text=True,
                           timeout=120, cwd=self.tmp)
        self.assertEqual(r.returncode, 0, "%s\n%s" % (" ".join(args),
                                                      r.stderr))
        return r.stdout

    def build_board(self):
        self.ok("2027-01-04", "init")
        self.ok("2027-01-04", "forum", "record", "2027-r1-east-surrey",
                "--service-users", "4", "--carers", "2")
        out = self.ok("2027-01-04", "board", "add", "--forum",
                      "2027-r1-east-surrey", "--area", "East Surrey",
                      "--theme", "communication", "--team",
                      "CMHRS East Surrey", "--title",
                      "Appointment letters arrive late")
        ticket = re.search(r"#(\d+)", out).group(1)
        self.ok("2027-01-05", "board", "move", ticket, "sent-to-trust")
        self.ok("2027-01-20", "board", "answer", ticket, "--by", PLANTED,
                "--text", "Letters now go out ten working days ahead.")
        path = os.path.join(self.tmp, "trello.json")
        with open(path, "w") as f:
            json.dump(trello_export(), f)
        self.ok("2027-01-21", "import", "trello", path, "--dry-run")
        imported = self.ok("2027-01-21", "import", "trello", path)
        self.assert_no_name("the import's summary", imported)
        self.ok("2027-01-21", "account", "add", "zquuxworth", "--role",
                "facilitator", stdin="a long enough password\n")
        return ticket

    def files_under(self, folder):
        for dirpath, _, names in os.walk(folder):
            for name in names:
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8") as f:
                    yield path, f.read()

    def assert_no_name(self, where, text):
        for part in (FIRST, LAST, "zquuxworth"):
            self.assertNotIn(part, text, "%s shows a person's name" % where)

    def start_server(self):
        self.errors = open(os.path.join(self.tmp, "serve.err"), "w+")
        self.server = subprocess.Popen(
            [FOCUS, "serve", "--port", "0"],
            env=dict(self.env, FOCUS_TODAY="2027-03-20"),
            stdout=subprocess.PIPE, stderr=self.errors, text=True)
        line = self.server.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        self.errors.seek(0)
        self.assertIsNotNone(match, line + self.errors.read())
        return "http://127.0.0.1:%s" % match.group(1)

    def test_no_public_output_names_a_person(self):
        ticket = self.build_board()
        out = os.path.join(self.tmp, "public")
        self.ok("2027-03-20", "newsletter", "2027-Q1", "--out",
                os.path.join(out, "newsletter"))
        self.ok("2027-03-20", "report", "monthly", "2027-01", "--out",
                os.path.join(out, "monthly"))
        self.ok("2027-03-20", "report", "development-group", "2027-Q1",
                "--out", os.path.join(out, "group"))
        self.ok("2027-03-20", "plan", "2027", "--out",
                os.path.join(out, "plan"))
        files = dict(self.files_under(out))
        self.assertGreaterEqual(len(files), 20)
        for path, text in files.items():
            self.assert_no_name(os.path.relpath(path, out), text)
        # The answers are there, with the team that gave them.
        news = files[os.path.join(out, "newsletter", "newsletter.md")]
        self.assertIn("ten working days ahead. (CMHRS East Surrey)", news)
        self.assertIn("Larger signs are up. (PALS)", news)

        base = self.start_server()
        for path in ("/", "/answers", "/calendar.ics",
                     "/calendar/east-surrey.ics", "/api/forums",
                     "/api/answers"):
            with urllib.request.urlopen(base + path, timeout=60) as res:
                self.assertEqual(res.status, 200, path)
                self.assert_no_name(path, res.read().decode())
        with urllib.request.urlopen(base + "/api/answers", timeout=60) as res:
            answers = json.loads(res.read())["answers"]
        self.assertEqual(sorted(a["answered_by"] for a in answers),
                         ["CMHRS East Surrey", "PALS"])

        # The private view keeps who gave the answer and who recorded it.
        shown = self.ok("2027-03-20", "board", "show", ticket)
        self.assertIn(PLANTED, shown)


if __name__ == "__main__":
    FOCUS = os.path.abspath(sys.argv.pop(1))
    unittest.main()
