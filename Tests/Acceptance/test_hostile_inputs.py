"""Hostile input on every route: path traversal towards files outside Public/, and SQL
metacharacters in every parameter of the patient and staff routes.

Static files are a table built at start (ARCHITECTURE.md, "Static files are a table"), so no
request can name a file on disk; these requests prove it from outside, over raw sockets so that
nothing normalises the path on the way (`..`, `%2e%2e`, double encoding, backslashes, NUL,
overlong UTF-8, absolute paths). Every answer is 400 or 404 and never carries a byte of a file
outside Public/.

SQL metacharacters (`'`, `";--`, `' OR '1'='1`, a NUL) go into tokens, ids, query parameters
and form fields. Every answer is a clear 4xx or a normal page (never 5xx), and afterwards the
database holds the same rows in its lasting tables and passes `PRAGMA integrity_check`. One
decision note full of SQL is stored, and must come back byte for byte.
"""
import datetime
import http.client
import re
import socket
import subprocess
import urllib.parse

import pytest

from conftest import BINARY, ROOT, Server

PASSWORD = "korrekt hest batteri klips"
DEMO_SOR = "999999999999999"  # Storage/DemoData.swift: the demo department
DEMO_ALL_TYPES = "http://byneed.dk/fhir/Questionnaire/demo-all-types"

# Tables whose rows legitimately change when pages are only looked at or refused: the audit
# trail of every staff read, staff sessions, and drafts (a page POST saves one by design).
VOLATILE_TABLE_MARKERS = ("audit", "session", "draft")


# MARK: Shared helpers (also used by test_hostile_xss.py)

class Client:
    """A tiny HTTP client that keeps cookies and sends paths exactly as given (no normalising)."""

    def __init__(self, base_url):
        parsed = urllib.parse.urlparse(base_url)
        self.host, self.port = parsed.hostname, parsed.port
        self.cookies = {}

    @property
    def origin(self):
        return f"http://{self.host}:{self.port}"

    def request(self, method, path, fields=None):
        headers = {"Host": f"{self.host}:{self.port}"}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=15)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                pair, _, attributes = header.partition(";")
                name, _, value = pair.strip().partition("=")
                if "max-age=0" in attributes.lower().replace(" ", ""):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
            return response.status, {k.lower(): v for k, v in response.getheaders()}, text
        finally:
            connection.close()

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, fields):
        return self.request("POST", path, fields)


def hidden(page, name):
    """The value of the first hidden input called `name` on a page."""
    found = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), page)
    assert found, f"no field {name!r} on the page"
    return found.group(1)


def add_staff(data_dir, username="karen"):
    added = subprocess.run([str(BINARY), "staff", "add", "--username", username, "--name", "Karen Nielsen",
                            "--department-sor", DEMO_SOR, "--role", "health-professional", "--password-stdin",
                            "--data-dir", str(data_dir)], cwd=ROOT, input=PASSWORD + "\n", capture_output=True,
                           text=True, timeout=60)
    assert added.returncode == 0, added.stderr


def enrol(data_dir, cpr, name, plan="epilepsy-standard"):
    today = datetime.date.today().isoformat()
    enrolled = subprocess.run([str(BINARY), "enrol", "--cpr", cpr, "--name", name, "--email", "p@example.org",
                               "--plan", plan, "--start", today, "--department-sor", DEMO_SOR,
                               "--data-dir", str(data_dir)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert enrolled.returncode == 0, enrolled.stderr


def invite(data_dir, cpr, questionnaire=DEMO_ALL_TYPES):
    """A new invitation for the patient with this CPR number; returns its path /q/<token>."""
    invited = subprocess.run([str(BINARY), "invite", "--cpr", cpr, "--questionnaire", questionnaire,
                              "--data-dir", str(data_dir)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert invited.returncode == 0, invited.stderr
    link = re.search(r"Patient link: (\S+)", invited.stdout).group(1)
    return urllib.parse.urlparse(link).path


def sign_in(base_url, username="karen"):
    """A Client with a staff session; returns it and the session's CSRF token."""
    client = Client(base_url)
    status, _, page = client.get("/staff/login")
    assert status == 200
    status, _, _ = client.post("/staff/login", [("csrf", hidden(page, "csrf")), ("lang", "da"),
                                                ("username", username), ("password", PASSWORD)])
    assert status == 303, "sign-in failed"
    status, _, page = client.get("/staff/worklist")
    assert status == 200
    return client, hidden(page, "csrf")


def patient_ids(data_dir):
    database = Server.database(type("S", (), {"data_dir": data_dir})())
    try:
        return [row[0] for row in database.execute("SELECT id FROM patients ORDER BY id")]
    finally:
        database.close()


@pytest.fixture
def hostile_server(tmp_path):
    data = tmp_path / "data"
    running = Server(data, extra=("--insecure-cookies",))
    add_staff(data)
    enrol(data, "0101701234", "Bent Browser")
    yield running
    assert running.stop() == 0, "".join(running.output)


# MARK: Path traversal

TRAVERSALS = [
    b"/static/../Package.swift",
    b"/static/../../../../etc/passwd",
    b"/static/%2e%2e/Package.swift",
    b"/static/%2E%2E/%2E%2E/etc/passwd",
    b"/static/.%2e/Package.swift",
    b"/static/%252e%252e/Package.swift",
    b"/static/..%2fPackage.swift",
    b"/static/..%2F..%2Fetc%2Fpasswd",
    b"/static/..\\Package.swift",
    b"/static/..%5cPackage.swift",
    b"/static/%5c..%5cPackage.swift",
    b"/static/app.css%00.txt",
    b"/static/app.css\x00",
    b"/static/%c0%ae%c0%ae/Package.swift",
    b"/static/%c0%af..%c0%afPackage.swift",
    b"/static/%e0%80%ae%e0%80%ae/Package.swift",
    b"/static//etc/passwd",
    b"/static/%2fetc%2fpasswd",
    b"/static/....//Package.swift",
    b"/static/./../Package.swift",
    b"/../../etc/passwd",
    b"//etc/passwd",
    b"/static/C:%5cwindows%5cwin.ini",
    b"/static/file:///etc/passwd",
]

# Fragments of files outside Public/ that must never be served.
SECRETS = [b"root:x:0:0", b"swift-tools-version", b"[fonts]", b"PRAGMA", b"SQLite format 3"]


def raw_exchange(server, request_line):
    parsed = urllib.parse.urlparse(server.base_url)
    with socket.create_connection((parsed.hostname, parsed.port), timeout=10) as connection:
        connection.sendall(b"GET " + request_line + b" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_real_static_file_is_served(hostile_server):
    answer = raw_exchange(hostile_server, b"/static/app.css")
    assert answer.startswith(b"HTTP/1.1 200 ")


@pytest.mark.parametrize("target", TRAVERSALS, ids=lambda t: t.decode("latin-1").replace("\x00", "NUL"))
def test_traversal_is_refused_and_serves_no_outside_file(hostile_server, target):
    answer = raw_exchange(hostile_server, target)
    status = int(answer.split(b" ", 2)[1])
    assert status in (400, 404), answer[:200]
    for secret in SECRETS:
        assert secret not in answer


def test_an_absolute_form_target_outside_static_is_refused(hostile_server):
    answer = raw_exchange(hostile_server, b"http://t/../../etc/passwd")
    assert int(answer.split(b" ", 2)[1]) in (400, 404)
    assert b"root:x:0:0" not in answer


# MARK: SQL metacharacters

SQL = ["'", "\";--", "' OR '1'='1", "1' OR '1'='1' --", "1; DROP TABLE patients;--", "\x00", "%00",
       "1 UNION SELECT name FROM sqlite_master--", "\\'", "0x27"]


def quoted(value):
    return urllib.parse.quote(value, safe="")


def lasting_rows(data_dir):
    """Row counts of every table that looking at pages must not change, and the integrity check."""
    database = Server.database(type("S", (), {"data_dir": data_dir})())
    try:
        tables = [row[0] for row in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        counts = {table: database.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables
                  if not any(marker in table for marker in VOLATILE_TABLE_MARKERS)}
        integrity = database.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        database.close()
    return counts, integrity


def assert_clear_answer(answer, what, signed_in=False):
    """A normal page or a clear 4xx, never 5xx; a signed-in client is never sent back to sign in
    (which would mean the request never reached the code under test)."""
    status, headers, _ = answer
    assert status < 500, f"{what} answered {status}"
    assert status in (200, 303, 400, 403, 404, 405, 409, 413, 422), f"{what} answered {status}"
    if signed_in and status == 303:
        assert not headers["location"].endswith("/staff/login"), f"{what} lost the session"


def test_sql_metacharacters_in_every_patient_parameter_change_nothing(hostile_server):
    data = hostile_server.data_dir
    link = invite(data, "0101701234")
    client = Client(hostile_server.base_url)
    status, _, page = client.get(link)
    assert status == 200
    page_field = hidden(page, "page")
    before = lasting_rows(data)
    for value in SQL:
        token = quoted(value)
        for method, path in [("GET", f"/q/{token}"), ("GET", f"/q/{token}/receipt"), ("GET", f"/q/{token}/contact"),
                             ("POST", f"/q/{token}"), ("POST", f"/q/{token}/submit"), ("POST", f"/q/{token}/contact"),
                             ("GET", f"{link}?p={token}&lang={token}"), ("GET", f"/q/{token}?p=review")]:
            answer = client.request(method, path, [("message", value)] if method == "POST" else None)
            assert_clear_answer(answer, f"{method} {path!r}")
        for fields in ([("page", value), ("lang", "da")], [("page", page_field), ("lang", value), ("action", value)],
                       [("page", page_field), ("a.clinic", value), ("a.diary-date", value), ("a.sleep", value),
                        ("a.had-symptoms", value)]):
            assert_clear_answer(client.post(link, fields), f"page POST {fields!r}")
        assert_clear_answer(client.post(link + "/submit", [("respondent", value), ("relation", value), ("lang", value)]),
                            "submit")
    assert lasting_rows(data) == before


def test_sql_metacharacters_in_every_staff_parameter_change_nothing(hostile_server):
    data = hostile_server.data_dir
    client, csrf = sign_in(hostile_server.base_url)
    patient = patient_ids(data)[-1]
    before = lasting_rows(data)
    worklist_parameters = ["plan", "category", "datefield", "from", "to", "assigned", "q", "sort", "dir"]
    for value in SQL:
        v = quoted(value)
        paths = [f"/staff/patients/{v}", f"/staff/patients/{v}/decide?subject=response-1",
                 f"/staff/patients/{patient}/decide?subject={v}&corrects={v}&back={v}",
                 f"/staff/letters/{v}", f"/staff/login?lang={v}", f"/staff/enrol?cpr={v}",
                 "/staff/worklist?" + "&".join(f"{name}={v}" for name in worklist_parameters)]
        paths += [f"/staff/worklist?{name}={v}" for name in worklist_parameters]
        for path in paths:
            assert_clear_answer(client.get(path), f"GET {path!r}", signed_in=True)
        posts = [
            (f"/staff/patients/{patient}/decide", [("csrf", csrf), ("subject", value), ("kind", value), ("note", value)]),
            (f"/staff/patients/{patient}/decide", [("csrf", csrf), ("subject", "response-1"), ("kind", value),
                                                    ("corrects", value), ("visit-date", value), ("next-due", value)]),
            (f"/staff/patients/{v}/decide", [("csrf", csrf), ("subject", "response-1"), ("kind", "no-action")]),
            (f"/staff/patients/{patient}/enrolments/{v}", [("csrf", csrf), ("action", value)]),
            (f"/staff/patients/{v}/paper", [("csrf", csrf), ("questionnaire", value)]),
            (f"/staff/patients/{patient}/paper", [("csrf", csrf), ("questionnaire", value), ("date", value)]),
            ("/staff/worklist/claim", [("csrf", csrf), ("subject", value), ("assignee", value), ("back", value)]),
            ("/staff/worklist/acknowledge", [("csrf", csrf), ("subject", value), ("back", value)]),
            ("/staff/enrol", [("csrf", csrf), ("cpr", value), ("name", "X"), ("email", value), ("plan", value),
                              ("start", value)]),
            (f"/staff/letters/{v}/posted", [("csrf", csrf)]),
            ("/staff/language", [("csrf", csrf), ("lang", value), ("back", value)]),
            (f"/staff/patients/{patient}/decide", [("csrf", value), ("subject", "response-1"), ("kind", "no-action")]),
        ]
        for path, fields in posts:
            assert_clear_answer(client.post(path, fields), f"POST {path!r} {fields!r}", signed_in=True)
        assert_clear_answer(Client(hostile_server.base_url).post("/staff/login", [("csrf", value), ("username", value),
                                                                                  ("password", value)]), "login")
    assert lasting_rows(data) == before


def test_a_decision_note_full_of_sql_is_stored_byte_for_byte(hostile_server):
    data = hostile_server.data_dir
    link = invite(data, "0101701234")
    client = Client(hostile_server.base_url)
    submit_demo_questionnaire(client, link, clinic="x", comment="y")
    staff, csrf = sign_in(hostile_server.base_url)
    database = hostile_server.database()
    response_id = database.execute("SELECT max(id) FROM questionnaire_responses").fetchone()[0]
    database.close()
    note = "Robert'); DROP TABLE patients;-- \" OR 1=1 \\' %00"
    status, _, _ = staff.post(f"/staff/patients/{patient_ids(data)[-1]}/decide",
                              [("csrf", csrf), ("subject", f"response-{response_id}"), ("kind", "no-action"),
                               ("note", note)])
    assert status == 303
    database = hostile_server.database()
    try:
        assert database.execute("SELECT note FROM decisions").fetchall() == [(note,)]
        assert database.execute("SELECT count(*) FROM patients").fetchone()[0] >= 1
        assert database.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        database.close()


# MARK: Answering the demo questionnaire over plain HTTP

def submit_demo_questionnaire(client, link, clinic, comment, relation=None):
    """Answers demo-all-types page by page (the required items, plus the free-text ones), then
    submits it; as a relative with `relation` when given. Returns the receipt path."""
    answers = {
        "a.clinic": clinic, "a.diary-date": datetime.date.today().isoformat(), "a.had-symptoms": "false",
        "a.doses": "0", "a.comment": comment, "a.contact-me": "false",
    }
    status, _, page = client.get(link)
    assert status == 200
    for _ in range(10):
        if 'name="respondent"' in page or "/submit" in page:
            break
        names = set(re.findall(r'name="(a\.[^"]+)"', page))
        fields = [("page", hidden(page, "page")), ("lang", "da")]
        fields += [(name, value) for name, value in answers.items() if name in names]
        status, headers, page = client.post(link, fields)
        assert status == 303, page
        status, _, page = client.get(urllib.parse.urlparse(headers["location"]).path + "?"
                                     + urllib.parse.urlparse(headers["location"]).query)
        assert status == 200
    fields = [("lang", "da")]
    fields += [("respondent", "proxy"), ("relation", relation)] if relation is not None else [("respondent", "patient")]
    status, headers, page = client.post(link + "/submit", fields)
    assert status == 303, page
    return headers["location"]
