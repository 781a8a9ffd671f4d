"""Push end to end (issue 6): `byneed serve --demo --jobs-interval 1`, an API client and a FHIR
Subscription with a rest-hook channel, a real HTTP receiver; answers given in the web form
arrive signed, carrying what a read returns; while the receiver is down nothing is lost, and
after it returns every delivery arrives (at least once, exactly once after deduplicating by
X-ByNeed-Delivery); a receiver that answers 500 or never answers does not hold up a healthy one;
subscriptions are read, searched and deleted as valid R4 resources."""

import hashlib
import hmac
import http.server
import json
import re
import threading
import time
import urllib.request

import pytest

from conftest import Server, run_byneed
from test_fhir_api import DEMO_CPR, DEMO_SOR, WHO5, raw, valid_r4, who5_answers
from test_cli import submit_demo


class Receiver:
    """An http.server on a fixed port that records every POST and answers 200, or `status`, or
    (hang=True) never until it is stopped; can be stopped and restarted."""

    def __init__(self, port=0, status=200, hang=False):
        self.received = []
        self.lock = threading.Lock()
        self.status = status
        self.hang = hang
        self.stopping = threading.Event()
        self.start(port)

    def start(self, port):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    receiver.received.append((dict(self.headers), body))
                if receiver.hang:
                    receiver.stopping.wait()
                    return
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *arguments):
                pass

        self.stopping.clear()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def by_id(self):
        with self.lock:
            return {headers["X-ByNeed-Delivery"]: (headers, body) for headers, body in self.received}

    def ids(self):
        with self.lock:
            return [headers["X-ByNeed-Delivery"] for headers, _ in self.received]


def wait_for(predicate, timeout=40):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


SUBSCRIBER_SCOPES = "system/Subscription.write,system/Subscription.read,system/QuestionnaireResponse.read"


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


def enrol(server):
    import datetime
    result = run_byneed("enrol", "--cpr", DEMO_CPR, "--name", "Nancy Berggren", "--plan", "epilepsy-standard", "--start",
                        datetime.date.today().isoformat(), "--department-sor", DEMO_SOR, "--letter", "--data-dir", str(server.data_dir))
    assert result.returncode == 0, result.stderr


def subscriber_token(server, scopes=SUBSCRIBER_SCOPES):
    result = run_byneed("client", "add", "--org", DEMO_SOR, "--scopes", scopes, "--data-dir", str(server.data_dir))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def subscribe(server, token, endpoint, payload="application/fhir+json", criteria="QuestionnaireResponse"):
    channel = {"type": "rest-hook", "endpoint": endpoint}
    if payload:
        channel["payload"] = payload
    subscription = {"resourceType": "Subscription", "status": "requested", "reason": "new results", "criteria": criteria,
                    "channel": channel}
    status, headers, created = raw(server, "Subscription", token, method="POST", body=json.dumps(subscription).encode())
    assert status == 201, created
    return created, headers["X-ByNeed-Subscription-Secret"]


def signed(secret, headers, body):
    return headers["X-ByNeed-Signature"] == "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_subscribers_receive_signed_notifications_and_nothing_is_lost_while_they_are_down(push_server):
    server = push_server
    enrol(server)
    token = subscriber_token(server)
    receiver = Receiver()
    created, secret = subscribe(server, token, f"http://127.0.0.1:{receiver.port}/hook")
    assert created["extension"][0]["valueString"] == secret
    assert created["channel"]["payload"] == "application/fhir+json"
    with server.database() as db:
        audited = db.execute("SELECT actor_kind, outcome FROM audit_events WHERE what = ?",
                             (f"Subscription/{created['id']}",)).fetchall()
    assert audited == [("api-client", "created")]

    submit_demo(server.who5_link, who5_answers(0))
    assert wait_for(lambda: len(receiver.by_id()) == 1), "no delivery arrived"
    (headers, body), = receiver.by_id().values()
    assert signed(secret, headers, body)
    bundle = valid_r4(json.loads(body))
    entry = bundle["entry"][0]
    # A history entry carries its request and response (R4 bdl-3, bdl-4).
    assert entry["request"] == {"method": "POST", "url": "QuestionnaireResponse"} and entry["response"]["status"] == "201 Created"
    resource_id = entry["fullUrl"].split("/")[-1]
    # The full payload is exactly what a read returns, meta included.
    status, _, read = raw(server, f"QuestionnaireResponse/{resource_id}", token)
    assert status == 200
    assert entry["resource"] == read and read["meta"]["versionId"] == "1"
    # The notification is in the audit log as a disclosure by the API client, with its legal basis.
    with server.database() as db:
        disclosed = db.execute("SELECT actor_kind, legal_basis, outcome FROM audit_events WHERE what = ?",
                               (f"QuestionnaireResponse/{resource_id} notification",)).fetchall()
    assert len(disclosed) == 1 and disclosed[0][0] == "api-client" and disclosed[0][1] and disclosed[0][2] == "delivered"

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
        assert signed(secret, headers, body)
    receiver.stop()


def test_a_failing_and_a_hanging_subscriber_do_not_hold_up_a_healthy_one(push_server):
    server = push_server
    enrol(server)
    token = subscriber_token(server)
    failing, hanging, healthy = Receiver(status=500), Receiver(hang=True), Receiver()
    try:
        # The failing and hanging ones subscribe first, so their notifications are queued first.
        for receiver in (failing, hanging):
            subscribe(server, token, f"http://127.0.0.1:{receiver.port}/hook", payload=None)
        _, secret = subscribe(server, token, f"http://127.0.0.1:{healthy.port}/hook")
        links = [server.who5_link] + [invite(server) for _ in range(2)]
        for index, link in enumerate(links):
            submit_demo(link, who5_answers(index))
        assert wait_for(lambda: len(healthy.by_id()) == 3, timeout=15), f"healthy receiver got {healthy.ids()}"
        time.sleep(2)
        ids = healthy.ids()
        assert len(ids) == len(set(ids)) == 3, f"each notification once: {ids}"
        assert all(signed(secret, headers, body) for headers, body in healthy.by_id().values())
        # The others were tried, and wait for their retries.
        assert failing.ids() and hanging.ids()
    finally:
        for receiver in (failing, hanging, healthy):
            receiver.stop()


def test_a_subscription_is_read_searched_and_deleted_as_valid_r4(push_server):
    server = push_server
    enrol(server)
    token = subscriber_token(server)
    other = subscriber_token(server)
    receiver = Receiver()
    try:
        created, secret = subscribe(server, token, f"http://127.0.0.1:{receiver.port}/hook",
                                    criteria="QuestionnaireResponse?_triage=red,yellow")
        subscription_id = created["id"]
        valid_r4(created)
        status, headers, read = raw(server, f"Subscription/{subscription_id}", token)
        assert status == 200 and headers["ETag"] == 'W/"1"'
        valid_r4(read)
        assert read["status"] == "active" and read["criteria"] == "QuestionnaireResponse?_triage=red,yellow"
        assert read["channel"] == {"type": "rest-hook", "endpoint": f"http://127.0.0.1:{receiver.port}/hook",
                                   "payload": "application/fhir+json"}
        assert secret not in json.dumps(read)
        status, _, bundle = raw(server, "Subscription?status=active", other)
        assert status == 200 and valid_r4(bundle)["total"] == 1
        status, _, bundle = raw(server, f"Subscription?_id={subscription_id}", token)
        assert [entry["resource"]["id"] for entry in bundle["entry"]] == [subscription_id]

        status, _, outcome = raw(server, f"Subscription/{subscription_id}", token, method="DELETE")
        assert status == 200 and valid_r4(outcome)["resourceType"] == "OperationOutcome"
        status, headers, read = raw(server, f"Subscription/{subscription_id}", token)
        assert status == 200 and valid_r4(read)["status"] == "off" and headers["ETag"] == 'W/"2"'
        status, _, again = raw(server, f"Subscription/{subscription_id}", token, method="DELETE")
        assert status == 200 and "already off" in again["issue"][0]["diagnostics"]
        status, _, bundle = raw(server, "Subscription?status=off", token)
        assert bundle["total"] == 1
        with server.database() as db:
            audited = db.execute("SELECT outcome FROM audit_events WHERE what = ? ORDER BY id",
                                 (f"Subscription/{subscription_id}",)).fetchall()
        assert audited == [("created",), ("turned off",)]
        status, _, _ = raw(server, "QuestionnaireResponse/x", token, method="DELETE")
        assert status == 405
    finally:
        receiver.stop()


def test_the_capability_statement_advertises_subscriptions(server):
    with urllib.request.urlopen(server.base_url + "/fhir/metadata", timeout=10) as response:
        statement = valid_r4(json.loads(response.read()))
    entry, = [resource for resource in statement["rest"][0]["resource"] if resource["type"] == "Subscription"]
    assert [interaction["code"] for interaction in entry["interaction"]] == ["create", "read", "search-type", "delete"]
    assert "X-ByNeed-Signature" in entry["documentation"] and "_triage=red,yellow" in entry["documentation"]


@pytest.mark.parametrize("criteria, endpoint, payload, status", [
    ("Observation", "http://127.0.0.1:9/hook", None, 400),
    ("QuestionnaireResponse?_triage=purple", "http://127.0.0.1:9/hook", None, 400),
    ("QuestionnaireResponse", "mailto:someone@example.dk", None, 400),
    ("QuestionnaireResponse", "http://127.0.0.1:9/hook", "text/plain", 400),
    ("QuestionnaireResponse", "https://system.example/hook", None, 422),
])
def test_a_subscription_the_server_cannot_honour_is_refused(server, criteria, endpoint, payload, status):
    token = subscriber_token(server, "system/Subscription.write")
    channel = {"type": "rest-hook", "endpoint": endpoint}
    if payload:
        channel["payload"] = payload
    subscription = {"resourceType": "Subscription", "status": "requested", "criteria": criteria, "channel": channel}
    answered, _, outcome = raw(server, "Subscription", token, method="POST", body=json.dumps(subscription).encode())
    assert answered == status and valid_r4(outcome)["resourceType"] == "OperationOutcome"
    if endpoint.startswith("https://"):
        assert "stunnel" in outcome["issue"][0]["diagnostics"]


def test_subscribing_needs_the_subscription_write_scope(server):
    token = subscriber_token(server, "system/QuestionnaireResponse.read")
    subscription = {"resourceType": "Subscription", "status": "requested", "criteria": "QuestionnaireResponse",
                    "channel": {"type": "rest-hook", "endpoint": "http://127.0.0.1:9/hook"}}
    status, _, _ = raw(server, "Subscription", token, method="POST", body=json.dumps(subscription).encode())
    assert status == 403
