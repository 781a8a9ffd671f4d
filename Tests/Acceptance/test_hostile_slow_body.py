"""A request body that trickles in one byte every 2 s never trips the body idle timeout
(`HTTPServerConfiguration.bodyTimeout`, 30 s of silence), but the whole-body deadline
(`bodyTotalTimeout`, 60 s from the end of the head) answers 408 and closes the connection.
About 60 s.
"""
import select
import socket
import time
import urllib.parse

from test_hostile_inputs import hostile_server  # noqa: F401 (fixture)

GAP = 2.0
BODY_TOTAL_TIMEOUT = 60.0
IDLE_TIMEOUT = 30.0
SLACK = 15.0


def test_a_trickling_body_is_answered_408_and_closed_within_the_deadline(hostile_server):  # noqa: F811
    link = urllib.parse.urlparse(hostile_server.patient_link)
    connection = socket.create_connection((link.hostname, link.port), timeout=5)
    connection.sendall(b"POST " + link.path.encode() + b" HTTP/1.1\r\nHost: t\r\n"
                       b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000\r\n\r\n")
    started = time.monotonic()
    received = b""
    closed = False
    while time.monotonic() - started < BODY_TOTAL_TIMEOUT + SLACK:
        readable, _, _ = select.select([connection], [], [], GAP)
        if readable:
            chunk = connection.recv(65536)
            if not chunk:
                closed = True
                break
            received += chunk
            continue
        try:
            connection.sendall(b"a")
        except OSError:
            closed = True
            break
    elapsed = time.monotonic() - started
    connection.close()
    assert closed, f"still open after {elapsed:.0f} s"
    assert received.startswith(b"HTTP/1.1 408 "), received[:100]
    assert b"connection: close" in received.lower()
    assert elapsed > IDLE_TIMEOUT + GAP, "closed by the idle timeout, not the whole-body deadline"
