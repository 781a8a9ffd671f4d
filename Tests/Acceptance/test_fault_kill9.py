"""Crash safety of submissions: the server is killed with SIGKILL under load, again and again.

Each cycle: invitations are created with `byneed invite` while the server is stopped; the
server (`serve --demo`) starts on the same data folder; N submitter threads answer WHO-5
(the page POST, then the final submit POST) as fast as they can, also resuming links a kill
interrupted and replaying links already submitted (which must change nothing). At a random
moment the server gets SIGKILL: after a random number of this cycle's links were
acknowledged, plus a random few milliseconds, so the kill lands while real submissions are
being written. Then, with the server dead, the SQLite file is opened read-only and must show:
every submission acknowledged with the 303 to the receipt stored exactly once, no response
without its answer rows and triage row, no draft left beside a response, and
`PRAGMA integrity_check` ok. A submission stored but not acknowledged (killed between COMMIT
and the reply) is allowed; the reverse never is.

20 cycles by default (about 30 s on 2 cores); BYNEED_FAULT_CYCLES=200 runs the long form.
BYNEED_FAULT_SUBMITTERS sets the number of threads (default 8), BYNEED_FAULT_SEED replays the
random kill moments of a printed seed (run with -s to see it). Needs the debug build
(`swift build`), like conftest.
"""
import hashlib
import http.client
import json
import os
import random
import sqlite3
import subprocess
import threading
import time
import urllib.parse

from conftest import BINARY, ROOT, Server

CYCLES = int(os.environ.get("BYNEED_FAULT_CYCLES", "20"))
SUBMITTERS = int(os.environ.get("BYNEED_FAULT_SUBMITTERS", "8"))
FRESH_PER_CYCLE = 12
WHO5_URL = "http://byneed.dk/fhir/Questionnaire/who5"
DEMO_CPR = "2512489996"


def who5_page_body():
    """The form body of WHO-5's only page: every choice answered with its second option."""
    definition = json.loads((ROOT / "Questionnaires" / "who5.json").read_text())

    def choices(items):
        for item in items:
            if item["type"] == "choice":
                yield item["linkId"]
            yield from choices(item.get("item", []))

    fields = [("a." + link_id, "1") for link_id in choices(definition["item"])]
    return urllib.parse.urlencode(fields + [("page", "1"), ("lang", "da"), ("action", "next")])


PAGE_BODY = who5_page_body()


def token_of(link):
    return link.rsplit("/q/", 1)[1].strip()


def token_hash(token):
    return hashlib.sha256(token.encode()).digest()


def invite(data_dir, count):
    """Creates `count` WHO-5 invitations with the CLI (a few processes at a time) and returns their tokens."""
    tokens = []
    pending = count
    while pending:
        wave = [subprocess.Popen([str(BINARY), "invite", "--data-dir", str(data_dir), "--cpr", DEMO_CPR,
                                  "--questionnaire", WHO5_URL], cwd=ROOT, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(min(pending, 6))]
        for process in wave:
            out, err = process.communicate(timeout=60)
            assert process.returncode == 0, err
            tokens.append(token_of(out))
        pending -= len(wave)
    return tokens


class Load:
    """Submitter threads answering WHO-5 through real HTTP, recording what was acknowledged.

    A link whose flow was cut (no reply, reset, refused, 503) goes back to `unfinished` for a
    later cycle; a link whose submit POST was answered 303 to its receipt is `acknowledged`.
    When no fresh or unfinished link is left, a thread replays an acknowledged one: the page
    and submit POSTs must again lead to the receipt and store nothing new.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.fresh = []
        self.unfinished = []
        self.acknowledged = set()
        self.first_acknowledgements = 0
        self.statuses = []
        self.stop = threading.Event()
        self.threads = []

    def add(self, tokens):
        with self.lock:
            self.fresh.extend(tokens)

    def start(self, base_url, count):
        self.stop.clear()
        address = urllib.parse.urlparse(base_url)
        self.threads = [threading.Thread(target=self._submitter, args=(address.hostname, address.port), daemon=True)
                        for _ in range(count)]
        for thread in self.threads:
            thread.start()

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)
            assert not thread.is_alive(), "a submitter hung"

    def wait_for_acknowledgements(self, count, timeout=30):
        """Returns once `count` links were acknowledged for the first time since the load began."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.first_acknowledgements >= count:
                    return
            time.sleep(0.001)
        raise AssertionError(f"fewer than {count} submissions acknowledged in {timeout} s")

    def _next_token(self):
        with self.lock:
            if self.unfinished:
                return self.unfinished.pop(), False
            if self.fresh:
                return self.fresh.pop(), False
            if self.acknowledged:
                return random.choice(sorted(self.acknowledged)), True
        return None, False

    def _submitter(self, host, port):
        while not self.stop.is_set():
            token, replay = self._next_token()
            if token is None:
                time.sleep(0.01)
                continue
            try:
                acknowledged = self._submit(host, port, token)
            except (OSError, http.client.HTTPException):
                acknowledged = False
            with self.lock:
                if acknowledged and not replay:
                    self.first_acknowledgements += 1
                if acknowledged:
                    self.acknowledged.add(token)
                elif not replay:
                    self.unfinished.append(token)
            if not acknowledged:
                time.sleep(0.01)

    def _post(self, host, port, path, body):
        connection = http.client.HTTPConnection(host, port, timeout=20)
        try:
            connection.request("POST", path, body=body,
                               headers={"Content-Type": "application/x-www-form-urlencoded", "Connection": "close"})
            response = connection.getresponse()
            response.read()
            with self.lock:
                self.statuses.append(response.status)
            return response.status, response.getheader("Location", "")
        finally:
            connection.close()

    def _submit(self, host, port, token):
        """The page POST then the submit POST; true when the submit was acknowledged."""
        status, location = self._post(host, port, f"/q/{token}", PAGE_BODY)
        if status != 303:
            return False
        if location.startswith(f"/q/{token}/receipt"):
            return self._post(host, port, f"/q/{token}/submit", "lang=da") == (303, f"/q/{token}/receipt?lang=da")
        status, location = self._post(host, port, f"/q/{token}/submit", "lang=da")
        return status == 303 and location.startswith(f"/q/{token}/receipt")


def stored_tokens(database, tokens):
    """The tokens among `tokens` whose invitation has a stored response, with how many each."""
    by_hash = {token_hash(token): token for token in tokens}
    rows = database.execute("""
        SELECT invitations.token_hash, count(questionnaire_responses.id)
        FROM invitations JOIN questionnaire_responses ON questionnaire_responses.invitation_id = invitations.id
        GROUP BY invitations.id
        """).fetchall()
    return {by_hash[bytes(hash_)]: count for hash_, count in rows if bytes(hash_) in by_hash}


def assert_consistent(data_dir, acknowledged, tokens):
    """Checks the database as a crash (or a shutdown) left it, read-only."""
    database = sqlite3.connect(f"file:{data_dir / 'byneed.sqlite'}?mode=ro", uri=True)
    try:
        assert database.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert database.execute("PRAGMA foreign_key_check").fetchall() == []
        stored = stored_tokens(database, tokens)
        missing = [token for token in acknowledged if stored.get(token) != 1]
        assert not missing, f"{len(missing)} acknowledged submissions are not stored exactly once"
        partial = database.execute("""
            SELECT count(*) FROM questionnaire_responses AS r
            WHERE NOT EXISTS (SELECT 1 FROM response_answers AS a WHERE a.response_id = r.id)
               OR NOT EXISTS (SELECT 1 FROM response_triage AS t WHERE t.response_id = r.id)
               OR EXISTS (SELECT 1 FROM drafts AS d WHERE d.invitation_id = r.invitation_id)
            """).fetchone()[0]
        assert partial == 0, f"{partial} responses are partial (no answers, no triage, or a draft left)"
        return stored
    finally:
        database.close()


def test_acknowledged_submissions_survive_kill_9_in_every_cycle(tmp_path):
    data_dir = tmp_path / "data"
    seed = int(os.environ.get("BYNEED_FAULT_SEED", str(time.time_ns())))
    rng = random.Random(seed)
    first = Server(data_dir)
    assert first.stop() == 0
    load = Load()
    all_tokens = []
    cut_off = set()
    started = time.monotonic()
    for cycle in range(CYCLES):
        fresh = invite(data_dir, FRESH_PER_CYCLE)
        server = Server(data_dir)
        fresh.append(token_of(server.who5_link))
        all_tokens.extend(fresh)
        load.add(fresh)
        with load.lock:
            baseline = load.first_acknowledgements
        load.start(server.base_url, SUBMITTERS)
        load.wait_for_acknowledgements(baseline + rng.randint(0, FRESH_PER_CYCLE))
        time.sleep(rng.uniform(0, 0.005))
        server.process.kill()
        assert server.process.wait(timeout=30) == -9
        load.finish()
        stored = assert_consistent(data_dir, set(load.acknowledged), all_tokens)
        cut_off |= set(stored) - load.acknowledged
    assert load.first_acknowledgements >= CYCLES, "the load hardly ever got a submission through"
    assert set(load.statuses) <= {303}, f"unexpected statuses {sorted(set(load.statuses))}"
    print(f"seed {seed}: {CYCLES} cycles, {len(load.acknowledged)} acknowledged submissions "
          f"({len(cut_off)} stored but cut off before their reply), {len(load.statuses)} answered POSTs "
          f"in {time.monotonic() - started:.1f} s")
