"""The restore drill (docs/backup-and-restore.md): back up a running server under write load,
restore into a fresh folder, start a server on it, and find every answer acknowledged before
the backup began; and a backup to a bad target fails with a clear message and leaves nothing.

The drill: `serve --demo` on a temporary data folder; WHO-5 invitations made with
`byneed invite` while it runs; submitter threads answer them through real HTTP (the page POST,
then the submit POST; an answer counts as acknowledged when the submit got its 303 to the
receipt). Once some are acknowledged, the set of acknowledged links is frozen and
`byneed backup` starts, while the threads keep submitting (a few links held back until the
backup returned show the server still takes answers afterwards). Then the server stops,
`byneed restore` puts the backup into a fresh folder, and a server started there must show
each frozen link's receipt, with its response stored exactly once and `integrity_check` ok.
Needs the debug build (`swift build`), like conftest.
"""
import os
import resource
import signal
import sqlite3
import subprocess
import time
import urllib.parse
import http.client

import pytest

from conftest import BINARY, ROOT, Server, run_byneed
from test_fault_kill9 import Load, invite, stored_tokens, token_of

INVITATIONS = 100
SUBMITTERS = 6


def receipt_status(base_url, token):
    """GET of the token's receipt page: the status and the page text."""
    address = urllib.parse.urlparse(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=20)
    try:
        connection.request("GET", f"/q/{token}/receipt?lang=da")
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def leftovers(folder, name):
    """Files in `folder` whose name starts with `name` (a target and its temporary files)."""
    return sorted(entry for entry in os.listdir(folder) if entry.startswith(name))


def test_restore_drill_finds_every_answer_acknowledged_before_the_backup(tmp_path):
    started = time.monotonic()
    data_dir = tmp_path / "data"
    server = Server(data_dir)
    load = Load()
    tokens = [token_of(server.who5_link)] + invite(data_dir, INVITATIONS)
    reserve = invite(data_dir, 3)
    load.add(tokens)
    load.start(server.base_url, SUBMITTERS)
    load.wait_for_acknowledgements(INVITATIONS // 5)
    with load.lock:
        before_backup = set(load.acknowledged)
        acknowledged_at_start = load.first_acknowledgements
    backup = tmp_path / "backups" / "byneed.sqlite"
    backup.parent.mkdir()
    result = run_byneed("backup", str(backup), "--data-dir", str(data_dir))
    with load.lock:
        acknowledged_at_end = load.first_acknowledgements
    # Links held back until now: the server still takes answers after the backup.
    load.add(reserve)
    tokens += reserve
    load.wait_for_acknowledgements(acknowledged_at_end + 1)
    load.finish()
    assert server.stop() == 0, "".join(server.output)
    assert result.returncode == 0, result.stderr
    assert "Backup written" in result.stdout
    assert leftovers(backup.parent, "") == ["byneed.sqlite", "byneed.sqlite.json"]
    assert set(load.statuses) <= {303}, f"unexpected statuses {sorted(set(load.statuses))}"

    fresh = tmp_path / "restored"
    result = run_byneed("restore", str(backup), "--data-dir", str(fresh))
    assert result.returncode == 0, result.stderr
    assert "SHA-256 matches the sidecar" in result.stdout
    assert leftovers(fresh, "") == ["byneed.sqlite"]

    restored = Server(fresh)
    try:
        database = restored.database()
        try:
            assert database.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            stored = stored_tokens(database, tokens)
        finally:
            database.close()
        missing = [token for token in before_backup if stored.get(token) != 1]
        assert not missing, f"{len(missing)} of {len(before_backup)} answers acknowledged before the backup are not restored"
        for token in before_backup:
            status, page = receipt_status(restored.base_url, token)
            assert status == 200 and "dine svar er modtaget" in page, f"no receipt after restore ({status})"
    finally:
        assert restored.stop() == 0, "".join(restored.output)
    print(f"{len(before_backup)} answers acknowledged before the backup, "
          f"{acknowledged_at_end - acknowledged_at_start} while it ran, {len(stored)} restored, "
          f"{load.first_acknowledgements} acknowledged in all, {time.monotonic() - started:.1f} s")


@pytest.fixture(scope="module")
def stopped_data_dir(tmp_path_factory):
    """A data folder with the demo data, its server stopped."""
    data_dir = tmp_path_factory.mktemp("bad-targets") / "data"
    assert Server(data_dir).stop() == 0
    return data_dir


def ignore_file_size_signal_and_limit(size):
    """For preexec_fn: files may grow to `size` bytes; beyond, write(2) fails with EFBIG
    (SIGXFSZ ignored, so the process is not killed)."""
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return apply


def test_backup_into_a_path_under_a_regular_file_fails_and_leaves_nothing(tmp_path, stopped_data_dir):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    target = blocker / "byneed.sqlite"
    result = run_byneed("backup", str(target), "--data-dir", str(stopped_data_dir))
    assert result.returncode == 1
    assert str(target) in result.stderr and "Not a directory (ENOTDIR)" in result.stderr
    assert leftovers(tmp_path, "") == ["not-a-folder"]


def test_backup_that_hits_the_file_size_limit_midway_fails_and_leaves_nothing(tmp_path, stopped_data_dir):
    """64 KiB: room for the reader's 32 KiB shared-memory index, not for the copy (over 200 KiB)."""
    target = tmp_path / "byneed.sqlite"
    result = subprocess.run([str(BINARY), "backup", str(target), "--data-dir", str(stopped_data_dir)],
                            cwd=ROOT, capture_output=True, text=True, timeout=60,
                            preexec_fn=ignore_file_size_signal_and_limit(64 * 1024))
    assert result.returncode == 1, result.stdout
    assert str(target) in result.stderr and "File too large (EFBIG)" in result.stderr, result.stderr
    assert leftovers(tmp_path, "") == []


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 64 KiB tmpfs (needs root and mount(2)); skips when it cannot be mounted."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(mount_point)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


@pytest.mark.parametrize("condition", ["full", "read-only"])
def test_backup_to_a_full_or_read_only_disk_fails_clearly_and_leaves_nothing(small_tmpfs, stopped_data_dir, condition):
    if condition == "full":
        expected = "the disk is full"
    else:
        subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], check=True)
        expected = "Read-only file system (EROFS)"
    target = small_tmpfs / "byneed.sqlite"
    result = run_byneed("backup", str(target), "--data-dir", str(stopped_data_dir))
    assert result.returncode == 1, result.stdout
    assert str(target) in result.stderr and expected in result.stderr, result.stderr
    assert leftovers(small_tmpfs, "") == []


def test_restore_refuses_while_the_server_runs_and_changes_nothing(tmp_path):
    server = Server(tmp_path / "data")
    try:
        backup = tmp_path / "byneed-backup.sqlite"
        assert run_byneed("backup", str(backup), "--data-dir", str(server.data_dir)).returncode == 0
        files_before = leftovers(server.data_dir, "")
        result = run_byneed("restore", str(backup), "--data-dir", str(server.data_dir))
        assert result.returncode == 1
        assert "in use by another process" in result.stderr, result.stderr
        assert leftovers(server.data_dir, "") == files_before
        status, _ = receipt_status(server.base_url, token_of(server.who5_link))
        assert status == 303, "the running server no longer answers from its own database"
    finally:
        assert server.stop() == 0, "".join(server.output)
