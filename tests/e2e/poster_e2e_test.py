#!/usr/bin/python3
"""End-to-end tests of `focus poster` through the built `focus` binary.

The PDFs are read back with pdftotext (poppler-utils, independent of cairo)
and every date, time, venue and joining link is checked against the plan
that `focus plan --json` gives; two runs must give byte-identical files.

Usage: poster_e2e_test.py PATH_TO_FOCUS [unittest options]
"""

import datetime
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "harness"))
import focus_harness  # noqa: E402
from focus_harness import CONFIG, Focus, FocusTest, scratch  # noqa: E402

SLUGS = ["east-surrey", "northwest-surrey", "surrey-downs",
         "guildford-waverley", "farnham-northeast-hants",
         "surrey-wide-evening"]


def long_date(d):
    return "%s %d %s %d" % (d.strftime("%A"), d.day, d.strftime("%B"), d.year)


def words(text):
    """Text with every run of blanks and line breaks as one space."""
    return re.sub(r"\s+", " ", text).strip()


class Poster(FocusTest):
    def setUp(self):
        self.tmp = scratch(self, "poster_e2e")
        self.runner = Focus(config=CONFIG)

    def posters(self, quarter, out):
        self.ok("poster", quarter, "--out", out)
        return sorted(os.listdir(out))

    def text(self, path):
        return words(subprocess.run(["pdftotext", path, "-"], check=True,
                                    capture_output=True, text=True,
                                    timeout=60).stdout)

    def forums(self, year, rounds):
        """The plan's forums of (plan year, round) pairs, by area slug."""
        plan = json.loads(self.ok("plan", str(year), "--json"))
        by_slug = {}
        for e in plan["events"] + plan["lookahead"]:
            if e["kind"] == "forum" and (e["year"], e["round"]) in rounds:
                by_slug.setdefault(e["area_slug"], []).append(e)
        return by_slug

    def check_against_plan(self, quarter, year, rounds):
        out = os.path.join(self.tmp, quarter)
        names = self.posters(quarter, out)
        self.assertEqual(names, sorted("poster-%s.pdf" % s for s in SLUGS))
        forums = self.forums(year, rounds)
        self.assertEqual(sorted(forums), sorted(SLUGS))
        for slug, events in forums.items():
            self.assertEqual(len(events), 2, slug)
            text = self.text(os.path.join(out, "poster-%s.pdf" % slug))
            self.assertIn(words(events[0]["area"]), text)
            self.assertIn("Ring the FoCUS coordinator on 01234 567890", text)
            for e in events:
                start = datetime.datetime.fromisoformat(e["start"])
                end = datetime.datetime.fromisoformat(e["end"])
                self.assertIn(long_date(start.date()), text, slug)
                self.assertIn("Time: %s to %s" % (start.strftime("%H:%M"),
                                                  end.strftime("%H:%M")),
                              text, slug)
                if e["format"] == "in-person":
                    venue = e["venue"]
                    self.assertIn(words("Where: %s, %s." % (
                        venue["name"], venue["address"])), text, slug)
                    # The same words as the calendar and the web pages.
                    self.assertIn("step-free access", text)
                    self.assertIn("hearing loop", text)
                else:
                    self.assertIn("Join by link: %s " % e["joining_link"],
                                  text)
                    self.assertIn("Or join by phone: ring 020 0000 0000", text)
            # Only the two rounds: no other date of this forum's year.
            dates = re.findall(r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
                               r"Saturday|Sunday) \d+ \w+ \d{4}", text)
            self.assertEqual(len(dates), 2, (slug, dates))
        return out

    def test_q2_shows_rounds_3_and_4(self):
        self.check_against_plan("2027-Q2", 2027, {(2027, 3), (2027, 4)})

    def test_q4_shows_next_years_first_two_rounds(self):
        self.check_against_plan("2027-Q4", 2027, {(2028, 1), (2028, 2)})

    def test_two_runs_give_byte_identical_pdfs(self):
        first = self.check_against_plan("2027-Q2", 2027,
                                        {(2027, 3), (2027, 4)})
        second = os.path.join(self.tmp, "again")
        self.posters("2027-Q2", second)
        for name in os.listdir(first):
            with open(os.path.join(first, name), "rb") as a, \
                    open(os.path.join(second, name), "rb") as b:
                self.assertEqual(a.read(), b.read(), name)
        info = subprocess.run(["pdfinfo", os.path.join(first, name)],
                              check=True, capture_output=True, text=True,
                              timeout=60).stdout
        self.assertRegex(info, r"Page size:\s+595.28 x 841.89 pts \(A4\)")
        self.assertRegex(info, r"CreationDate:\s+Sun Nov  1 00:00:00 2026 UTC")

    def test_a_moved_forum_shows_its_new_date(self):
        config_dir = os.path.join(self.tmp, "config")
        os.mkdir(config_dir)
        config = os.path.join(config_dir, "focus.yaml")
        shutil.copy(CONFIG, config)
        env = {"FOCUS_CONFIG": config}
        plan = json.loads(self.focus("plan", "2027", "--json",
                                     env=env).stdout)
        forum = next(e for e in plan["events"]
                     if e["id"] == "2027-r3-surrey-downs")
        day = datetime.date.fromisoformat(forum["start"][:10])
        new_day = day + datetime.timedelta(days=1)
        while new_day.weekday() >= 5:
            new_day += datetime.timedelta(days=1)
        moved = self.focus("change", "move", "2027-r3-surrey-downs",
                           "--date", new_day.isoformat(), "--reason",
                           "venue closed", "--force", env=env)
        self.assertEqual(moved.returncode, 0, moved.stderr)
        out = os.path.join(self.tmp, "moved")
        result = self.focus("poster", "2027-Q2", "--out", out, env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        text = self.text(os.path.join(out, "poster-surrey-downs.pdf"))
        self.assertIn(long_date(new_day), text)
        self.assertNotIn(long_date(day), text)

    def test_bad_quarter(self):
        result = self.focus("poster", "2027-Q5")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr,
                         "focus: error: quarter '2027-Q5' is not like 2027-Q2 "
                         "(plan year, Q, round 1 to 4)\n")

    def test_a_poster_must_say_whom_to_ring(self):
        config = os.path.join(self.tmp, "focus.yaml")
        with open(CONFIG) as f:
            text = f.read()
        with open(config, "w") as f:
            f.write(re.sub(r"\n  contact: [^\n]*", "", text))
        out = os.path.join(self.tmp, "none")
        result = self.focus("poster", "2027-Q2", "--out", out,
                            env={"FOCUS_CONFIG": config})
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr,
                         "focus: error: %s: organisation.contact is not set: "
                         "a poster must say whom to ring (see "
                         "docs/configuration.md#organisation)\n" % config)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    focus_harness.main()
