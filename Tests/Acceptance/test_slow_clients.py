"""Slow clients cannot starve a normal one, and the server closes them by its own timeouts.

100 slowloris connections send a request head one byte a second and never finish it; 20 slow
bodies send a complete POST head, trickle a byte a second for 3 s and then fall silent. For
20 s a normal client loads a patient page again and again on fresh connections; its p99
latency must stay under 1 s. The server must close every slow connection itself with a 408:
the head deadline (`HTTPServerConfiguration.headerTimeout`, 10 s from accept) for slowloris,
the body idle deadline (`bodyTimeout`, 30 s of silence) for the bodies; afterwards
`byneed_http_open_connections` is back to the scraper's own connection. About 40 s in all.
"""
import http.client
import re
import select
import socket
import threading
import time
import urllib.parse

from test_fault_kill9 import token_of

SLOWLORIS = 100
SLOW_BODIES = 20
WINDOW = 20.0
TRICKLE = 3.0
DEADLINE = 38.0


class SlowConnection:
    """A socket that sends `payload` one byte per tick, for at most `trickle_for` seconds."""

    def __init__(self, address, head, payload, trickle_for):
        self.socket = socket.create_connection(address, timeout=5)
        self.socket.setblocking(False)
        if head:
            self.socket.sendall(head)
        self.payload = payload
        self.sent = 0
        self.started = time.monotonic()
        self.trickle_for = trickle_for
        self.received = b""
        self.closed = False

    def tick(self, now):
        if self.closed or now - self.started > self.trickle_for or self.sent >= len(self.payload):
            return
        try:
            self.socket.send(self.payload[self.sent:self.sent + 1])
            self.sent += 1
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            self.close()

    def read(self):
        try:
            chunk = self.socket.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if chunk:
            self.received += chunk
        else:
            self.close()

    def close(self):
        if not self.closed:
            self.closed = True
            self.socket.close()


def drive(connections, stop):
    """Sends one byte per connection per second and notices the server closing them."""
    next_tick = time.monotonic()
    while not stop.is_set():
        now = time.monotonic()
        if now >= next_tick:
            for connection in connections:
                connection.tick(now)
            next_tick = now + 1.0
        open_ones = [c for c in connections if not c.closed]
        if not open_ones:
            return
        readable, _, _ = select.select([c.socket for c in open_ones], [], [], 0.1)
        for connection in open_ones:
            if connection.socket in readable:
                connection.read()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def open_connections(host, port):
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.request("GET", "/metrics")
        body = connection.getresponse().read().decode()
    finally:
        connection.close()
    return int(re.search(r"^byneed_http_open_connections (\d+)$", body, re.M).group(1))


def test_slow_clients_are_closed_by_timeouts_while_a_normal_client_stays_fast(server):
    address = urllib.parse.urlparse(server.base_url)
    host, port = address.hostname, address.port
    token = token_of(server.who5_link)
    loris = [SlowConnection((host, port), b"", b"GET / HTTP/1.1\r\nHost: a\r\nX-Slow: " + b"a" * 200, DEADLINE)
             for _ in range(SLOWLORIS)]
    bodies = [SlowConnection((host, port),
                             (f"POST /q/{token} HTTP/1.1\r\nHost: a\r\n"
                              "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n").encode(),
                             b"a" * 100, TRICKLE)
              for _ in range(SLOW_BODIES)]
    started = time.monotonic()
    stop = threading.Event()
    driver = threading.Thread(target=drive, args=(loris + bodies, stop), daemon=True)
    driver.start()
    try:
        latencies = []
        while time.monotonic() - started < WINDOW:
            began = time.monotonic()
            connection = http.client.HTTPConnection(host, port, timeout=10)
            connection.request("GET", f"/q/{token}")
            response = connection.getresponse()
            response.read()
            connection.close()
            assert response.status == 200
            latencies.append(time.monotonic() - began)
        p99 = percentile(latencies, 0.99)
        print(f"{len(latencies)} normal requests in {WINDOW:.0f} s beside {SLOWLORIS + SLOW_BODIES} slow "
              f"connections: p50 {percentile(latencies, 0.5) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms")
        assert p99 < 1.0

        driver.join(timeout=max(0.0, DEADLINE - (time.monotonic() - started)))
        still_open = [c for c in loris + bodies if not c.closed]
        assert not still_open, f"{len(still_open)} slow connections were not closed by the server"
    finally:
        stop.set()
        driver.join(timeout=5)
        for connection in loris + bodies:
            connection.close()
    assert all(c.received.startswith(b"HTTP/1.1 408") for c in loris), "slowloris heads end in 408"
    assert all(c.received.startswith(b"HTTP/1.1 408") for c in bodies), "stalled bodies end in 408"
    assert open_connections(host, port) == 1, "only the scraper's own connection is left"
