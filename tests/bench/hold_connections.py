#!/usr/bin/env python3
"""Holds hostile connections open to a server while something else measures it.

    hold_connections.py PORT IDLE SLOW

Opens IDLE connections that send nothing and SLOW "slowloris" connections
that send a request's header one line a second and never finish it, all to
127.0.0.1:PORT, and keeps that many open: one the server closes (its header
time is up) is opened again. The connections come from 127.0.0.2 and up,
at most 100 from one address, so the server's cap per client address does
not refuse them and the measuring client (from 127.0.0.1) is counted apart.
Prints "holding N" once all are open (the signal to start measuring), then
holds them until its standard input closes or it gets SIGTERM; prints how
many it opened in all. Bounded: loopback only, a fixed number of sockets.
"""
import selectors
import signal
import socket
import sys
import time

PER_ADDRESS = 100
# A header that never ends: one line a second, then the same again.
SLOW_LINES = [b"GET /answers HTTP/1.1\r\n", b"Host: 127.0.0.1\r\n"] + [
    b"X-Slow-%d: x\r\n" % i for i in range(1000)]


class Holder:
    def __init__(self, port, idle, slow):
        self.port = port
        self.selector = selectors.DefaultSelector()
        self.opened = 0
        self.slow = {}  # Socket -> index of its next header line.
        self.wanted = {"idle": idle, "slow": slow}
        self.held = {"idle": 0, "slow": 0}

    def open(self, kind):
        source = "127.0.0.%d" % (2 + self.opened // PER_ADDRESS)
        s = socket.socket()
        s.bind((source, 0))
        s.connect(("127.0.0.1", self.port))
        s.setblocking(False)
        self.selector.register(s, selectors.EVENT_READ, kind)
        self.opened += 1
        self.held[kind] += 1
        if kind == "slow":
            self.slow[s] = 0

    def top_up(self):
        for kind, wanted in self.wanted.items():
            while self.held[kind] < wanted:
                self.open(kind)

    def trickle(self):
        for s, line in list(self.slow.items()):
            try:
                s.send(SLOW_LINES[line % len(SLOW_LINES)])
                self.slow[s] = line + 1
            except OSError:
                self.drop(s, "slow")

    def drop(self, s, kind):
        if s in self.slow or kind == "idle":
            self.selector.unregister(s)
            self.slow.pop(s, None)
            s.close()
            self.held[kind] -= 1

    def run(self, stop):
        self.top_up()
        print("holding %d" % sum(self.held.values()), flush=True)
        next_line = time.monotonic()
        while not stop():
            for key, _ in self.selector.select(timeout=0.1):
                try:
                    data = key.fileobj.recv(4096)
                except OSError:
                    data = b""
                if not data:  # Closed by the server.
                    self.drop(key.fileobj, key.data)
            if time.monotonic() >= next_line:
                self.trickle()
                next_line += 1
            self.top_up()
        print("opened %d" % self.opened, flush=True)


def main():
    port, idle, slow = (int(a) for a in sys.argv[1:4])
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    stdin = selectors.DefaultSelector()
    stdin.register(sys.stdin, selectors.EVENT_READ)

    def stop():
        if stopping:
            return True
        if stdin.select(timeout=0) and not sys.stdin.readline():
            stopping.append(1)
        return bool(stopping)

    Holder(port, idle, slow).run(stop)


if __name__ == "__main__":
    main()
