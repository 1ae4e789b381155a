#!/usr/bin/python3
"""End-to-end tests of the newsletter and the reports through `focus`.

A fixture board is built with the real commands (`focus init`, `forum
record`, `board add/vote/merge/move/answer`), each step on its own date
(FOCUS_TODAY), as the first quarter of 2027 would go. Then:

- the newsletter drafts for 2027-Q1 (Markdown, HTML, text, Easy Read), the
  monthly report for January 2027 and the Development Group pack for 2027-Q1
  are compared byte for byte with tests/golden/newsletter-2027-Q1/,
  report-monthly-2027-01/ and report-development-group-2027-Q1/;
- their content is checked on its own too (what must and must not be there);
- every HTML file is parsed: lang, one h1, headings never skip a level,
  every table has header cells with scope, no script from ticket text;
- an edited template with an unknown name fails with file:line:name, exit
  status 2 and no files written;
- an empty quarter says plainly that nothing was answered.

Usage: report_e2e_test.py PATH_TO_FOCUS [unittest options]
Set FOCUS_UPDATE_GOLDEN=1 to rewrite the golden files after checking a change
by hand.
"""

import html.parser
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "harness"))
import focus_harness  # noqa: E402
from focus_harness import (added_ticket, board_in,  # noqa: E402
                           check_golden, read, scratch)

HOSTILE = "<script>alert(\"x\")</script> & 'q'"

NEWSLETTER_FILES = ["newsletter.md", "newsletter.html", "newsletter.txt",
                    "newsletter-easy-read.md", "newsletter-easy-read.html",
                    "newsletter-easy-read.txt"]
MONTHLY_FILES = ["report.md", "report.html", "new-tickets.csv", "due.csv",
                 "attendance.csv"]
GROUP_FILES = ["report.md", "report.html", "most-voted.csv",
               "themes-by-area.csv", "response-times-by-team.csv",
               "verdicts-by-team.csv", "attendance-by-format.csv"]


def build_fixture(f):
    """The first quarter of 2027 on the board."""
    f.ok("init", today="2027-01-04")
    # Forums of round 1 (dates from the plan), counts only.
    f.ok("forum", "record", "2027-r1-east-surrey",
         "--service-users", "5", "--carers", "2", "--staff", "3",
         "--apology", "CMHRS team manager", today="2027-01-04")
    f.ok("forum", "record", "2027-r1-surrey-downs",
         "--service-users", "1", "--carers", "0", "--staff", "2",
         today="2027-01-06")
    f.ok("forum", "record", "2027-r1-guildford-waverley",
         "--service-users", "3", "--carers", "3", "--staff", "2",
         "--governors", "1", today="2027-01-07")
    f.ok("forum", "record", "2027-r1-surrey-wide-evening",
         "--service-users", "4", "--carers", "1", "--staff", "1",
         "--others", "2", today="2027-01-11")

    def add(today, forum, area, theme, team, title, *extra):
        return added_ticket(f.ok(
            "board", "add", "--forum", forum, "--area", area, "--theme",
            theme, "--team", team, "--title", title, *extra, today=today))

    letters = add("2027-01-04", "2027-r1-east-surrey", "East Surrey",
                  "communication", "CMHRS East Surrey",
                  "Appointment letters arrive after the appointment",
                  "--raised-by", "3", "--details",
                  "Said by a carer whose details stay on the board only")
    parking = add("2027-01-04", "2027-r1-east-surrey", "East Surrey",
                  "access", "Estates and Facilities",
                  "No accessible parking at the clinic")
    hostile = add("2027-01-06", "2027-r1-surrey-downs", "Surrey Downs",
                  "other", "PALS", HOSTILE)
    therapies = add("2027-01-06", "2027-r1-surrey-downs", "Surrey Downs",
                    "waiting times", "CMHRS Surrey Downs",
                    "Waiting list for talking therapies is too long")
    carers = add("2027-01-07", "2027-r1-guildford-waverley",
                 "Guildford & Waverley", "carers", "Inpatient Services",
                 "Carers are not told when someone is discharged",
                 "--theme", "discharge")
    crisis = add("2027-01-11", "2027-r1-surrey-wide-evening",
                 "Surrey-wide evening forum", "crisis care", "Crisis Line",
                 "Crisis line calls go unanswered at night")
    repeat = add("2027-01-11", "2027-r1-surrey-wide-evening",
                 "Surrey-wide evening forum", "communication",
                 "CMHRS East Surrey", "Letters come too late")

    f.ok("board", "vote", str(letters), "--count", "2",
         "--forum", "2027-r1-surrey-downs", "--note",
         "raised again at Surrey Downs", today="2027-01-06")
    f.ok("board", "vote", str(carers), "--count", "3",
         "--forum", "2027-r1-guildford-waverley", today="2027-01-07")
    f.ok("board", "vote", str(therapies), "--count", "1",
         "--forum", "2027-r1-surrey-wide-evening", today="2027-01-11")
    f.ok("board", "merge", str(repeat), "--into", str(letters),
         today="2027-01-12")

    for ticket in (letters, parking, carers):
        f.ok("board", "move", str(ticket), "sent-to-trust", today="2027-01-08")
    for ticket in (crisis, therapies):
        f.ok("board", "move", str(ticket), "sent-to-trust", today="2027-01-12")
    f.ok("board", "answer", str(crisis), "--by",
         "Crisis Line manager", "--text",
         "Two more call handlers now answer the crisis line from 8pm to 8am.",
         today="2027-01-20")
    f.ok("board", "answer", str(letters), "--by",
         "Head of Community Services", "--text",
         "Letters now go out ten working days before each appointment.",
         today="2027-01-29")
    f.ok("board", "answer", str(carers), "--in-progress",
         "--by", "Inpatient Services lead", "--text",
         "Ward staff now give carers a discharge checklist; a carers' lead "
         "is being recruited.", today="2027-02-10")
    f.ok("board", "move", str(parking), "declined", "--reason",
         "The car park belongs to the council; we have asked them for two "
         "accessible bays.", today="2027-02-15")
    # The Trust asks the forum a question: the clock pauses.
    f.ok("board", "move", str(hostile), "sent-to-trust", today="2027-01-13")
    f.ok("board", "move", str(hostile), "waiting-for-forum",
         "--reason", "Which reception desk was this: the clinic or the ward?",
         today="2027-01-22")
    # A later forum's verdicts on two answers; the disputed one goes back
    # to the Trust with its answer still published.
    f.ok("forum", "record", "--area", "Surrey Downs", "--date",
         "2027-02-17", "--format", "in-person", "--title", "Carers' drop-in",
         "--carers", "4", "--service-users", "2", today="2027-02-17")
    f.ok("board", "verdict", str(letters), "--forum", "5",
         "confirmed", today="2027-02-18")
    f.ok("board", "verdict", str(crisis), "--forum", "5",
         "disputed", "--note", "Calls at night still ring out",
         today="2027-02-18")
    # After the copy deadline (Fri 12 Mar 2027): for the next newsletter.
    f.ok("board", "answer", str(therapies), "--by",
         "CMHRS Surrey Downs manager", "--text",
         "Two more therapists start in April.", today="2027-03-17")
    return {"letters": letters, "parking": parking, "hostile": hostile,
            "therapies": therapies, "carers": carers, "crisis": crisis}


class HtmlCheck(html.parser.HTMLParser):
    """Collects what the accessibility checks need from one document."""

    VOID = {"meta", "link", "br", "img", "hr", "input"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.headings = []
        self.stack = []
        self.errors = []
        self.tables = []  # [has th, every th has scope]
        self.title = ""
        self.in_title = False
        self.scripts = 0
        self.text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        if tag == "table":
            self.tables.append([False, True])
        if tag == "th" and self.tables:
            self.tables[-1][0] = True
            if attrs.get("scope") not in ("col", "row"):
                self.tables[-1][1] = False
        if tag == "script":
            self.scripts += 1
        if tag == "title":
            self.in_title = True
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes <%s>" %
                               (tag, self.stack[-1] if self.stack else ""))
            return
        self.stack.pop()

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        self.text.append(data)


def check_html(test, path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    test.assertTrue(text.startswith("<!DOCTYPE html>"), path)
    p = HtmlCheck()
    p.feed(text)
    p.close()
    name = os.path.basename(path)
    test.assertEqual(p.errors, [], name)
    test.assertEqual(p.stack, [], name + ": unclosed elements")
    test.assertEqual(p.lang, "en-GB", name)
    test.assertTrue(p.title.strip(), name + ": no title")
    test.assertEqual(p.headings.count(1), 1, name + ": one h1")
    test.assertEqual(p.headings[0], 1, name)
    for before, after in zip(p.headings, p.headings[1:]):
        test.assertLessEqual(
            after, before + 1,
            "%s: heading h%d after h%d" % (name, after, before))
    for has_th, scoped in p.tables:
        test.assertTrue(has_th, name + ": table without th")
        test.assertTrue(scoped, name + ": th without scope")
    test.assertEqual(p.scripts, 0, name + ": a script element")
    return "".join(p.text)


class Fixture(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = scratch(cls, "report_e2e")
        cls.f = board_in(cls.tmp, user="facilitator")
        cls.ids = build_fixture(cls.f)
        cls.out = {}
        for key, args in (
                ("newsletter", ("newsletter", "2027-Q1")),
                ("monthly", ("report", "monthly", "2027-01")),
                ("group", ("report", "development-group", "2027-Q1"))):
            out = os.path.join(cls.tmp, key)
            cls.f.ok(*args, "--out", out, today="2027-03-22")
            cls.out[key] = out

    def compare_golden(self, key, golden, names):
        self.assertEqual(sorted(os.listdir(self.out[key])), sorted(names))
        check_golden(self, self.out[key], golden, names)

    def test_goldens(self):
        self.compare_golden("newsletter", "newsletter-2027-Q1",
                            NEWSLETTER_FILES)
        self.compare_golden("monthly", "report-monthly-2027-01",
                            MONTHLY_FILES)
        self.compare_golden("group", "report-development-group-2027-Q1",
                            GROUP_FILES)

    def test_html_is_complete_and_accessible(self):
        for key, names in (("newsletter", NEWSLETTER_FILES),
                           ("monthly", MONTHLY_FILES),
                           ("group", GROUP_FILES)):
            for n in names:
                if n.endswith(".html"):
                    check_html(self, os.path.join(self.out[key], n))

    def test_hostile_ticket_text_is_escaped(self):
        for key, names in (("newsletter", NEWSLETTER_FILES),
                           ("monthly", MONTHLY_FILES),
                           ("group", GROUP_FILES)):
            for n in names:
                if not n.endswith(".html"):
                    continue
                path = os.path.join(self.out[key], n)
                raw = read(path)
                self.assertNotIn("<script", raw, n)
                # The Easy Read draft does not list waiting points; the pack
                # lists it among the most voted (all have few votes).
                if n != "newsletter-easy-read.html":
                    self.assertIn(
                        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; "
                        "&amp; &apos;q&apos;", raw, key + "/" + n)
                    # ... and a reader sees the text as it was typed.
                    self.assertIn(HOSTILE, check_html(self, path))
        md = read(os.path.join(self.out["newsletter"], "newsletter.md"))
        self.assertIn("\\<script\\>alert(\"x\")\\</script\\> & 'q'", md)

    def test_newsletter_content(self):
        md = read(os.path.join(self.out["newsletter"], "newsletter.md"))
        # The window: after the copy deadline of December 2026 (Mon 14 Dec,
        # its 10th working day), up to that of March 2027 (Fri 12 Mar).
        self.assertIn("between Tuesday 15 December 2026 and Friday 12 March "
                      "2027", md)
        # You said, we did: grouped by theme, with forums and the answer.
        self.assertIn("#### Communication", md)
        self.assertIn("**You said:** Appointment letters arrive after the "
                      "appointment", md)
        self.assertIn("**We did:** Letters now go out ten working days before "
                      "each appointment. (CMHRS East Surrey)", md)
        # A later forum's verdict beside the answer.
        self.assertIn("*The Surrey Downs forum confirmed this on Wednesday 17 "
                      "February 2027.*", md)
        # A disputed answer: listed apart, still published, back with the
        # Trust with a new clock (disputed Thu 18 Feb, 10 working days for
        # crisis care: due Thu 4 Mar, before the copy deadline).
        self.assertIn("### Answers a forum disputed", md)
        self.assertIn("**The Trust said:** Two more call handlers now answer "
                      "the crisis line from 8pm to 8am. (Crisis Line)", md)
        self.assertIn("*The Surrey Downs forum disputed this on Wednesday 17 "
                      "February 2027: Calls at night still ring out.*", md)
        self.assertIn("The new answer is late: it was due by Thursday 4 March "
                      "2027.", md)
        # Waiting for the forum: the Trust's question, days left frozen
        # (raised Wed 6 Jan, due Wed 3 Feb; paused Fri 22 Jan with 8 left).
        self.assertIn("the answer clock is paused while the Trust waits for "
                      "the forum, with 8 working days left. The Trust has "
                      "asked the forum a question about it. The Trust asked "
                      "you: Which reception desk was this: the clinic or the "
                      "ward?", md)
        # Its forums include those of the votes and of the merged repeat.
        self.assertIn("Raised at: East Surrey forum (Mon 4 Jan 2027), Surrey "
                      "Downs forum (Wed 6 Jan 2027) and Surrey-wide evening "
                      "forum (Mon 11 Jan 2027).", md)
        self.assertIn("**We are doing:** Ward staff now give carers", md)
        self.assertIn("**Why not:** The car park belongs to the council", md)
        # Answered after the copy deadline: still waiting in this issue.
        self.assertIn("- Waiting list for talking therapies is too long "
                      "(Surrey Downs and Surrey-wide evening forum): it is "
                      "past the agreed time; it was due by Wednesday 3 "
                      "February 2027.", md)
        # 3 first responses in the window. On time: the letters (raised Mon
        # 4 Jan, due Mon 1 Feb, answered 29 Jan). Late: the carers' (raised
        # Thu 7 Jan, due Thu 4 Feb, in progress 10 Feb) and the parking
        # decline (due Mon 1 Feb, declined 15 Feb). The crisis line's answer
        # was disputed: not counted either way.
        self.assertIn("1 of 3 answered within the agreed time (2 late)", md)
        self.assertIn("within 20 working days (10 for crisis care)", md)
        # Next two rounds from the plan, with arrangements.
        self.assertIn("### Round 2 of 2027: April to June 2027", md)
        self.assertIn("### Round 3 of 2027: July to September 2027", md)
        self.assertIn("**Travel:** Travel to in-person forums is reimbursed",
                      md)
        self.assertIn("## How to get involved", md)
        # Nothing identifying: no details, no raiser, no history, no user.
        for text in ("Said by a carer", "facilitator", "raised again at",
                     "CMHRS team manager"):
            for n in NEWSLETTER_FILES:
                self.assertNotIn(
                    text, read(os.path.join(self.out["newsletter"], n)), n)

    def test_monthly_content(self):
        md = read(os.path.join(self.out["monthly"], "report.md"))
        self.assertIn("Surrey Downs forum (Wed 6 Jan 2027)", md)
        with open(os.path.join(self.out["monthly"], "attendance.csv"),
                  "rb") as f:
            csv = f.read()
        # The board export's conventions: BOM, CRLF, RFC 4180.
        self.assertTrue(csv.startswith(b"\xef\xbb\xbf"))
        self.assertEqual(csv.count(b"\r\n"), 5)
        self.assertEqual(csv.count(b"\n"), 5)

    def test_json_view(self):
        view = self.f.json("newsletter", "2027-Q1", "--out",
                           os.path.join(self.tmp, "j"), today="2027-03-22")
        self.assertEqual(view["quarter"], "2027-Q1")
        self.assertEqual(view["responses"], 3)
        self.assertEqual(view["responses_on_time"], 1)
        self.assertEqual(view["disputed_count"], 1)


class Templates(unittest.TestCase):
    def setUp(self):
        self.tmp = scratch(self, "report_tpl")
        self.f = board_in(self.tmp, user="facilitator")
        self.f.ok("init", today="2027-01-04")

    def test_unknown_name_fails_and_writes_nothing(self):
        tpl = os.path.join(self.tmp, "my-templates")
        os.makedirs(tpl)
        with open(os.path.join(tpl, "newsletter.txt.mustache"), "w") as f:
            f.write("Newsletter {{months}}\n\n{{#we_did}}\n{{theme}}\n"
                    "{{#tickets}}{{titel}}{{/tickets}}\n{{/we_did}}\n")
        out = os.path.join(self.tmp, "out")
        result = self.f.run("newsletter", "2027-Q1", "--templates", tpl,
                            "--out", out, today="2027-03-22")
        self.assertEqual(result.returncode, 2, result.stderr)
        # The line of the tag, even though nothing was answered this time
        # (empty board): the template is checked whatever the data.
        self.assertEqual(
            result.stderr,
            "focus: error: %s/newsletter.txt.mustache:5: unknown name "
            "'titel' (did you mean 'title'?); names here: answer, "
            "answered_by, area_count, areas, forum_count, forums, has_answer, "
            "has_forums, has_verdicts, number, raised_on, reason, reopened, "
            "state, team, themes, title, verdicts, votes (see "
            "docs/templates.md)\n" % tpl)
        self.assertFalse(os.path.exists(out))

    def test_override_changes_wording(self):
        tpl = os.path.join(self.tmp, "my-templates")
        os.makedirs(tpl)
        with open(os.path.join(tpl, "newsletter.txt.mustache"), "w") as f:
            f.write("Our own words for {{months}}.\n")
        out = os.path.join(self.tmp, "out")
        self.f.ok("newsletter", "2027-Q1", "--templates", tpl,
                  "--out", out, today="2027-03-22")
        self.assertEqual(read(os.path.join(out, "newsletter.txt")),
                         "Our own words for January to March 2027.\n")
        # The other drafts still come from the built-in templates.
        self.assertIn("## Answers from the Trust",
                      read(os.path.join(out, "newsletter.md")))

    def test_empty_quarter_says_so(self):
        self.f.ok("forum", "record", "2027-r2-surrey-downs",
                  "--service-users", "2", "--carers", "1", "--staff", "1",
                  today="2027-04-06")
        out = os.path.join(self.tmp, "out")
        self.f.ok("newsletter", "2027-Q2", "--out", out, today="2027-06-20")
        md = read(os.path.join(out, "newsletter.md"))
        self.assertIn("No answers were published since the last newsletter.",
                      md)
        for heading in ("You said, we did", "You said, we are doing",
                        "What the Trust cannot do"):
            self.assertNotIn(heading, md)
        for n in NEWSLETTER_FILES:
            text = read(os.path.join(out, n))
            if n.endswith(".html"):
                check_html(self, os.path.join(out, n))
            self.assertNotIn("We did", text, n)

    def test_bad_quarter(self):
        result = self.f.run("newsletter", "2027-Q5", today="2027-03-22")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr,
                         "focus: error: quarter '2027-Q5' is not like 2027-Q2 "
                         "(plan year, Q, round 1 to 4)\n")


if __name__ == "__main__":
    focus_harness.main()
