#!/usr/bin/python3
"""End-to-end tests of the feedback board through the built `focus` binary.

A forum, tickets, votes, a merge, an answer and the SLA report, as the
README's worked example; plus safeguarding refusals, bad input, two processes
writing at once, and a command killed halfway.

Usage: board_e2e_test.py PATH_TO_FOCUS [unittest options]
"""

import json
import os
import signal
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "harness"))
import focus_harness  # noqa: E402
from focus_harness import (Database, FocusTest, PgBackends,  # noqa: E402
                           added_ticket, board_in, changed, holds_write_lock,
                           new_board_database, postgres_variant, row_counts,
                           scratch)

TABLES = ("tickets", "history", "votes", "forums")


class Board(FocusTest):
    def setUp(self):
        self.tmp = scratch(self, "board_e2e")
        self.runner = board_in(self.tmp, today="2027-01-20", user="jo")
        self.assertEqual(self.focus("init").returncode, 0)

    def counts(self):
        return row_counts(self.runner.db, TABLES)

    def add(self, title, area="East Surrey", theme="communication",
            team="CMHRS East Surrey", *extra):
        out = self.ok("board", "add", "--title", title, "--area", area,
                      "--theme", theme, "--team", team, *extra)
        self.assertTrue(out.startswith("Added ticket #"), out)
        return added_ticket(out)

    def test_worked_example(self):
        # A forum that took place, linked to the plan.
        out = self.ok("forum", "record", "2027-r1-east-surrey",
                      "--service-users", "1", "--carers", "0", "--staff",
                      "3", "--apology", "CMHRS team manager")
        self.assertIn("Recorded forum #1", out)
        self.assertIn("FLAG: fewer than two service users or carers", out)
        forums = self.json("forum", "list")
        self.assertEqual(forums[0]["plan_id"], "2027-r1-east-surrey")
        self.assertEqual(forums[0]["held_on"], "2027-01-04")
        self.assertTrue(forums[0]["below_involvement_minimum"])
        self.assertEqual(forums[0]["apologies"], ["CMHRS team manager"])

        # Three tickets.
        letters = self.add("Appointment letters arrive late", "East Surrey",
                           "communication", "CMHRS East Surrey",
                           "--forum", "2027-r1-east-surrey", "--raised-by",
                           "3", "--details",
                           "Several people said letters came after the date.")
        parking = self.add("No accessible parking at the clinic",
                           "East Surrey", "access", "Estates and Facilities",
                           "--forum", "1")
        repeat = self.add("Letters come too late", "East Surrey",
                          "communication", "CMHRS East Surrey", "--forum",
                          "1")
        # A vote from a later forum, then a merge of the repeat.
        self.ok("board", "vote", str(letters), "--count", "2", "--note",
                "raised again at Surrey Downs")
        out = self.ok("board", "merge", str(repeat), "--into", str(letters))
        self.assertIn("now 6 votes", out)  # 3 raised + 2 + 1 from the repeat.

        # Send to the Trust and answer.
        self.ok("board", "move", str(letters), "sent-to-trust")
        self.ok("board", "answer", str(letters), "--text",
                "Letters now go out ten working days before appointments.",
                "--by", "Head of Community Services",
                env={"FOCUS_TODAY": "2027-02-01"})
        ticket = self.json("board", "show", str(letters),
                           env={"FOCUS_TODAY": "2027-02-01"})
        self.assertEqual(ticket["state"], "answered")
        self.assertEqual(ticket["votes"], 6)
        self.assertEqual(ticket["answered_on"], "2027-02-01")
        self.assertEqual(ticket["response_time"]["status"],
                         "answered-on-time")
        fields = [h["field"] for h in ticket["history"]]
        self.assertIn("votes", fields)
        self.assertIn("answer", fields)
        # The repeat's own history is carried over and it points here.
        self.assertTrue(any(h["ticket_id"] == repeat
                            for h in ticket["history"]))
        merged = self.json("board", "show", str(repeat))
        self.assertEqual(merged["state"], "merged")
        self.assertEqual(merged["merged_into"], letters)

        # Closing an unanswered ticket is refused, nothing changes.
        before = self.counts()
        result = self.focus("board", "move", str(parking), "closed")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr.count("\n"), 1)
        self.assertIn("cannot be closed", result.stderr)
        self.assertEqual(self.counts(), before)

        # Most-voted view hides the merged repeat.
        listed = self.json("board", "list", "--by-votes")
        self.assertEqual([t["id"] for t in listed], [letters, parking])

        # The SLA report: the answered one on time, parking overdue by May.
        report = self.json("sla", "--as-of", "2027-05-03")
        self.assertEqual(report["overall"]["answered_on_time"], 1)
        self.assertEqual([t["id"] for t in report["breached"]], [parking])
        text = self.ok("sla", "--as-of", "2027-05-03")
        self.assertIn("as of Mon 3 May 2027", text)

    def test_a_disputed_verdict_reopens_and_is_published(self):
        """The forum's verdict through the built binary: a disputed answer
        goes back to the Trust with a new clock, stays published beside the
        dispute, shows in sla, and the reports as of earlier dates do not
        change."""
        self.ok("forum", "record", "2027-r1-east-surrey", "--service-users",
                "4", "--carers", "2", env={"FOCUS_TODAY": "2027-01-04"})
        letters = self.add("Appointment letters arrive late", "East Surrey",
                           "communication", "CMHRS East Surrey", "--forum",
                           "1")
        parking = self.add("No accessible parking", "East Surrey", "access",
                           "Estates and Facilities", "--forum", "1")
        for ticket in (letters, parking):
            self.ok("board", "move", str(ticket), "sent-to-trust")
            self.ok("board", "answer", str(ticket), "--text",
                    "Done: see the notice board.", "--by", "Service lead")
        later = {"FOCUS_TODAY": "2027-04-06"}
        self.ok("forum", "record", "2027-r2-east-surrey", "--service-users",
                "5", "--carers", "1", "--date", "2027-04-01", env=later)
        before_verdict = self.ok("sla", "--as-of", "2027-04-05", env=later)

        # Refused: one line, exit 2, nothing written.
        before = self.counts()
        for args, message in [
                (["board", "verdict", str(letters), "--forum",
                  "2027-r1-east-surrey", "confirmed"],
                 "focus: error: forum #1 was held on 2027-01-04, not after "
                 "the answer to ticket #%d was published on 2027-01-20: a "
                 "verdict comes from a later forum\n" % letters),
                (["board", "verdict", str(letters), "--forum", "2",
                  "disputed"],
                 "focus: error: note: a disputed verdict needs a note saying "
                 "why: it is published beside the answer\n"),
                (["board", "verdict", str(letters), "--forum", "2",
                  "wrong"],
                 "focus: error: 'wrong' is not a verdict (confirmed, "
                 "not-yet, disputed)\n")]:
            result = self.focus(*args, env=later)
            self.assertEqual(result.returncode, 2, args)
            self.assertEqual(result.stderr, message)
            self.assertEqual(result.stdout, "")
        self.assertEqual(self.counts(), before)

        out = self.ok("board", "verdict", str(parking), "--forum",
                      "2027-r2-east-surrey", "confirmed", env=later)
        self.assertEqual(out, "Recorded the forum's verdict on ticket #%d: "
                              "confirmed\n" % parking)
        out = self.ok("board", "verdict", str(letters), "--forum", "2",
                      "disputed", "--note",
                      "Two people had letters after the date in March",
                      env=later)
        self.assertIn("is back with the Trust (sent-to-trust) with a new "
                      "clock", out)
        ticket = self.json("board", "show", str(letters), env=later)
        self.assertEqual(ticket["state"], "sent-to-trust")
        self.assertEqual(ticket["answer"], "Done: see the notice board.")
        self.assertEqual(ticket["reopened_on"], "2027-04-06")
        self.assertEqual(ticket["verdicts"][0]["verdict"], "disputed")
        # 20 working days from Tue 6 Apr 2027 (Early May bank holiday 3 May).
        self.assertEqual(ticket["response_time"]["answer_due"], "2027-05-05")
        self.assertTrue(ticket["response_time"]["disputed"])
        self.assertIn("verdict", [h["field"] for h in ticket["history"]])

        report = self.json("sla", env=later)
        team = {g["key"]: g for g in report["by_team"]}
        self.assertEqual(team["CMHRS East Surrey"]["disputed"], 1)
        self.assertEqual(team["Estates and Facilities"]["disputed"], 0)
        # Both were sent on 20 Jan, past the 5 working days from 4 Jan: both
        # counted, the open one (back with the Trust) listed.
        self.assertEqual(report["overall"]["missed_acknowledge"], 2)
        self.assertEqual([t["id"] for t in report["missed_acknowledge"]],
                         [letters])
        # The report as of a day before the verdict is as it was.
        self.assertEqual(self.ok("sla", "--as-of", "2027-04-05", env=later),
                         before_verdict)
        listed = self.json("board", "list", "--as-of", "2027-04-05",
                           env=later)
        self.assertEqual([t["verdicts"] for t in listed], [[], []])
        # board list --since: only what changed from that day on.
        changed = self.json("board", "list", "--since", "2027-04-06",
                            env=later)
        self.assertEqual([t["id"] for t in changed], [letters, parking])
        self.assertEqual(
            self.json("board", "list", "--since", "2027-04-07", env=later),
            [])

    def test_identifiers_are_refused_unless_overridden(self):
        before = self.counts()
        result = self.focus("board", "add", "--title", "Call back",
                            "--details", "Ring her on 07700 900123",
                            "--area", "East Surrey", "--theme", "access",
                            "--team", "PALS")
        self.assertEqual(result.returncode, 2)
        self.assertIn("details: line 1, column 13: looks like a phone number "
                      "(07700 900123)", result.stderr)
        self.assertEqual(self.counts(), before)
        out = self.ok("board", "add", "--title", "Call back", "--details",
                      "The clinic's number 01483 123456 is never answered",
                      "--area", "East Surrey", "--theme", "access", "--team",
                      "PALS", "--allow-identifiers")
        ticket_id = added_ticket(out)
        history = self.json("board", "show", str(ticket_id))["history"]
        self.assertIn("screening-override", [h["field"] for h in history])

    def test_bad_input_is_one_line_exit_2_and_changes_nothing(self):
        ticket = self.add("Waiting list information")
        before = self.counts()
        cases = [
            (["board", "show", "999"], "no ticket #999"),
            (["board", "add", "--title", "x", "--area", "Mole Valley",
              "--theme", "access", "--team", "PALS"], "Mole Valley"),
            (["board", "add", "--title", "x", "--area", "East Surrey",
              "--theme", "parking", "--team", "PALS"],
             "unknown theme 'parking'"),
            (["board", "vote", str(ticket), "--count", "-3"], "-3"),
            (["board", "move", str(ticket), "answered"],
             "cannot move from raised to answered"),
            (["board", "add", "--title", "x" * 500, "--area", "East Surrey",
              "--theme", "access", "--team", "PALS"], "over the limit"),
            (["board", "add", "--title", "caf\udcc3", "--area", "East Surrey",
              "--theme", "access", "--team", "PALS"], None),
            # Numbers past 64 bits, and CLI11's own complaints, are one line.
            (["board", "add", "--title", "x", "--area", "East Surrey",
              "--theme", "access", "--team", "PALS", "--forum",
              "99999999999999999999"],
             "--forum: '99999999999999999999' is not a whole number from 1 "
             "to 9223372036854775807"),
            (["board", "vote", str(ticket), "--count",
              "99999999999999999999"],
             "--count: '99999999999999999999' is not a whole number from 1 "
             "to 9999"),
            (["board", "list", "--colour"], "--colour"),
            (["board", "add", "--area", "East Surrey"], "is required"),
        ]
        for args, expected in cases:
            result = self.focus(*[a.encode("utf-8", "surrogateescape")
                                  for a in args], text=False)
            stderr = result.stderr.decode("utf-8", "replace")
            self.assertEqual(result.returncode, 2, (args, stderr))
            self.assertTrue(stderr.startswith("focus: error: "), stderr)
            self.assertEqual(stderr.count("\n"), 1, stderr)
            if expected:
                self.assertIn(expected, stderr)
        self.assertEqual(self.counts(), before)

    def test_names_match_in_any_case_and_are_stored_as_configured(self):
        ticket = self.add("Letters arrive late", "EAST surrey", "Access",
                          "pals")
        shown = self.json("board", "show", str(ticket))
        self.assertEqual((shown["area"], shown["themes"], shown["team"]),
                         ("East Surrey", ["access"], "PALS"))
        listed = self.json("board", "list", "--area", "east-SURREY",
                           "--theme", "ACCESS", "--team", "Pals")
        self.assertEqual([t["id"] for t in listed], [ticket])
        # A Trello export typed in other cases imports the same way.
        trello = json.loads(self.ok("export", "trello"))
        for label in trello["labels"]:
            label["name"] = label["name"].upper()
        path = os.path.join(self.tmp, "upper.json")
        with open(path, "w") as f:
            json.dump(trello, f)
        other = os.path.join(self.tmp, "other.db")
        self.ok("init", "--db", other)
        self.ok("import", "trello", path, "--db", other)
        back = self.json("board", "list", "--db", other)
        self.assertEqual((back[0]["area"], back[0]["themes"], back[0]["team"]),
                         ("East Surrey", ["access"], "PALS"))

    def test_history_records_who_without_user_settings(self):
        import pwd
        ticket = self.add("Lift out of order")
        result = self.focus("board", "vote", str(ticket),
                            env={"FOCUS_USER": None, "USER": None})
        self.assertEqual(result.returncode, 0, result.stderr)
        history = self.json("board", "show", str(ticket))["history"]
        self.assertEqual(history[0]["actor"], "jo")
        self.assertEqual(history[-1]["actor"],
                         pwd.getpwuid(os.getuid()).pw_name)

    def test_missing_database_says_to_run_init(self):
        result = self.focus("board", "list", "--db",
                            os.path.join(self.tmp, "none.db"))
        self.assertEqual(result.returncode, 2)
        self.assertIn("focus init", result.stderr)

    def test_two_processes_writing_at_once_both_succeed(self):
        script = ("for i in $(seq 1 15); do %s board add --title \"t$i\" "
                  "--area 'East Surrey' --theme access --team PALS "
                  ">/dev/null || exit 1; done" % focus_harness.FOCUS)
        procs = [subprocess.Popen(["bash", "-c", script], env=self.runner.env,
                                  stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        for p in procs:
            _, err = p.communicate(timeout=120)
            self.assertEqual(p.returncode, 0, err)
            self.assertNotIn("locked", err)
        self.assertEqual(len(self.json("board", "list")), 30)

    def test_command_killed_halfway_leaves_a_consistent_database(self):
        # A big Trello import is one transaction: kill it while it runs.
        cards, lists = [], [{"id": "l1", "name": "Raised at forums",
                             "closed": False}]
        for i in range(20000):
            cards.append({"id": "%08x%016x" % (1800000000, i),
                          "name": "Card %d" % i, "desc": "About a service",
                          "idList": "l1", "labels": [
                              {"id": "a", "name": "East Surrey"},
                              {"id": "b", "name": "access"}],
                          "idLabels": ["a", "b"], "idMembersVoted": [],
                          "closed": False, "due": None,
                          "dateLastActivity": "2027-01-05T10:00:00.000Z"})
        board = {"id": "b1", "name": "FoCUS", "lists": lists,
                 "cards": cards, "labels": [], "actions": []}
        path = os.path.join(self.tmp, "big.json")
        with open(path, "w") as f:
            json.dump(board, f)
        # While it writes: on SQLite it holds the write lock; on PostgreSQL
        # its server process is in a transaction that has written.
        if postgres_variant():
            application = "focus-e2e-kill-%d" % os.getpid()
            backends = PgBackends(os.environ["FOCUS_TEST_PG_URL"],
                                  application)
            self.addCleanup(backends.close)
            env = {"PGAPPNAME": application}
            writing = lambda p: backends.writing()  # noqa: E731
        else:
            env = {}
            writing = lambda p: holds_write_lock(p.pid)  # noqa: E731
        # Killed while it writes: at once, and after 10 and 100 polls that
        # found it writing (a signal from the process, not a timer, so the
        # kill lands inside the transaction on any machine).
        for attempt, polls in enumerate((1, 10, 100)):
            db = new_board_database(scratch(self, "kill%d" % attempt))
            self.ok("init", "--db", db)
            p = subprocess.Popen(
                [focus_harness.FOCUS, "import", "trello", path, "--db", db],
                cwd=self.tmp, env=changed(self.runner.env, env),
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            held = 0
            while held < polls and p.poll() is None:
                held += writing(p)
                os.sched_yield()  # On one core, let the import go on.
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
            self.assertEqual(p.wait(), -signal.SIGKILL,
                             "the import ended before %d polls" % polls)
            if postgres_variant():
                # Its server process rolls back once it finds it gone.
                while backends.connected():
                    os.sched_yield()
            with Database(db) as conn:
                if not postgres_variant():
                    self.assertEqual(conn.value("PRAGMA integrity_check"),
                                     "ok")
                n = int(conn.value("SELECT COUNT(*) FROM tickets"))
            # All or nothing: never half an import.
            self.assertIn(n, (0, 20000), "killed after %d polls" % polls)
            # The next command works on the same database.
            self.ok("board", "list", "--db", db)

    def test_db_copy_round_trips_byte_for_byte(self):
        # A board with a forum, votes, a merge into a later ticket, an
        # answer and an account, copied away and back: SQLite to
        # PostgreSQL and back when a cluster is there, else file to file.
        self.ok("forum", "record", "2027-r1-east-surrey",
                "--service-users", "4", "--staff", "2")
        later = self.add("Letters come too late", "East Surrey",
                         "communication", "CMHRS East Surrey", "--forum", "1")
        first = self.add("Appointment letters arrive late")
        self.ok("board", "vote", str(first), "--count", "2")
        self.ok("board", "merge", str(later), "--into", str(first))
        self.ok("board", "move", str(first), "sent-to-trust")
        self.ok("board", "answer", str(first), "--text",
                "Letters now go out two weeks ahead.", "--by",
                "Head of Community Services")
        self.ok("account", "add", "sam", "--role", "coordinator",
                stdin="a long enough password\n")

        def outputs(db):
            return [self.ok(*args, "--db", db) for args in (
                ("export", "trello"), ("board", "list", "--all", "--json"),
                ("sla", "--json"))]

        before = outputs(self.runner.db)
        middle = (new_board_database(scratch(self, "copy"))
                  if os.environ.get("FOCUS_TEST_PG_URL")
                  else os.path.join(self.tmp, "middle.db"))
        back = os.path.join(self.tmp, "back.db")
        out = self.ok("db", "copy", "--from", self.runner.db, "--to", middle)
        self.assertIn("2 tickets", out)
        self.assertEqual(outputs(middle), before)
        self.ok("db", "copy", "--from", middle, "--to", back)
        self.assertEqual(outputs(back), before)
        # New rows continue the numbering after the copied ones.
        self.assertIn("Added ticket #3:", self.ok(
            "board", "add", "--title", "Parking", "--area", "East Surrey",
            "--theme", "access", "--team", "Estates and Facilities",
            "--db", middle))
        # A database that holds a board is never copied into.
        result = self.focus("db", "copy", "--from", self.runner.db, "--to",
                            middle)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("already holds a board", result.stderr)
        self.assertEqual(result.stderr.count("\n"), 1, result.stderr)

    def test_exports(self):
        self.add("Café closes early", "Guildford & Waverley", "environment",
                 "Estates and Facilities")
        csv_path = os.path.join(self.tmp, "board.csv")
        self.ok("export", "csv", "--out", csv_path)
        with open(csv_path, "rb") as f:
            data = f.read()
        self.assertTrue(data.startswith(b"\xef\xbb\xbfid,title,"))
        self.assertIn("Café closes early".encode("utf-8"), data)
        self.assertIn(b"\r\n", data)
        trello = json.loads(self.ok("export", "trello"))
        self.assertEqual(len(trello["cards"]), 1)
        # Round trip into a fresh database.
        other = os.path.join(self.tmp, "other.db")
        self.ok("init", "--db", other)
        path = os.path.join(self.tmp, "export.json")
        with open(path, "w") as f:
            json.dump(trello, f)
        self.ok("import", "trello", path, "--db", other)
        back = self.json("board", "list", "--db", other)
        self.assertEqual(back[0]["title"], "Café closes early")
        self.assertEqual(back[0]["area"], "Guildford & Waverley")

    def test_trello_round_trip_is_byte_identical(self):
        # A board made in focus: forums, votes at several forums, a merge,
        # an answer, a pause.
        self.ok("forum", "record", "2027-r1-east-surrey",
                "--service-users", "3")
        self.ok("forum", "record", "2027-r1-surrey-downs",
                "--service-users", "2")
        letters = self.add("Letters arrive late", "East Surrey",
                           "communication", "CMHRS East Surrey", "--forum",
                           "1", "--raised-by", "2")
        repeat = self.add("Letters too late", "East Surrey", "communication",
                          "CMHRS East Surrey", "--forum", "2")
        parking = self.add("No parking", "East Surrey", "access",
                           "Estates and Facilities")
        for forum, count in (("1", "2"), ("2", "3"), ("1", "1")):
            self.ok("board", "vote", str(letters), "--count", count,
                    "--forum", forum)
        self.ok("board", "merge", str(repeat), "--into", str(letters))
        self.ok("board", "move", str(letters), "sent-to-trust")
        self.ok("board", "answer", str(letters), "--text",
                "Letters now go out earlier.", "--by", "Head of Service",
                today="2027-02-01")
        self.ok("board", "move", str(parking), "sent-to-trust")
        self.ok("board", "move", str(parking), "waiting-for-forum")
        path = os.path.join(self.tmp, "export.json")
        self.ok("export", "trello", "--out", path, today="2027-02-01")
        other = os.path.join(self.tmp, "other.db")
        self.ok("init", "--db", other)
        self.ok("import", "trello", path, "--db", other, today="2027-03-01")

        def views(*db):
            shown = [self.ok("board", "show", str(t), "--json", *db,
                             today="2027-03-01")
                     for t in (letters, repeat, parking)]
            return [self.ok("board", "list", "--all", "--json", *db,
                            today="2027-03-01"),
                    self.ok("forum", "list", "--json", *db,
                            today="2027-03-01")] + shown
        self.assertEqual(views(), views("--db", other))
        # And so is the board exported again.
        again = os.path.join(self.tmp, "again.json")
        self.ok("export", "trello", "--out", again, "--db", other,
                today="2027-02-01")
        with open(path, "rb") as a, open(again, "rb") as b:
            self.assertEqual(a.read(), b.read())
        # Into the board it came from it is refused: nothing written.
        before = self.counts()
        result = self.focus("import", "trello", path, today="2027-03-01")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr.count("\n"), 1, result.stderr)
        self.assertIn("forum 2027-r1-east-surrey is already recorded",
                      result.stderr)
        self.assertEqual(self.counts(), before)


if __name__ == "__main__":
    focus_harness.main()
