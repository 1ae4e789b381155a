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
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "harness"))
import focus_harness  # noqa: E402
from focus_harness import (FocusTest, added_ticket,  # noqa: E402
                           board_in, files_under, read, scratch)

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


class PrivacyTest(FocusTest):

    def setUp(self):
        self.tmp = scratch(self, "privacy_e2e")
        self.runner = board_in(self.tmp, user=PLANTED)

    def build_board(self):
        self.ok("init", today="2027-01-04")
        self.ok("forum", "record", "2027-r1-east-surrey",
                "--service-users", "4", "--carers", "2", today="2027-01-04")
        ticket = str(added_ticket(self.ok(
            "board", "add", "--forum", "2027-r1-east-surrey", "--area",
            "East Surrey", "--theme", "communication", "--team",
            "CMHRS East Surrey", "--title", "Appointment letters arrive late",
            today="2027-01-04")))
        self.ok("board", "move", ticket, "sent-to-trust", today="2027-01-05")
        self.ok("board", "answer", ticket, "--by", PLANTED,
                "--text", "Letters now go out ten working days ahead.",
                today="2027-01-20")
        path = os.path.join(self.tmp, "trello.json")
        with open(path, "w") as f:
            json.dump(trello_export(), f)
        self.ok("import", "trello", path, "--dry-run", today="2027-01-21")
        imported = self.ok("import", "trello", path, today="2027-01-21")
        self.assert_no_name("the import's summary", imported)
        self.ok("account", "add", "zquuxworth", "--role", "facilitator",
                stdin="a long enough password\n", today="2027-01-21")
        return ticket

    def assert_no_name(self, where, text):
        for part in (FIRST, LAST, "zquuxworth"):
            self.assertNotIn(part, text, "%s shows a person's name" % where)

    def test_no_public_output_names_a_person(self):
        ticket = self.build_board()
        out = os.path.join(self.tmp, "public")
        self.ok("newsletter", "2027-Q1", "--out",
                os.path.join(out, "newsletter"), today="2027-03-20")
        self.ok("report", "monthly", "2027-01", "--out",
                os.path.join(out, "monthly"), today="2027-03-20")
        self.ok("report", "development-group", "2027-Q1",
                "--out", os.path.join(out, "group"), today="2027-03-20")
        self.ok("plan", "2027", "--out",
                os.path.join(out, "plan"), today="2027-03-20")
        files = {rel: read(os.path.join(out, rel)) for rel in files_under(out)}
        self.assertGreaterEqual(len(files), 20)
        for rel, text in files.items():
            self.assert_no_name(rel, text)
        # The answers are there, with the team that gave them.
        news = files[os.path.join("newsletter", "newsletter.md")]
        self.assertIn("ten working days ahead. (CMHRS East Surrey)", news)
        self.assertIn("Larger signs are up. (PALS)", news)

        server = self.runner.serve(today="2027-03-20")
        self.addCleanup(server.stop)
        client = server.client()
        for path in ("/", "/answers", "/calendar.ics",
                     "/calendar/east-surrey.ics", "/api/forums",
                     "/api/answers"):
            res = client.request("GET", path)
            self.assertEqual(res.status, 200, path)
            self.assert_no_name(path, res.body.decode())
        answers = client.request("GET", "/api/answers").json()["answers"]
        self.assertEqual(sorted(a["answered_by"] for a in answers),
                         ["CMHRS East Surrey", "PALS"])

        # The private view keeps who gave the answer and who recorded it.
        shown = self.ok("board", "show", ticket, today="2027-03-20")
        self.assertIn(PLANTED, shown)


if __name__ == "__main__":
    focus_harness.main()
