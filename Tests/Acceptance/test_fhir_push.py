"""Push end to end (issue 6): `byneed serve --demo --jobs-interval 1`, an API client and a FHIR
Subscription with a rest-hook channel, a real HTTP receiver; answers given in the web form
arrive signed; while the receiver is down nothing is lost, and after it returns every delivery
arrives (at least once, exactly once after deduplicating by X-ByNeed-Delivery)."""

import hashlib
import hmac
import http.server
import json
import re
import threading
import time

import pytest

from conftest import Server, run_byneed
from test_fhir_api import DEMO_CPR, DEMO_SOR, WHO5, raw, who5_answers
from test_cli import submit_demo


class Receiver:
    """An http.server on a fixed port that records every POST; can be stopped and restarted."""

    def __init__(self, port=0):
        self.received = []
        self.lock = threading.Lock()
        self.start(port)

    def start(self, port):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    receiver.received.append((dict(self.headers), body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *arguments):
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", port), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def by_id(self):
        with self.lock:
            return {headers["X-ByNeed-Delivery"]: (headers, body) for headers, body in self.received}


def wait_for(predicate, timeout=40):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def push_server(tmp_path):
    running = Server(tmp_path / "data", extra=("--jobs-interval", "1"))
    yield running
    assert running.stop() == 0, "".join(running.output)


def invite(server):
    result = run_byneed("invite", "--cpr", DEMO_CPR, "--questionnaire", WHO5, "--data-dir", str(server.data_dir),
                        "--public-url", server.base_url)
    assert result.returncode == 0, result.stderr
    return next(line for line in result.stdout.splitlines() if line.startswith("Patient link: ")).split(": ", 1)[1]


def test_subscribers_receive_signed_notifications_and_nothing_is_lost_while_they_are_down(push_server):
    import datetime
    server = push_server
    result = run_byneed("enrol", "--cpr", DEMO_CPR, "--name", "Nancy Berggren", "--plan", "epilepsy-standard", "--start",
                        datetime.date.today().isoformat(), "--department-sor", DEMO_SOR, "--letter", "--data-dir", str(server.data_dir))
    assert result.returncode == 0, result.stderr
    result = run_byneed("client", "add", "--org", DEMO_SOR, "--scopes", "system/Subscription.write",
                        "--data-dir", str(server.data_dir))
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip().splitlines()[-1]

    receiver = Receiver()
    subscription = {"resourceType": "Subscription", "status": "requested", "reason": "new results",
                    "criteria": "QuestionnaireResponse",
                    "channel": {"type": "rest-hook", "endpoint": f"http://127.0.0.1:{receiver.port}/hook",
                                "payload": "application/fhir+json"}}
    status, headers, created = raw(server, "Subscription", token, method="POST", body=json.dumps(subscription).encode())
    assert status == 201, created
    secret = headers["X-ByNeed-Subscription-Secret"]
    assert created["extension"][0]["valueString"] == secret
    assert created["channel"]["payload"] == "application/fhir+json"
    with server.database() as db:
        audited = db.execute("SELECT actor_kind, outcome FROM audit_events WHERE what = ?",
                             (f"Subscription/{created['id']}",)).fetchall()
    assert audited == [("api-client", "created")]

    submit_demo(server.who5_link, who5_answers(0))
    assert wait_for(lambda: len(receiver.by_id()) == 1), "no delivery arrived"
    (headers, body), = receiver.by_id().values()
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-ByNeed-Signature"] == expected
    bundle = json.loads(body)
    assert bundle["entry"][0]["resource"]["resourceType"] == "QuestionnaireResponse"

    receiver.stop()
    links = [invite(server) for _ in range(2)]
    for index, link in enumerate(links, start=1):
        submit_demo(link, who5_answers(index))
    time.sleep(2)
    failing = run_byneed("client", "deliveries", "--data-dir", str(server.data_dir))
    assert failing.returncode == 0, failing.stderr
    assert re.search(r"pending\t1 attempts", failing.stdout), failing.stdout

    receiver.start(receiver.port)
    assert wait_for(lambda: len(receiver.by_id()) == 3), f"deliveries after the receiver returned: {receiver.by_id().keys()}"
    for headers, body in receiver.by_id().values():
        assert headers["X-ByNeed-Signature"] == "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    receiver.stop()


@pytest.mark.parametrize("criteria, endpoint, payload", [
    ("Observation", "http://127.0.0.1:9/hook", None),
    ("QuestionnaireResponse?_triage=purple", "http://127.0.0.1:9/hook", None),
    ("QuestionnaireResponse", "mailto:someone@example.dk", None),
    ("QuestionnaireResponse", "http://127.0.0.1:9/hook", "text/plain"),
])
def test_a_subscription_the_server_cannot_honour_is_refused_with_400(server, criteria, endpoint, payload):
    result = run_byneed("client", "add", "--org", DEMO_SOR, "--scopes", "system/Subscription.write", "--data-dir", str(server.data_dir))
    token = result.stdout.strip().splitlines()[-1]
    channel = {"type": "rest-hook", "endpoint": endpoint}
    if payload:
        channel["payload"] = payload
    subscription = {"resourceType": "Subscription", "status": "requested", "criteria": criteria, "channel": channel}
    status, _, outcome = raw(server, "Subscription", token, method="POST", body=json.dumps(subscription).encode())
    assert status == 400 and outcome["resourceType"] == "OperationOutcome"


def test_subscribing_needs_the_subscription_write_scope(server):
    result = run_byneed("client", "add", "--org", DEMO_SOR, "--scopes", "system/QuestionnaireResponse.read",
                        "--data-dir", str(server.data_dir))
    token = result.stdout.strip().splitlines()[-1]
    subscription = {"resourceType": "Subscription", "status": "requested", "criteria": "QuestionnaireResponse",
                    "channel": {"type": "rest-hook", "endpoint": "http://127.0.0.1:9/hook"}}
    status, _, _ = raw(server, "Subscription", token, method="POST", body=json.dumps(subscription).encode())
    assert status == 403
