#!/usr/bin/python3
"""The README's short tour, run as written through the built `focus`.

Every command in the ```sh blocks of the "A short tour" section runs in a
fresh folder holding a copy of config/ (as a newcomer in a clone would), with
today fixed, so the README cannot drift from what `focus` does. `focus serve`
is left out (it runs until stopped; server_e2e covers it).

Usage: readme_e2e_test.py PATH_TO_FOCUS [unittest options]
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest

FOCUS = None
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
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
    """The tour's commands, one per line, continuation lines joined."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    tour = text[text.index("## A short tour"):text.index("## Configuration")]
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", tour, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split("  #")[0].strip()
            if line:
                commands.append(line)
    return commands


class Tour(unittest.TestCase):
    def test_every_command_runs_as_written(self):
        commands = tour_commands()
        self.assertGreater(len(commands), 15, "the tour was not found")
        with tempfile.TemporaryDirectory() as work:
            shutil.copytree(os.path.join(ROOT, "config"),
                            os.path.join(work, "config"))
            env = dict(os.environ, FOCUS_TODAY=TODAY,
                       FOCUS_TEST_MIN_PASSWORD_COST="1", FOCUS_USER="tour")
            env.pop("FOCUS_DB", None)
            env.pop("FOCUS_CONFIG", None)
            ran = 0
            for command in commands:
                argv = shlex.split(command)
                self.assertEqual(argv[0], "focus", command)
                if argv[1] == "serve":
                    continue
                run = subprocess.run(
                    [FOCUS] + argv[1:], cwd=work, env=env, text=True,
                    capture_output=True,
                    input=PASSWORD * 2 if argv[1] == "account" else None)
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
    FOCUS = os.path.abspath(sys.argv.pop(1))
    unittest.main()
