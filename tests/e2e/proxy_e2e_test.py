#!/usr/bin/python3
"""End-to-end test of `focus serve` behind a real nginx, configured with the
lines docs/operations.md gives for the site (between its focus-proxy-begin
and focus-proxy-end comments).

nginx runs as this user, in the foreground, writing only in a temporary
folder, on a free port; it is ready once it accepts a connection. Through
it: the public pages, a body over the limit (refused by nginx), a sign-in
and a ticket added with the JSON API, which the CLI then sees with the
account as its actor, and the visitor's address as focus counts it.

Usage: proxy_e2e_test.py PATH_TO_FOCUS [unittest options]
"""

import os
import shutil
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "harness"))
import focus_harness  # noqa: E402
from focus_harness import (CONFIG, TIMEOUT, Client, FocusTest,  # noqa: E402
                           board_in, read, scratch)

PASSWORD = "correct horse battery"
OPERATIONS = os.path.join(HERE, os.pardir, os.pardir, "docs", "operations.md")


def documented(block):
    """The lines between the focus-BLOCK-begin and -end comments of
    docs/operations.md."""
    lines = read(OPERATIONS).splitlines()
    begin = [i for i, l in enumerate(lines) if "# focus-%s-begin" % block in l]
    end = [i for i, l in enumerate(lines) if "# focus-%s-end" % block in l]
    if len(begin) != 1 or len(end) != 1 or begin[0] > end[0]:
        raise AssertionError("docs/operations.md: expected one focus-%s "
                             "block" % block)
    return "\n".join(lines[begin[0] + 1:end[0]])


def documented_upstream(ports):
    """The documented upstream block with `ports` for its servers: the
    first in place of 8080, a second one in its commented-out line."""
    upstream = documented("upstream")
    first = "server 127.0.0.1:8080;"
    second = "# server 127.0.0.1:8081;"
    if first not in upstream or second not in upstream:
        raise AssertionError("docs/operations.md: the upstream block lost "
                             "its server lines")
    upstream = upstream.replace(first, "server 127.0.0.1:%d;" % ports[0])
    if len(ports) > 1:
        upstream = upstream.replace(second,
                                    "server 127.0.0.1:%d;" % ports[1])
    return upstream


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_binary():
    found = shutil.which("nginx")
    if found is None and os.access("/usr/sbin/nginx", os.X_OK):
        found = "/usr/sbin/nginx"  # Not on a normal user's PATH on Debian.
    if found is None:
        raise AssertionError("nginx is missing: run scripts/install-deps "
                             "--tests")
    return found


class Nginx:
    """nginx in front of `focus serve` on `upstream_ports` (one or two)."""

    def __init__(self, folder, upstream_ports):
        self.folder = folder
        self.port = free_port()
        os.makedirs(os.path.join(folder, "tmp"), exist_ok=True)
        upstream = documented_upstream(upstream_ports)
        location = documented("proxy")
        # As root (a container), workers would switch to nobody.
        user = "user root;\n" if os.getuid() == 0 else ""
        conf = os.path.join(folder, "nginx.conf")
        with open(conf, "w", encoding="utf-8") as f:
            f.write(user + """daemon off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {d}/tmp/body;
    proxy_temp_path {d}/tmp/proxy;
    fastcgi_temp_path {d}/tmp/fastcgi;
    uwsgi_temp_path {d}/tmp/uwsgi;
    scgi_temp_path {d}/tmp/scgi;
{upstream}
    server {{
        listen 127.0.0.1:{port};
{location}
    }}
}}
""".format(d=folder, port=self.port, upstream=upstream,
           location=location))
        self.process = subprocess.Popen(
            [nginx_binary(), "-p", folder, "-c", conf, "-e",
             os.path.join(folder, "error.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.wait_until_listening()

    def wait_until_listening(self):
        """Returns once nginx accepts a connection; fails if it exits."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError("nginx exited: %s"
                                     % self.process.stderr.read())
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                return
            except OSError:
                time.sleep(0.02)
        raise AssertionError("nginx did not listen within %d s" % TIMEOUT)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=TIMEOUT)
        self.process.stderr.close()


class BehindNginx(FocusTest):
    def setUp(self):
        self.tmp = scratch(self, "proxy_e2e")
        config = os.path.join(self.tmp, "focus.yaml")
        with open(config, "w", encoding="utf-8") as f:
            f.write(read(CONFIG) +
                    "\nserver:\n  trusted_proxies: [127.0.0.1]\n")
        self.runner = board_in(self.tmp, config=config, today="2027-01-20",
                               user="admin")
        self.ok("init")
        self.ok("account", "add", "jo", "--role", "facilitator",
                stdin=PASSWORD + "\n")
        self.server = self.runner.serve()
        self.addCleanup(self.server.stop)
        self.nginx = Nginx(os.path.join(self.tmp, "nginx"),
                           [self.server.port])
        self.addCleanup(self.nginx.stop)
        self.http = Client(self.nginx.port)

    def test_public_pages_and_a_signed_in_write_through_nginx(self):
        for path, kind in [("/", "text/html"), ("/answers", "text/html"),
                           ("/calendar.ics", "text/calendar")]:
            res = self.http.request("GET", path)
            self.assertEqual(res.status, 200, path)
            self.assertTrue(res.headers["Content-Type"].startswith(kind), path)

        # nginx refuses a body over the documented limit before focus sees it.
        res = self.http.request("POST", "/api/login", "x" * (65 * 1024),
                                {"Content-Type": "application/json"})
        self.assertEqual(res.status, 413)

        res = self.http.sign_in("jo", PASSWORD)
        self.assertEqual(res.status, 200, res.text)
        ticket = focus_harness.API_TICKET
        res = self.http.request("POST", "/api/tickets", ticket)
        self.assertEqual(res.status, 201, res.text)
        created = res.json()
        shown = self.json("board", "show", str(created["id"]), "--json")
        self.assertEqual((shown["title"], shown["votes"],
                          shown["history"][0]["actor"]),
                         ("Appointment letters arrive late", 3, "jo"))

        # A visitor cannot name another address: nginx sets the header to
        # the one it saw, so five wrong passwords still limit this visitor.
        statuses = [self.http.request(
            "POST", "/api/login", {"name": "jo", "password": "wrong one!"},
            {"X-Forwarded-For": "198.51.100.%d" % i}).status
            for i in range(6)]
        self.assertEqual(statuses, [401] * 5 + [429])


class TwoServersBehindNginx(FocusTest):
    """Two `focus serve` on one board behind the documented nginx, which
    sends requests to each in turn: they share sessions and limits."""

    def setUp(self):
        self.tmp = scratch(self, "proxy_e2e_two")
        self.runner = board_in(self.tmp, today="2027-01-20", user="admin")
        self.ok("init")
        self.ok("account", "add", "jo", "--role", "facilitator",
                stdin=PASSWORD + "\n")
        self.servers = [self.runner.serve(), self.runner.serve()]
        for server in self.servers:
            self.addCleanup(server.stop)
        self.nginx = Nginx(os.path.join(self.tmp, "nginx"),
                           [s.port for s in self.servers])
        self.addCleanup(self.nginx.stop)

    def test_sessions_writes_and_limits_are_shared(self):
        # Signed in on the first server itself, then through nginx.
        first = self.servers[0].client()
        self.assertEqual(first.sign_in("jo", PASSWORD).status, 200)
        http = Client(self.nginx.port)
        http.cookie, http.csrf = first.cookie, first.csrf
        ids = []
        for i in range(4):  # In turn: two writes on each server.
            res = http.request("POST", "/api/tickets", {
                "title": "Letters arrive late %d" % i, "details": "",
                "area": "East Surrey", "themes": ["communication"],
                "team": "PALS"})
            self.assertEqual(res.status, 201, res.text)
            ids.append(res.json()["id"])
        self.assertEqual(ids, [1, 2, 3, 4])
        listed = self.json("board", "list", "--json")
        self.assertEqual(sorted(t["id"] for t in listed), ids)

        # With the first server gone, the second still knows the session
        # the first made, and sees every ticket.
        self.servers[0].stop()
        res = http.request("GET", "/api/session")
        self.assertEqual(res.status, 200, res.text)
        res = http.request("GET", "/api/tickets")
        self.assertEqual(len(res.json()), 4, res.text)

        # Wrong passwords count wherever they land.
        self.servers[0] = self.runner.serve()
        nginx = Nginx(os.path.join(self.tmp, "nginx2"),
                      [s.port for s in self.servers])
        self.addCleanup(nginx.stop)
        visitor = Client(nginx.port)
        statuses = [visitor.request(
            "POST", "/api/login", {"name": "jo", "password": "wrong one!"}
        ).status for _ in range(6)]
        self.assertEqual(statuses, [401] * 5 + [429])


if __name__ == "__main__":
    focus_harness.main()
