#!/usr/bin/python3
"""The README's short tour, run as written through the built `focus`.

Every command in the ```sh blocks of the "A short tour" section runs in a
fresh folder holding a copy of config/ (as a newcomer in a clone would), with
today fixed, so the README cannot drift from what `focus` does. `focus serve`
is left out (it runs until stopped; server_e2e covers it).

Usage: readme_e2e_test.py PATH_TO_FOCUS [unittest options]
"""

import os
import shutil
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "harness"))
import focus_harness  # noqa: E402
from focus_harness import (ROOT, Focus, markdown_commands,  # noqa: E402
                           scratch)

TODAY = "2026-12-06"
PASSWORD = "correct horse battery staple\n"

# What a step of the tour needs that the default configuration lacks, with
# the one line it must then give: the README says so beside the command.
NEEDS_SETTINGS = {
    "notify": "focus: error: config/focus.yaml: board.reminders_from is not "
              "set: reminders need a From: address (see "
              "docs/configuration.md#board)\n",
}


def tour_commands():
    """The tour's commands, continuation lines joined."""
    return [argv for _, argv in markdown_commands(
        os.path.join(ROOT, "README.md"), section="## A short tour")]


class Tour(unittest.TestCase):
    def test_every_command_runs_as_written(self):
        commands = tour_commands()
        self.assertGreater(len(commands), 15, "the tour was not found")
        work = scratch(self, "readme_e2e")
        shutil.copytree(os.path.join(ROOT, "config"),
                        os.path.join(work, "config"))
        focus = Focus(cwd=work, today=TODAY, user="tour")
        ran = 0
        for argv in commands:
            command = " ".join(argv)
            self.assertEqual(argv[0], "focus", command)
            if argv[1] == "serve":
                continue
            run = focus.run(
                *argv[1:],
                stdin=PASSWORD * 2 if argv[1] == "account" else None)
            if argv[1] in NEEDS_SETTINGS:
                self.assertEqual((run.returncode, run.stderr),
                                 (2, NEEDS_SETTINGS[argv[1]]), command)
            else:
                self.assertEqual(run.returncode, 0,
                                 command + "\n" + run.stderr)
                self.assertNotEqual(run.stdout, "", command)
            ran += 1
        self.assertGreater(ran, 15)
        # What the tour promised is there.
        for path in ["out/2027/plan.json", "focus.db",
                     "config/focus.changes.yaml",
                     "out/newsletter-2026-Q4/newsletter.md",
                     "out/poster-2027-Q1/poster-east-surrey.pdf"]:
            self.assertTrue(os.path.exists(os.path.join(work, path)),
                            path)


if __name__ == "__main__":
    focus_harness.main()
