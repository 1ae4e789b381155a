#!/usr/bin/python3
"""End-to-end tests of `focus notify` against real SMTP servers on loopback.

Each test starts its own server in a thread (Debian's python3-aiosmtpd, with
STARTTLS and a login, as a real relay would have) and reads back what
arrived: recipients, subject, both parts, no private text, no duplicates on
a second run. Servers that refuse (5xx), drop the connection mid-message or
never answer check that a failed send is reported, recorded and retried.
Every wait is on a signal (the server's port, the process ending); the hung
server is bounded by the curl timeouts the test passes.

Usage: notify_e2e_test.py PATH_TO_FOCUS [unittest options]
"""

import asyncio
import datetime
import email
import email.policy
import json
import logging
import os
import ssl
import subprocess
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "harness"))
import focus_harness  # noqa: E402
from focus_harness import (CONFIG, FocusTest, added_ticket,  # noqa: E402
                           board_in, rows, scratch)

USER, PASSWORD = "focus-board", "correct horse battery"
PRIVATE = ["SECRET-DETAIL", "Dr Private Answerer", "an answer only the board"]

REMINDERS = """
  remind_days: 10
  escalate_after_days: 2
  reminders_from: focus@example.org
  coordinators_contact: coordinators@example.org
  site_url: https://focus.example.org
  team_contacts:
    PALS: pals@example.org
    CMHRS East Surrey: cmhrs-east@example.org
"""

logging.getLogger("mail.log").setLevel(logging.CRITICAL)


class Handler:
    def __init__(self, mode):
        self.mode = mode
        self.messages = []  # (mail_from, rcpt_tos, bytes)
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, options):
        if self.mode == "refuse":
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((envelope.mail_from,
                                  list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


class DroppingSMTP(SMTP):
    """Accepts the envelope, invites the message, then hangs up."""

    async def smtp_DATA(self, arg):
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        self.transport.close()


class Silent(asyncio.Protocol):
    """Accepts a connection and never says a word."""


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword)
          and auth_data.login == USER.encode()
          and auth_data.password == PASSWORD.encode())
    return AuthResult(success=ok)


class Server:
    """An SMTP server on 127.0.0.1 in its own thread and event loop."""

    def __init__(self, mode, cert, key):
        self.handler = Handler(mode)
        self.mode = mode
        self.cert, self.key = cert, key
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        self.ready.wait()  # Set once the socket listens: the port is known.

    def _run(self):
        asyncio.set_event_loop(self.loop)
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(self.cert, self.key)
        smtp = DroppingSMTP if self.mode == "drop" else SMTP

        def factory():
            if self.mode == "silent":
                return Silent()
            return smtp(self.handler, hostname="127.0.0.1", tls_context=tls,
                        require_starttls=True, authenticator=authenticate,
                        auth_required=True, auth_require_tls=True)

        server = self.loop.run_until_complete(
            self.loop.create_server(factory, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()
        server.close()
        self.loop.run_until_complete(server.wait_closed())
        self.loop.close()

    @property
    def url(self):
        return "smtp://127.0.0.1:%d" % self.port

    def messages(self):
        with self.handler.lock:
            return list(self.handler.messages)

    def stop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()


def human(iso):
    d = datetime.date.fromisoformat(iso)
    return "%s %d %s %d" % (d.strftime("%a"), d.day, d.strftime("%b"), d.year)


class Notify(FocusTest):
    @classmethod
    def setUpClass(cls):
        cls.certs = scratch(cls, "notify_certs")
        cls.cert = os.path.join(cls.certs, "cert.pem")
        cls.key = os.path.join(cls.certs, "key.pem")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
             "-keyout", cls.key, "-out", cls.cert, "-days", "2",
             "-subj", "/CN=127.0.0.1", "-addext",
             "subjectAltName=IP:127.0.0.1"],
            check=True, capture_output=True, timeout=60)

    def setUp(self):
        self.tmp = scratch(self, "notify_e2e")
        self.config = os.path.join(self.tmp, "focus.yaml")
        with open(CONFIG) as f:
            text = f.read()
        # The board section is last in the default configuration.
        with open(self.config, "w") as f:
            f.write(text.rstrip("\n") + "\n" + REMINDERS)
        self.password_file = os.path.join(self.tmp, "password")
        with open(self.password_file, "w") as f:
            f.write(PASSWORD + "\n")
        # The day of every run that names no other.
        self.runner = board_in(self.tmp, config=self.config,
                               today="2027-02-08", user="jo")
        self.db = self.runner.db
        self.ok("init", today="2027-01-04")
        self.tickets = {}
        # Raised and sent on Monday 4 January: due 1 February, so by
        # Monday 8 February five working days late.
        self.tickets["parking"] = self.add(
            "Parking at the hospital", "PALS", "2027-01-04")
        self.tickets["waiting"] = self.add(
            "Waiting list letters", "CMHRS East Surrey", "2027-01-04")
        self.tickets["crisis"] = self.add(
            "Crisis line wait", "Crisis Line", "2027-01-04")
        self.tickets["answered"] = self.add(
            "Ramp at the front door", "PALS", "2027-01-04")
        self.ok("board", "answer", str(self.tickets["answered"]), "--text",
                "an answer only the board shows", "--by",
                "Dr Private Answerer", today="2027-01-06")
        # Due 22 February: within remind_days (10) on 8 February.
        self.tickets["letters"] = self.add(
            "Letters arrive late", "PALS", "2027-01-25")
        # Sent on the day of the run: new for PALS.
        self.tickets["phone"] = self.add(
            "Phone line closes early", "PALS", "2027-02-08")

    def server(self, mode="accept"):
        s = Server(mode, self.cert, self.key)
        self.addCleanup(s.stop)
        return s

    def add(self, title, team, day):
        out = self.ok("board", "add", "--title", title, "--details",
                      "SECRET-DETAIL of " + title, "--area", "East Surrey",
                      "--theme", "access", "--team", team, today=day)
        ticket = added_ticket(out)
        self.ok("board", "move", str(ticket), "sent-to-trust", today=day)
        return ticket

    def notify(self, server, *extra, today=None):
        # Small timeouts bound the server that never answers.
        return self.focus("notify", "--smtp-url", server.url, "--smtp-user",
                          USER, "--smtp-password-file", self.password_file,
                          "--smtp-ca-file", self.cert,
                          "--smtp-connect-timeout", "2", "--smtp-timeout",
                          "2", *extra, today=today)

    def answer_due(self, ticket):
        out = self.ok("board", "show", str(ticket), "--json")
        return json.loads(out)["response_time"]["answer_due"]

    def rows(self):
        return rows(self.db, "SELECT day, kind, team, recipient, status "
                    "FROM reminders ORDER BY id")

    def parsed(self, server):
        out = {}
        for mail_from, rcpt_tos, content in server.messages():
            self.assertEqual(mail_from, "focus@example.org")
            self.assertEqual(len(rcpt_tos), 1)
            msg = email.message_from_bytes(content,
                                           policy=email.policy.default)
            self.assertNotIn(rcpt_tos[0], out, "sent twice: " + rcpt_tos[0])
            out[rcpt_tos[0]] = msg
        return out

    def test_digests_arrive_once_with_both_parts_and_nothing_private(self):
        server = self.server()
        result = self.notify(server)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("team Crisis Line has 1 ticket to be reminded of but no "
                      "address in board.team_contacts", result.stderr)
        got = self.parsed(server)
        self.assertEqual(sorted(got), ["cmhrs-east@example.org",
                                       "coordinators@example.org",
                                       "pals@example.org"])
        pals = got["pals@example.org"]
        self.assertEqual(pals["Subject"], "Feedback board reminder for PALS: "
                         "1 past the agreed time, 1 due soon, 1 new")
        self.assertEqual(pals["To"], "pals@example.org")
        self.assertEqual(pals.get_content_type(), "multipart/alternative")
        plain = pals.get_body(("plain",)).get_content()
        html = pals.get_body(("html",)).get_content()
        for key in ("parking", "letters", "phone"):
            ticket = self.tickets[key]
            due = human(self.answer_due(ticket))
            self.assertIn("Ticket %d:" % ticket, plain)
            self.assertIn(due, plain)
            self.assertIn(due, html)
            link = "https://focus.example.org/board/tickets/%d" % ticket
            self.assertIn(link, plain)
            self.assertIn('href="%s"' % link, html)
        self.assertIn("Parking at the hospital", html)
        self.assertIn("East Surrey", plain)
        self.assertIn('<html lang="en-GB">', html)
        self.assertIn('<th scope="col"', html)
        # Sections: overdue first, then due soon, then new.
        self.assertLess(plain.index("PAST THE AGREED TIME"),
                        plain.index("Parking at the hospital"))
        self.assertLess(plain.index("Parking at the hospital"),
                        plain.index("DUE WITHIN 10 WORKING DAYS"))
        self.assertLess(plain.index("Letters arrive late"),
                        plain.index("NEW FOR YOUR TEAM"))
        self.assertLess(plain.index("NEW FOR YOUR TEAM"),
                        plain.index("Phone line closes early"))
        escalation = got["coordinators@example.org"]
        text = escalation.get_body(("plain",)).get_content()
        self.assertIn("Ticket %d:" % self.tickets["parking"], text)
        self.assertIn("Ticket %d:" % self.tickets["waiting"], text)
        self.assertIn("Ticket %d:" % self.tickets["crisis"], text)
        self.assertNotIn("Letters arrive late", text)
        for msg in got.values():
            raw = msg.as_string()
            for body in (msg.get_body(("plain",)).get_content(),
                         msg.get_body(("html",)).get_content(), raw):
                for private in PRIVATE:
                    self.assertNotIn(private, body)
                self.assertNotIn("Ramp at the front door", body)
        # A second run the same day sends nothing.
        again = self.notify(server)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(again.stdout.count("Not sent again"), 3, again.stdout)
        self.assertEqual(len(server.messages()), 3)
        self.assertEqual([r[4] for r in self.rows()], ["sent"] * 3)
        # The next day the new ticket is no longer new.
        self.assertEqual(self.notify(server, today="2027-02-09").returncode, 0)
        latest = self.parsed_latest(server, "pals@example.org")
        self.assertEqual(latest["Subject"], "Feedback board reminder for "
                         "PALS: 1 past the agreed time, 1 due soon")

    def parsed_latest(self, server, rcpt):
        for _, rcpt_tos, content in reversed(server.messages()):
            if rcpt_tos == [rcpt]:
                return email.message_from_bytes(content,
                                                policy=email.policy.default)
        self.fail("nothing for " + rcpt)

    def check_failure(self, mode, why):
        server = self.server(mode)
        result = self.notify(server)
        self.assertEqual(result.returncode, 4, result.stderr)
        self.assertIn("focus: could not send the reminder to PALS "
                      "(pals@example.org): " + server.url, result.stderr)
        self.assertIn(why, result.stderr)
        self.assertTrue(result.stderr.rstrip().endswith(
            "focus: error: 3 of 3 reminders could not be sent; focus notify "
            "tries them again on its next run"), result.stderr)
        self.assertEqual([r[4] for r in self.rows()], ["failed"] * 3)
        warnings = json.loads(self.ok("sla", "--json"))["warnings"]
        self.assertIn("Reminder to PALS (pals@example.org) of 2027-02-08 not "
                      "delivered; the next run retries it: " + server.url,
                      "\n".join(warnings))
        self.assertIn("Reminder to PALS (pals@example.org)", self.ok("sla"))
        # The next run, to a server that accepts, retries them.
        good = self.server()
        retry = self.notify(good)
        self.assertEqual(retry.returncode, 0, retry.stderr)
        self.assertEqual(len(good.messages()), 3)
        self.assertNotIn("not delivered", self.ok("sla", "--json"))

    def test_server_that_refuses(self):
        self.check_failure("refuse", "the server answered 550")

    def test_server_that_drops_the_connection_mid_message(self):
        self.check_failure("drop", "Failure when receiving data from the peer")

    def test_server_that_never_answers(self):
        self.check_failure("silent", "Timeout was reached")

    def test_dry_run_writes_eml_files_and_records_nothing(self):
        out_dir = os.path.join(self.tmp, "mail")
        self.ok("notify", "--dry-run", out_dir)
        self.assertEqual(sorted(os.listdir(out_dir)), [
            "2027-02-08-escalation.eml",
            "2027-02-08-team-cmhrs-east-surrey.eml",
            "2027-02-08-team-pals.eml"])
        with open(os.path.join(out_dir, "2027-02-08-team-pals.eml"),
                  "rb") as f:
            msg = email.message_from_bytes(f.read(),
                                           policy=email.policy.default)
        self.assertIn("Phone line closes early",
                      msg.get_body(("plain",)).get_content())
        self.assertEqual(self.rows(), [])

    def test_sending_needs_a_server(self):
        result = self.focus("notify")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr,
                         "focus: error: --smtp-url (or FOCUS_SMTP_URL) is "
                         "needed to send reminders, e.g. "
                         "smtp://mail.example.org:587; or use --dry-run DIR "
                         "to write them as files\n")

    def test_bad_address_in_configuration(self):
        with open(self.config, "a") as f:
            f.write("  reminders_from: not-an-address\n")
        # A key given twice is refused by YAML; write a fresh file instead.
        with open(self.config) as f:
            lines = f.read().splitlines()
        lines = [x for x in lines if "reminders_from: focus@" not in x]
        with open(self.config, "w") as f:
            f.write("\n".join(lines) + "\n")
        line = next(i for i, x in enumerate(lines, 1)
                    if "not-an-address" in x)
        result = self.focus("notify", "--dry-run", self.tmp)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(
            result.stderr,
            "focus: error: %s:%d: board.reminders_from: 'not-an-address' is "
            "not an e-mail address (expected name@domain, e.g. "
            "pals@example.nhs.uk)\n" % (self.config, line))


if __name__ == "__main__":
    focus_harness.main()
