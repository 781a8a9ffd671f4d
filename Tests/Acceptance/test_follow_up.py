"""Need-based follow-up end to end: a patient enrolled with the CLI gets the plan's invitation by
e-mail through a real SMTP server (aiosmtpd), opens the link from the mail, and asks to be
contacted; a relay failure is recorded for staff and retried."""
import datetime
import json
import pathlib
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from conftest import ROOT, Server, run_byneed

SINK = ROOT / "Tests" / "Acceptance" / "support" / "smtp_sink.py"
DEMO_SOR = "999999999999999"


class SMTPSink:
    """Tests/Acceptance/support/smtp_sink.py: every accepted message lands in `directory`."""

    def __init__(self, directory):
        self.directory = pathlib.Path(directory)
        self.directory.mkdir()
        self.process = subprocess.Popen([sys.executable, str(SINK), str(self.directory)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ready = self.process.stdout.readline().strip()
        assert ready.startswith("READY "), ready
        self.port = int(ready.split()[1])

    def messages(self, count, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = sorted(self.directory.glob("*.json"), key=lambda p: int(p.stem))
            if len(found) >= count:
                return [json.loads(p.read_text()) for p in found]
            time.sleep(0.2)
        raise AssertionError("the sink received %d of %d messages" % (len(list(self.directory.glob("*.json"))), count))

    def stop(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)


@pytest.fixture
def sink(tmp_path):
    running = SMTPSink(tmp_path / "mail")
    yield running
    running.stop()


@pytest.fixture
def follow_up_server(tmp_path, sink):
    running = Server(tmp_path / "data", extra=("--smtp-host", "127.0.0.1", "--smtp-port", str(sink.port),
                                               "--mail-from", "noreply@byneed.test", "--jobs-interval", "1",
                                               "--send-hour", "0"))
    yield running
    assert running.stop() == 0, "".join(running.output)


def enrol(server, cpr, email, name="Testperson"):
    today = datetime.date.today().isoformat()
    result = run_byneed("enrol", "--cpr", cpr, "--name", name, "--email", email, "--plan", "epilepsy-standard",
                        "--start", today, "--department-sor", DEMO_SOR, "--data-dir", str(server.data_dir))
    assert result.returncode == 0, result.stderr
    return result


def test_an_enrolled_patient_gets_the_invitation_by_mail_and_can_ask_for_contact(follow_up_server, sink):
    enrol(follow_up_server, "0101701234", "patient@example.dk", name="Ærlige Åse")
    message = sink.messages(1)[0]
    assert message["subject"] == "Nyt spørgeskema fra Demo-epilepsiklinikken"
    assert message["toAddress"] == "patient@example.dk" and message["fromAddress"] == "noreply@byneed.test"
    assert "Kære Ærlige Åse" in message["text"] and "70 10 20 30" in message["text"]
    link = re.search(r"(http://\S+/q/[A-Za-z0-9_-]{43})", message["text"]).group(1)
    assert link.startswith(follow_up_server.base_url)

    with urllib.request.urlopen(link, timeout=10) as response:
        page = response.read().decode()
    assert response.status == 200 and "Epilepsi" in page

    body = urllib.parse.urlencode({"lang": "da", "message": "Jeg har fået nye anfald"}).encode()
    with urllib.request.urlopen(urllib.request.Request(link + "/contact", data=body), timeout=10) as response:
        assert "Vi har modtaget din besked" in response.read().decode()

    database = follow_up_server.database()
    delivered = database.execute("SELECT state, message_json FROM outbox").fetchall()
    assert delivered == [("delivered", None)], "a delivered message keeps no link"
    assert database.execute("SELECT message FROM contact_requests").fetchall() == [("Jeg har fået nye anfald",)]
    database.close()


def test_a_relay_failure_is_recorded_and_retried_not_lost(follow_up_server, sink):
    enrol(follow_up_server, "0101701234", "tempfail@example.dk")
    deadline = time.monotonic() + 20
    database = follow_up_server.database()
    while time.monotonic() < deadline:
        attempts = database.execute("SELECT outcome, detail FROM outbox_attempts").fetchall()
        if attempts:
            break
        time.sleep(0.2)
    state, error = database.execute("SELECT state, last_error FROM outbox").fetchone()
    database.close()
    assert attempts and attempts[0][0] == "transient" and "451" in attempts[0][1]
    assert state == "pending" and "451" in error, "waiting for its retry, and staff can see why"
    assert list(sink.directory.glob("*.json")) == []


def test_enrolment_with_an_invalid_cpr_is_refused_and_stores_nothing(follow_up_server):
    result = run_byneed("enrol", "--cpr", "3102901234", "--name", "X", "--email", "x@example.dk", "--plan", "epilepsy-standard",
                        "--start", "2027-01-04", "--department-sor", DEMO_SOR, "--data-dir", str(follow_up_server.data_dir))
    assert result.returncode == 1 and "310290" in result.stderr
    unknown_plan = run_byneed("enrol", "--cpr", "0101701234", "--name", "X", "--email", "x@example.dk", "--plan", "nope",
                              "--start", "2027-01-04", "--department-sor", DEMO_SOR, "--data-dir", str(follow_up_server.data_dir))
    assert unknown_plan.returncode == 1 and "nope" in unknown_plan.stderr
    database = follow_up_server.database()
    assert database.execute("SELECT count(*) FROM enrolments").fetchone() == (0,)
    database.close()
