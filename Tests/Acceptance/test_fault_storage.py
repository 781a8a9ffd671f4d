"""Storage faults under a running server: an immutable database file, a database locked by
another process, a full disk.

In each case a patient's POST is answered 503 with Retry-After and a page saying this page was
not saved (never a 2xx or 303 for a write that did not happen, never a 500), pages are still
shown, `/readyz` says not ready, and the same POST succeeds by itself once the condition
clears, after which the questionnaire is submitted and stored exactly once.

How each condition is made real when the tests run as root (as CI does, where chmod does not
stop anything):
- read-only: `chattr +i` on the database file and its WAL (an immutable inode refuses writes
  even through descriptors opened before; root needs CAP_LINUX_IMMUTABLE and a file system with
  inode flags, ext4/xfs/btrfs). The `-shm` file stays writable on purpose: SQLite maps it into
  memory, and a write fault on an immutable mapping kills the process with SIGBUS, which no
  server can answer. SQLite reports these writes as I/O errors.
- locked: Python's sqlite3 holds `BEGIN EXCLUSIVE` on the file, past byneed's 5 s busy timeout.
- disk full: the data folder is a 4 MiB tmpfs (`mount -t tmpfs`, needs CAP_SYS_ADMIN); the WAL
  is truncated by a checkpoint, so the next commit must grow it, and a filler file takes the
  rest of the space.
A condition that cannot be made here is skipped with the reason.
"""
import errno
import hashlib
import http.client
import json
import shutil
import sqlite3
import subprocess
import time
import urllib.parse

import pytest

from conftest import Server
from test_fault_kill9 import PAGE_BODY, token_of


class Patient:
    """One WHO-5 link of a running server, used over plain HTTP."""

    def __init__(self, server):
        self.server = server
        self.token = token_of(server.who5_link)
        address = urllib.parse.urlparse(server.base_url)
        self.host, self.port = address.hostname, address.port

    def request(self, method, path, body=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
        finally:
            connection.close()

    def save_page(self):
        return self.request("POST", f"/q/{self.token}", PAGE_BODY)

    def show_page(self):
        return self.request("GET", f"/q/{self.token}")[0]

    def readiness(self):
        status, _, body = self.request("GET", "/readyz")
        return status, json.loads(body)["checks"]

    def stored(self, table):
        """Rows of `table` (drafts or questionnaire_responses) for this link, read-only."""
        database = self.server.database()
        try:
            return database.execute(f"""
                SELECT count(*) FROM {table} AS t JOIN invitations AS i ON i.id = t.invitation_id
                WHERE i.token_hash = ?""", (hashlib.sha256(self.token.encode()).digest(),)).fetchone()[0]
        finally:
            database.close()

    def assert_refused(self, reason):
        """The page POST is refused with a clear 503, nothing is stored, pages still show."""
        status, headers, body = self.save_page()
        assert status == 503, (status, body[:300])
        assert int(headers["retry-after"]) > 0
        assert "Der er travlt lige nu" in body and "blev ikke gemt" in body
        assert self.show_page() == 200, "pages are still shown"
        ready, checks = self.readiness()
        assert ready == 503 and checks["database"] != "ok", checks
        assert self.stored("drafts") == 0, "a refused page left a draft"
        deadline = time.monotonic() + 10
        while not any('"event":"storage-unavailable"' in line and f'"reason":"{reason}"' in line
                      for line in self.server.output):
            assert time.monotonic() < deadline, "".join(self.server.output[-20:])
            time.sleep(0.05)

    def assert_recovered(self):
        """The same POST now works, the submission is acknowledged and stored once."""
        status, headers, _ = self.save_page()
        assert status == 303 and headers["location"].startswith(f"/q/{self.token}?p=review")
        status, headers, _ = self.request("POST", f"/q/{self.token}/submit", "lang=da")
        assert (status, headers["location"]) == (303, f"/q/{self.token}/receipt?lang=da")
        assert self.stored("questionnaire_responses") == 1
        assert not any('"event":"incident"' in line for line in self.server.output), "no 500 on the way"


@pytest.fixture
def running(tmp_path):
    server = Server(tmp_path / "data")
    yield server
    assert server.stop() == 0, "".join(server.output)


def chattr(flag, *paths):
    return subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True, text=True)


def test_immutable_database_file_is_503_and_recovers_when_writable_again(running):
    if shutil.which("chattr") is None:
        pytest.skip("chattr is missing (Debian package e2fsprogs)")
    patient = Patient(running)
    assert patient.show_page() == 200
    files = [running.data_dir / "byneed.sqlite", running.data_dir / "byneed.sqlite-wal"]
    made = chattr("+i", *files)
    if made.returncode != 0:
        pytest.skip(f"cannot make the database immutable here: {made.stderr.strip()} "
                    "(needs root with CAP_LINUX_IMMUTABLE on ext4, xfs or btrfs)")
    try:
        patient.assert_refused("io-error")
    finally:
        assert chattr("-i", *files).returncode == 0
    patient.assert_recovered()


def test_database_locked_by_another_process_is_503_and_recovers_when_released(running):
    patient = Patient(running)
    holder = sqlite3.connect(running.data_dir / "byneed.sqlite", isolation_level=None, timeout=10)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        patient.assert_refused("busy")
    finally:
        holder.close()
    patient.assert_recovered()


def test_full_disk_is_503_and_recovers_when_space_is_freed(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(data)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()} (needs root with CAP_SYS_ADMIN)")
    try:
        server = Server(data)
        try:
            patient = Patient(server)
            assert patient.show_page() == 200
            checkpoint = sqlite3.connect(data / "byneed.sqlite", isolation_level=None, timeout=10)
            try:
                assert checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
            finally:
                checkpoint.close()
            filler = data / "filler"
            with open(filler, "wb", buffering=0) as handle:
                try:
                    while True:
                        handle.write(b"\0" * 65536)
                except OSError as error:
                    assert error.errno == errno.ENOSPC
            try:
                patient.assert_refused("disk-full")
            finally:
                filler.unlink()
            patient.assert_recovered()
        finally:
            assert server.stop() == 0, "".join(server.output)
    finally:
        subprocess.run(["umount", str(data)], capture_output=True)
