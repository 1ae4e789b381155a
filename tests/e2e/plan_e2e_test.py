#!/usr/bin/python3
"""End-to-end tests of `focus plan`, `focus check-config` and `focus change`.

They run the built binary the way a coordinator would and check the files it
writes, including with an iCalendar parser independent of libical
(check_ics.py, Debian's python3-icalendar).

Usage: plan_e2e_test.py PATH_TO_FOCUS [unittest options]
Set FOCUS_UPDATE_GOLDEN=1 to rewrite the golden files after checking a change
by hand.
"""

import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "harness"))
import focus_harness  # noqa: E402
from focus_harness import (CONFIG, Focus, check_golden,  # noqa: E402
                           files_under, scratch)

TODAY = "2026-11-22"
run = Focus(today=TODAY).run


class Workspace(unittest.TestCase):
    def setUp(self):
        self.tmp = scratch(self, "e2e")
        self.config_dir = os.path.join(self.tmp, "config")
        os.makedirs(self.config_dir)
        self.config = os.path.join(self.config_dir, "focus.yaml")
        shutil.copy(CONFIG, self.config)

    def plan(self, year="2027", *extra, out="out"):
        out_dir = os.path.join(self.tmp, out)
        result = run("plan", year, "--config", self.config, "--out", out_dir,
                     *extra)
        return result, out_dir

    def write_config(self, text):
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(text)


class PlanFilesTest(Workspace):
    def test_writes_every_file(self):
        result, out = self.plan()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(files_under(out), [
            "areas/east-surrey.ics",
            "areas/farnham-northeast-hants.ics",
            "areas/guildford-waverley.ics",
            "areas/northwest-surrey.ics",
            "areas/surrey-downs.ics",
            "calendar.ics",
            "internal.ics",
            "plan.json",
        ])
        self.assertIn("Files written to " + out, result.stdout)

    def test_every_calendar_passes_an_independent_parser(self):
        result, out = self.plan()
        self.assertEqual(result.returncode, 0, result.stderr)
        ics = [os.path.join(out, f) for f in files_under(out)
               if f.endswith(".ics")]
        check = subprocess.run(
            ["/usr/bin/python3", os.path.join(HERE, "check_ics.py"), *ics],
            capture_output=True, text=True)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        self.assertEqual(check.stdout.count("ok "), len(ics))

    def test_calendars_hold_the_right_events(self):
        import icalendar  # Debian's python3-icalendar.
        _, out = self.plan()

        def events(name):
            with open(os.path.join(out, name), "rb") as f:
                cal = icalendar.Calendar.from_ical(f.read())
            return [c for c in cal.walk("VEVENT")]

        public = events("calendar.ics")
        self.assertEqual(len(public), 24)
        self.assertEqual(len({str(e["UID"]) for e in public}), 24)
        internal = events("internal.ics")
        # 24 forums, 4 Development Group meetings, 12 board reports,
        # 4 newsletter deadlines and 4 publications.
        self.assertEqual(len(internal), 48)
        east = events("areas/east-surrey.ics")
        self.assertEqual(len(east), 8)  # 4 area forums + 4 evening forums.
        for e in east:
            self.assertRegex(
                str(e["UID"]),
                r"^2027-r[1-4]-(east-surrey|surrey-wide-evening)@")
        for e in public:
            start = e["DTSTART"].dt
            self.assertEqual(str(start.tzinfo), "Europe/London")
            if "(online)" in str(e["SUMMARY"]):
                self.assertTrue(str(e["LOCATION"]).startswith("https://"))
                self.assertEqual(str(e["URL"]), str(e["LOCATION"]))
                self.assertIn(str(e["URL"]), str(e["DESCRIPTION"]))
            else:
                self.assertRegex(str(e["LOCATION"]), r", .*[A-Z]{1,2}\d")

    def test_plan_json_has_the_documented_fields(self):
        _, out = self.plan()
        with open(os.path.join(out, "plan.json"), encoding="utf-8") as f:
            plan = json.load(f)
        forums = [e for e in plan["events"] if e["kind"] == "forum"]
        self.assertEqual(len(forums), 24)
        kinds = {e["kind"] for e in plan["events"]}
        self.assertEqual(kinds, {"forum", "development-group", "board-report",
                                 "newsletter-deadline", "newsletter"})
        iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:00[+-]\d\d:\d\d$")
        for e in forums:
            for key in ("uid", "kind", "round", "area", "format", "start",
                        "end"):
                self.assertIn(key, e)
            self.assertRegex(e["start"], iso)
            self.assertRegex(e["end"], iso)
            self.assertIn(e["format"], ("virtual", "in-person"))
            if e["format"] == "in-person":
                self.assertTrue(e["venue"]["address"])
                self.assertIn("hearing-loop", e["venue"]["features"])
            else:
                self.assertTrue(e["joining_link"].startswith("https://"))
            # January forums are in GMT; April, July and early October in
            # BST (the clocks go back on the last Sunday of October).
            month = int(e["start"][5:7])
            offset = e["start"][-6:]
            self.assertEqual(offset, "+00:00" if month == 1 else "+01:00",
                             e["id"])
        self.assertEqual(len(plan["lookahead"]), 12)
        self.assertTrue(all(e["lookahead"] and e["year"] == 2028
                            for e in plan["lookahead"]))

    def test_same_inputs_give_byte_identical_files(self):
        _, first = self.plan(out="one")
        _, second = self.plan(out="two")
        for name in files_under(first):
            self.assertTrue(filecmp.cmp(os.path.join(first, name),
                                        os.path.join(second, name),
                                        shallow=False), name)

    def test_rerun_rewrites_only_files_that_changed(self):
        """Unchanged outputs keep their file (and modification time), so
        calendar clients and sync tools see no change; a file edited since
        is put right."""
        _, out = self.plan()
        inodes = {n: os.stat(os.path.join(out, n)).st_ino
                  for n in files_under(out)}
        calendar = os.path.join(out, "calendar.ics")
        with open(calendar, "rb") as f:
            good = f.read()
        with open(calendar, "wb") as f:
            f.write(good.replace(b"SUMMARY:", b"SUMMARY:x", 1))
        edited = os.stat(calendar).st_ino
        result, _ = self.plan()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(files_under(out), sorted(inodes))  # No temporaries.
        for name, inode in inodes.items():
            if name != "calendar.ics":
                self.assertEqual(os.stat(os.path.join(out, name)).st_ino,
                                 inode, name)
        self.assertNotEqual(os.stat(calendar).st_ino, edited)
        with open(calendar, "rb") as f:
            self.assertEqual(f.read(), good)

    def test_source_date_epoch_sets_dtstamp(self):
        out = os.path.join(self.tmp, "epoch")
        result = run("plan", "2027", "--config", self.config, "--out", out,
                     env={"SOURCE_DATE_EPOCH": "1800000000"})
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(out, "calendar.ics"), "rb") as f:
            text = f.read().decode("utf-8")
        self.assertIn("DTSTAMP:20270115T080000Z\r\n", text)

    def test_golden_files(self):
        """The 2027 plan of the default configuration, checked by hand once.

        plan_test.cc checks every rule on the same plan; this catches any
        unreviewed change to the published bytes.
        """
        _, out = self.plan()
        check_golden(self, out, "plan-2027", [
            "plan.json", "calendar.ics", "internal.ics",
            "areas/east-surrey.ics"])


class TableTest(Workspace):
    def test_table_is_grouped_by_round_with_lookahead(self):
        result, _ = self.plan()
        self.assertEqual(result.returncode, 0, result.stderr)
        text = result.stdout
        for heading in ("Round 1 of 2027: January 2027 to March 2027",
                        "Round 2 of 2027: April 2027 to June 2027",
                        "Round 3 of 2027: July 2027 to September 2027",
                        "Round 4 of 2027: October 2027 to December 2027",
                        "Look-ahead: the first two rounds of 2028"):
            self.assertIn(heading, text)
        self.assertLess(text.index("Round 1 of"), text.index("Round 2 of"))
        self.assertEqual(text.count("community forum (") +
                         text.count("Surrey-wide evening forum ("), 36)
        self.assertIn("Trust Communities Development Group", text)

    def test_json_flag_prints_plan_json(self):
        result, out = self.plan("2027", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(out, "plan.json"), encoding="utf-8") as f:
            self.assertEqual(result.stdout, f.read())

    def test_2028_avoids_easter_and_new_year(self):
        result, out = self.plan("2028")
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(out, "plan.json"), encoding="utf-8") as f:
            plan = json.load(f)
        days = {e["start"][:10] for e in plan["events"]
                if e["kind"] == "forum"}
        for holiday in ("2028-01-03", "2028-04-14", "2028-04-17"):
            self.assertNotIn(holiday, days)

    def test_built_in_configuration_when_no_file(self):
        empty = os.path.join(self.tmp, "empty")
        os.makedirs(empty)
        result = Focus(cwd=empty, today=TODAY).run("plan", "2027",
                                                   "--dry-run")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Configuration: <built-in default configuration>",
                      result.stdout)
        self.assertEqual(os.listdir(empty), [])

    def test_help_has_examples_and_version(self):
        result = run("--help")
        self.assertEqual(result.returncode, 0)
        self.assertIn("focus plan 2027", result.stdout)
        result = run("change", "move", "--help")
        self.assertIn("Example:", result.stdout)
        result = run("--version")
        self.assertRegex(result.stdout, r"^focus \d+\.\d+\.\d+")


class BadInputTest(Workspace):
    def test_bad_config_names_file_line_and_key_and_writes_nothing(self):
        with open(self.config, encoding="utf-8") as f:
            text = f.read()
        self.assertIn('"18:30"', text)
        self.write_config(text.replace('"18:30"', '"25:00"', 1))
        line = text[:text.index('"18:30"')].count("\n") + 1
        result = run("check-config", "--config", self.config)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(
            result.stderr,
            "focus: error: %s:%d: times.evening_start: '25:00' is not a time "
            "of day (expected HH:MM, 00:00-23:59)\n" % (self.config, line))
        result, out = self.plan()
        self.assertEqual(result.returncode, 2)
        self.assertFalse(os.path.exists(out))

    def test_unknown_key(self):
        with open(self.config, encoding="utf-8") as f:
            text = f.read()
        self.write_config(text + "\ncolour: blue\n")
        result = run("check-config", "--config", self.config)
        self.assertEqual(result.returncode, 2)
        self.assertRegex(result.stderr,
                         r"^focus: error: .*focus\.yaml:\d+: colour: unknown "
                         r"key \(valid keys: ")

    def test_unsatisfiable_rules_exit_3_and_keep_old_files(self):
        result, out = self.plan()
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(out, "calendar.ics"), "rb") as f:
            before = f.read()
        with open(self.config, encoding="utf-8") as f:
            text = f.read()
        self.write_config(re.sub(r"window_days: \d+", "window_days: 4", text))
        result, out = self.plan()
        self.assertEqual(result.returncode, 3, result.stdout)
        self.assertRegex(result.stderr,
                         r"^focus: error: cannot plan round \d of 2027 .*"
                         r"\(rule: at most 1 forum per day")
        with open(os.path.join(out, "calendar.ics"), "rb") as f:
            self.assertEqual(f.read(), before)
        self.assertFalse([n for n in files_under(out) if ".tmp." in n])

    def test_missing_config_file(self):
        result = run("check-config", "--config",
                     os.path.join(self.tmp, "nope.yaml"))
        self.assertEqual(result.returncode, 4)
        self.assertIn("cannot read", result.stderr)

    def test_bad_arguments_exit_2(self):
        self.assertEqual(run("plan").returncode, 2)
        self.assertEqual(run("plan", "twenty").returncode, 2)
        self.assertEqual(run("frobnicate").returncode, 2)

    def test_check_config_ok(self):
        result = run("check-config", "--config", self.config)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(": ok (5 areas and the evening forum", result.stdout)


class ChangeTest(Workspace):
    def changes_file(self):
        return os.path.join(self.config_dir, "focus.changes.yaml")

    def forum(self, plan_dir, forum_id):
        with open(os.path.join(plan_dir, "plan.json"), encoding="utf-8") as f:
            plan = json.load(f)
        return next(e for e in plan["events"] if e["id"] == forum_id)

    def vevent(self, plan_dir, uid):
        with open(os.path.join(plan_dir, "calendar.ics"), "rb") as f:
            text = f.read().decode("utf-8").replace("\r\n ", "")
        for block in text.split("BEGIN:VEVENT")[1:]:
            if "UID:" + uid + "\r\n" in block:
                return block
        self.fail("no VEVENT with UID " + uid)

    def test_move_onto_a_bank_holiday_needs_force(self):
        result = run("change", "move", "2027-r1-east-surrey", "--date",
                     "2027-01-01", "--reason", "Room clash",
                     "--config", self.config)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(
            result.stderr,
            "focus: error: 2027-r1-east-surrey: the change "
            "breaks a hard rule: Fri 1 Jan 2027 is a bank holiday (New "
            "Year's Day) (record it with --force to keep it anyway)\n")
        self.assertFalse(os.path.exists(self.changes_file()))

        result = run("change", "move", "2027-r1-east-surrey", "--date",
                     "2027-01-01", "--reason", "Room clash", "--force",
                     "--config", self.config)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("WARNING (forced)", result.stdout)
        result, out = self.plan()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("WARNING (forced): Fri 1 Jan 2027 is a bank holiday",
                      result.stdout)

    def test_moved_forum_keeps_uid_with_higher_sequence(self):
        _, before_dir = self.plan(out="before")
        before = self.forum(before_dir, "2027-r1-surrey-downs")
        result = run("change", "move", "2027-r1-surrey-downs", "--date",
                     "2027-01-13", "--time", "13:30", "--reason",
                     "Venue closed for repairs", "--config", self.config)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(self.changes_file(), encoding="utf-8") as f:
            recorded = f.read()
        self.assertIn("forum: 2027-r1-surrey-downs", recorded)
        self.assertIn("recorded: 2026-11-22", recorded)

        _, after_dir = self.plan(out="after")
        after = self.forum(after_dir, "2027-r1-surrey-downs")
        self.assertEqual(after["uid"], before["uid"])
        self.assertEqual(after["start"], "2027-01-13T13:30:00+00:00")
        self.assertEqual(after["sequence"], 1)
        block = self.vevent(after_dir, after["uid"])
        self.assertIn("SEQUENCE:1\r\n", block)
        self.assertIn("DTSTART;TZID=Europe/London:20270113T133000\r\n", block)
        self.assertIn("Venue closed for repairs", block)
        # Every other forum is exactly where it was.
        with open(os.path.join(before_dir, "plan.json")) as f:
            old = {e["id"]: e["start"] for e in json.load(f)["events"]}
        with open(os.path.join(after_dir, "plan.json")) as f:
            new = {e["id"]: e["start"] for e in json.load(f)["events"]}
        del old["2027-r1-surrey-downs"], new["2027-r1-surrey-downs"]
        self.assertEqual(old, new)

    def test_move_outside_the_round_window_or_into_the_past_needs_force(self):
        cases = [
            ("2026-11-22", "2026-12-14",
             "Mon 14 Dec 2026 is outside the round window of round 1 of "
             "2027, Fri 1 Jan 2027 to Fri 15 Jan 2027 (year.window_days: "
             "15)"),
            ("2027-01-20", "2027-01-14",
             "Thu 14 Jan 2027 is already past (today is Wed 20 Jan 2027)"),
        ]
        for today, date, rule in cases:
            result = run("change", "move", "2027-r1-surrey-downs", "--date",
                         date, "--reason", "Room clash", "--config",
                         self.config, env={"FOCUS_TODAY": today})
            self.assertEqual(result.returncode, 2)
            self.assertEqual(
                result.stderr,
                "focus: error: 2027-r1-surrey-downs: the change breaks a "
                "rule: %s (record it with --force to keep it anyway)\n" % rule)
            self.assertEqual(result.stdout, "")
            self.assertFalse(os.path.exists(self.changes_file()))
        today, date, rule = cases[0]
        result = run("change", "move", "2027-r1-surrey-downs", "--date", date,
                     "--reason", "Room clash", "--force", "--config",
                     self.config, env={"FOCUS_TODAY": today})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            result.stderr,
            "focus: warning: 2027-r1-surrey-downs: %s (kept: the change is "
            "forced)\n" % rule)
        with open(self.changes_file(), encoding="utf-8") as f:
            self.assertIn("forced: true", f.read())

    def test_moves_that_may_keep_people_away_warn(self):
        cases = [
            (["2027-r1-surrey-wide-evening", "--time", "13:30"],
             "2027-r1-surrey-wide-evening: the evening forum moves to 13:30, "
             "in the daytime (times.evening_start: 18:30): people who work "
             "in the day may not be able to come"),
            (["2027-r1-surrey-downs", "--venue", "The Guildford Institute"],
             "2027-r1-surrey-downs: The Guildford Institute is a venue of "
             "Guildford & Waverley, not of Surrey Downs"),
        ]
        for args, warning in cases:
            result = run("change", "move", *args, "--reason", "Hall closed",
                         "--config", self.config)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(result.stderr,
                             "focus: warning: %s\n" % warning)
        listing = run("change", "list", "--json", "--config", self.config)
        self.assertEqual(len(json.loads(listing.stdout)), 2)

    def test_venue_in_any_case_is_recorded_as_configured(self):
        result = run("change", "move", "2027-r1-surrey-downs", "--venue",
                     "dorking HALLS", "--reason", "Hall closed", "--config",
                     self.config)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        listing = run("change", "list", "--json", "--config", self.config)
        self.assertEqual(json.loads(listing.stdout)[0]["venue"],
                         "Dorking Halls")

    def test_cancelled_forum_stays_in_calendar_as_cancelled(self):
        result = run("change", "cancel", "2027-r3-east-surrey", "--reason",
                     "Facilitator unwell", "--config", self.config)
        self.assertEqual(result.returncode, 0, result.stderr)
        result, out = self.plan()
        self.assertIn("CANCELLED: ", result.stdout)
        forum = self.forum(out, "2027-r3-east-surrey")
        self.assertEqual(forum["status"], "cancelled")
        block = self.vevent(out, forum["uid"])
        self.assertIn("STATUS:CANCELLED\r\n", block)
        self.assertIn("SEQUENCE:1\r\n", block)
        self.assertIn("Facilitator unwell", block)
        listing = run("change", "list", "--json", "--config", self.config)
        self.assertEqual(json.loads(listing.stdout)[0]["action"], "cancel")

    def test_cancel_needs_a_reason_and_a_real_forum(self):
        result = run("change", "cancel", "2027-r3-east-surrey",
                     "--config", self.config)
        self.assertEqual(result.returncode, 2)
        self.assertIn("--reason is required", result.stderr)
        result = run("change", "cancel", "2027-r3-east-surey", "--reason",
                     "x", "--config", self.config)
        self.assertEqual(result.returncode, 2)
        self.assertIn("forum '2027-r3-east-surey' is not in the plan",
                      result.stderr)
        self.assertFalse(os.path.exists(self.changes_file()))


if __name__ == "__main__":
    focus_harness.main()
