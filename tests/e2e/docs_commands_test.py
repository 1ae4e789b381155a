#!/usr/bin/python3
"""Every `focus` command the README and docs/ show is one `focus` accepts.

readme_e2e runs the README's tour for real; most other commands in the
documents cannot run here (a mail server, systemd, a live site), so each is
checked against what the built binary's own `--help` says instead:

- in ```sh blocks (and the ExecStart= of a systemd unit in an ```ini
  block), the whole command: each word that names a subcommand leads to it,
  a command group is given a subcommand, every option is one the command or
  a parent lists (options fall through to parents, as --json does), and the
  number of positional arguments is what the command takes;
- in `inline code` that starts with focus, the subcommands and options only
  (prose writes synopses such as `focus sla [--as-of DATE]`).

A failure names the file, the line and what is wrong.

Usage: docs_commands_test.py PATH_TO_FOCUS [unittest options]
"""

import glob
import os
import re
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "harness"))
import focus_harness  # noqa: E402
from focus_harness import (ROOT, Focus, is_focus,  # noqa: E402
                           markdown_commands, read, simple_commands)


def documents():
    """The README and every page of docs/, as paths relative to ROOT."""
    return ["README.md"] + sorted(
        os.path.relpath(p, ROOT)
        for p in glob.glob(os.path.join(ROOT, "docs", "*.md")))


def inline_commands(path):
    """(line number, argv) of each `focus ...` in inline code outside the
    fenced blocks, with a synopsis's brackets and ellipses taken away."""
    text = read(path)

    def blank(block):
        return re.sub(r"[^\n]", " ", block.group(0))
    outside = re.sub(r"^ *```.*?^ *```", blank, text, flags=re.S | re.M)
    found = []
    for m in re.finditer(r"`((?:\S*/)?focus\s[^`]*)`", outside):
        words = re.sub(r"\[|\]|\.\.\.", " ", m.group(1))
        line = text.count("\n", 0, m.start()) + 1
        for argv in simple_commands(words):
            if is_focus(argv):
                found.append((line, argv))
    return found


class Help:
    """What `focus PATH --help` says the command takes: its options (name ->
    whether it takes a value), its subcommands, and its positionals."""

    def __init__(self, path):
        result = Focus().run(*path, "--help")
        if result.returncode != 0:
            raise AssertionError("focus %s --help: exit status %d\n%s" % (
                " ".join(path), result.returncode, result.stderr))
        self.options, self.subcommands = {}, set()
        self.required = self.most = 0
        section = None
        for line in result.stdout.split("\n"):
            if re.match(r"^[A-Z][a-z]+:$", line):
                section = line
                continue
            if not re.match(r"^  \S", line):
                continue  # Not an entry: a description's next line.
            # The entry's head is what stands before its description.
            head = re.split(r"\s{2,}", line.strip())[0].split()
            if section == "Options:":
                for name in head[0].split(","):
                    self.options[name] = len(head) > 1
            elif section == "Subcommands:":
                self.subcommands.add(head[0])
            elif section == "Positionals:":
                self.required += "REQUIRED" in head
                self.most = float("inf") if "..." in head else self.most + 1


HELP = {}


def help_of(path):
    if tuple(path) not in HELP:
        HELP[tuple(path)] = Help(path)
    return HELP[tuple(path)]


def check(argv, whole=True):
    """What is wrong with one `focus` command (an empty list if nothing).
    `whole`: the command is complete, as in a shell block; otherwise a
    mention or synopsis, whose options and subcommands only are checked."""
    path = []
    command = help_of(path)
    options = dict(command.options)
    positionals = []
    problems = []
    args = argv[1:]
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg.startswith("-") and not re.match(r"^-\d", arg):
            name, given, _ = arg.partition("=")
            if name in options:
                takes_value = options[name]
            else:
                problems.append("%s is not an option of `focus %s` (its "
                                "options: %s)" % (
                                    name, " ".join(path),
                                    ", ".join(sorted(options))))
                # What follows may be its value: so taken, unless it is an
                # option or a subcommand.
                takes_value = i < len(args) and not (
                    args[i].startswith("-") or args[i] in command.subcommands)
            if takes_value and not given:
                i += 1
            continue
        if command.subcommands and not positionals:
            if arg not in command.subcommands:
                problems.append("`focus %s` has no subcommand '%s' (its "
                                "subcommands: %s)" % (
                                    " ".join(path), arg,
                                    ", ".join(sorted(command.subcommands))))
                return problems
            path.append(arg)
            command = help_of(path)
            options.update(command.options)
            continue
        positionals.append(arg)
    if not whole or problems:
        return problems
    where = "focus " + " ".join(path)
    if command.subcommands:
        problems.append("`%s` needs a subcommand (one of %s)" % (
            where, ", ".join(sorted(command.subcommands))))
    elif not command.required <= len(positionals) <= command.most:
        problems.append("`%s` takes %s positional arguments, not %d (%s)" % (
            where, command.required if command.required == command.most
            else "%d to %s" % (command.required, command.most),
            len(positionals), " ".join(positionals)))
    return problems


class DocsCommands(unittest.TestCase):
    def test_every_documented_command_is_one_focus_accepts(self):
        problems = []
        whole = inline = 0
        for doc in documents():
            path = os.path.join(ROOT, doc)
            for line, argv in markdown_commands(path):
                if is_focus(argv):
                    whole += 1
                    problems += ["%s:%d: %s" % (doc, line, p)
                                 for p in check(argv)]
            for line, argv in inline_commands(path):
                inline += 1
                problems += ["%s:%d: %s" % (doc, line, p)
                             for p in check(argv, whole=False)]
        # Enough found that the documents were really read.
        self.assertGreater(whole, 60)
        self.assertGreater(inline, 40)
        if problems:
            self.fail("commands in the documents that focus does not "
                      "accept:\n" + "\n".join(problems))

    def test_the_check_finds_what_is_wrong(self):
        """The check itself, on commands right and wrong."""
        right = [
            "focus plan 2027 --json",  # A parent's option, after.
            "focus --db x.db board list --by-votes",  # And before.
            "focus board add --title=T --area A --theme t --team P",
            "focus forum record",  # An optional positional left out.
            "focus board move 1 closed -h",
            "/usr/local/bin/focus notify --dry-run out",
        ]
        for command in right:
            self.assertEqual(check(command.split()), [], command)
        wrong = {
            "focus plan 2027 --colour": "--colour is not an option of "
                                        "`focus plan`",
            "focus board list --json --titel x": "--titel is not an option",
            "focus board ad --title x": "`focus board` has no subcommand "
                                        "'ad'",
            "focus report": "`focus report` needs a subcommand",
            "focus board move 1": "`focus board move` takes 2 positional "
                                  "arguments, not 1",
            "focus plan 2027 2028": "takes 1 positional arguments, not 2",
            "focus sla --as-of 2027-01-01 extra": "not 1 (extra)",
            # An option of a subcommand is not one of its parent.
            "focus board --title x add": "--title is not an option of "
                                         "`focus board`",
        }
        for command, problem in wrong.items():
            found = check(command.split())
            self.assertEqual(len(found), 1, (command, found))
            self.assertIn(problem, found[0], command)
        self.assertEqual(check("focus board".split(), whole=False), [])
        self.assertIn("--rond is not an option", check(
            "focus board list --rond 2027-r1".split(), whole=False)[0])


if __name__ == "__main__":
    focus_harness.main()
