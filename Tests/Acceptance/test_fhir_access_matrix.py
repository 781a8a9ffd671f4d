"""The access matrix over the FHIR API against the real server (issue 6, "Tests": "tokens of each
organisation kind against each patient kind, 100 % as the policy says").

`byneed serve --demo`; organisations and API clients made with the CLI for the responsible
hospital department A, another department B, a GP clinic, a municipal health unit and a municipal
social-services unit; thirteen patients enrolled with `byneed enrol` who answered WHO-5 in the web
form and made their sharing choices on their own sharing page (GP block × municipal-health block ×
social-services consent none/active/withdrawn, and one patient of department B). Every client
reads every resource of every patient, searches by every patient's CPR and pages through every
search naming no patient (where the demo patient, never enrolled, must not appear either). What
comes back, and the audit trail left behind, must be exactly what `may_read` says; `may_read` is
written from docs/access-policy.md, not from the server's code.
The clinicians' decisions are covered by the Swift matrix (FHIRAccessMatrixOverHTTPTests), since
no command records one."""

import concurrent.futures
import datetime
import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import Server, run_byneed
from test_cli import submit_demo

CPR_SYSTEM = "urn:oid:1.2.208.176.1.2"
MUNICIPALITY = "0101"
UNKNOWN_CPR = "0101899999"
UNKNOWN_ID = "unknown-id-0000"
PAGE_SIZE = 7
WHO5 = "http://byneed.dk/fhir/Questionnaire/who5"

# client → (SOR code, `department add --kind`, municipality); department A is the demo department.
ORGANISATIONS = {
    "department-A": ("999999999999999", None, None),
    "department-B": ("111111111111111", "hospital-department", None),
    "gp": ("200000000000001", "gp-clinic", None),
    "municipal-health": ("300000000000001", "municipal-health-unit", MUNICIPALITY),
    "social-services": ("400000000000001", "municipal-social-services-unit", MUNICIPALITY),
}

# The patient kinds: one of department B, then department A's GP block × health block × consent.
KINDS = [{"department": "B", "gp_blocked": False, "health_blocked": False, "consent": "none"}] + [
    {"department": "A", "gp_blocked": gp, "health_blocked": health, "consent": consent}
    for gp in (False, True) for health in (False, True) for consent in ("none", "active", "withdrawn")]

# Type → (the search parameter naming the patient by CPR, the kind of data to the policy).
TYPES = {
    "Patient": ("identifier", "identity"),
    "QuestionnaireResponse": ("patient:identifier", "results"),
    "Observation": ("patient:identifier", "results"),
    "ClinicalImpression": ("patient:identifier", "results"),
}


def may_read(client, kind, data):
    """docs/access-policy.md for API clients: a hospital department reads its own patients (a
    block does not bind the responsible department); the GP clinic and the municipal health unit
    read with a relation unless blocked; social services read results and identity only with an
    active consent, never decisions."""
    of_a = kind["department"] == "A"
    return {
        "department-A": of_a,
        "department-B": kind["department"] == "B",
        "gp": of_a and not kind["gp_blocked"],
        "municipal-health": of_a and not kind["health_blocked"],
        "social-services": of_a and data != "decisions" and kind["consent"] == "active",
    }[client]


def flipped(rule, client, kind):
    """`rule` with one cell turned around: what a mistake would look like."""
    return lambda asking, about, data: (not rule(asking, about, data)) if (asking, about) == (client, kind) else rule(asking, about, data)


def byneed(server, *arguments):
    result = run_byneed(*arguments, "--data-dir", str(server.data_dir))
    assert result.returncode == 0, result.stderr
    return result.stdout


def post_form(url, fields):
    with urllib.request.urlopen(urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode()), timeout=10) as response:
        assert response.status == 200


def fhir_get(url, token):
    """GET with the token; waits out a 429 as a well-behaved client does (Retry-After)."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"})
    while True:
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            if error.code != 429:
                return error.code, error.read().decode()
            time.sleep(int(error.headers.get("Retry-After", "1")))


@pytest.fixture
def world(tmp_path):
    """The server, the organisations, the patients with their rows as stored, and the clients."""
    server = Server(tmp_path / "data")
    try:
        for sor, kind, municipality in ORGANISATIONS.values():
            if kind:
                byneed(server, "department", "add", "--sor", sor, "--name", f"Org {sor}", "--phone", "1", "--kind", kind,
                       *(["--municipality", municipality] if municipality else []))
        with server.database() as database:
            department_ids = {client: database.execute("SELECT id FROM departments WHERE sor_code = ?", (sor,)).fetchone()[0]
                              for client, (sor, _, _) in ORGANISATIONS.items()}
        today = datetime.date.today().isoformat()
        patients = []
        for number, kind in enumerate(KINDS, start=1):
            cpr = f"01018{number:05d}"
            extra = ["--gp-sor", ORGANISATIONS["gp"][0], "--municipality", MUNICIPALITY] if kind["department"] == "A" else []
            byneed(server, "enrol", "--cpr", cpr, "--name", f"Patient {number}", "--plan", "epilepsy-standard", "--start", today,
                   "--department-sor", ORGANISATIONS[f"department-{kind['department']}"][0], "--letter", *extra)
            output = byneed(server, "invite", "--cpr", cpr, "--questionnaire", WHO5, "--public-url", server.base_url)
            link = next(line for line in output.splitlines() if line.startswith("Patient link: ")).split(": ", 1)[1]
            submit_demo(link, [[(f"a.item{item}", str((number + item) % 6)) for item in range(1, 6)]])
            choices = ([("block", "gp")] if kind["gp_blocked"] else []) + ([("block", "municipal-health")] if kind["health_blocked"] else [])
            choices += [] if kind["consent"] == "none" else [("consent", "social-services")]
            choices += [("withdraw-consent", "social-services")] if kind["consent"] == "withdrawn" else []
            for choice, client in choices:
                post_form(link + "/sharing", [("choice", choice), ("organisation", str(department_ids[client])), ("lang", "da")])
            patients.append({"kind": kind, "cpr": cpr, "rows": stored_rows(server, cpr)})
        clients = {}
        for client, (sor, _, _) in ORGANISATIONS.items():
            lines = byneed(server, "client", "add", "--org", sor, "--scopes", "system/*.read").strip().splitlines()
            clients[client] = (lines[0].split()[2], lines[-1])
        yield server, patients, clients
    finally:
        assert server.stop() == 0, "".join(server.output)


def stored_rows(server, cpr):
    """Every resource the API serves about the patient, as (type, id, kind of data), from the
    database and the documented id scheme (Patient/patient-<row>, obs-<response>-<item>,
    ci-triage-<response>)."""
    with server.database() as database:
        patient_id = database.execute("SELECT id FROM patients WHERE cpr = ?", (cpr,)).fetchone()[0]
        responses = database.execute("SELECT id, resource_id FROM questionnaire_responses WHERE patient_id = ?", (patient_id,)).fetchall()
        rows = [("Patient", f"patient-{patient_id}", "identity")]
        for response_id, resource_id in responses:
            rows.append(("QuestionnaireResponse", resource_id, "results"))
            rows += [("Observation", f"obs-{resource_id}-{link_id}", "results") for (link_id,) in database.execute(
                "SELECT link_id FROM response_scores WHERE response_id = ? AND value IS NOT NULL", (response_id,))]
            if database.execute("SELECT 1 FROM response_triage WHERE response_id = ?", (response_id,)).fetchone():
                rows.append(("ClinicalImpression", f"ci-triage-{resource_id}", "results"))
    return {"patient_id": patient_id, "rows": rows}


def ask(base, patients, client, token):
    """Everything one client is answered: reads, searches by CPR, searches naming no patient."""
    unknown_reads = {kind: fhir_get(f"{base}/fhir/{kind}/{UNKNOWN_ID}", token) for kind in TYPES}
    unknown_searches = {kind: fhir_get(f"{base}/fhir/{kind}?{parameter}={CPR_SYSTEM}%7C{UNKNOWN_CPR}", token)
                        for kind, (parameter, _) in TYPES.items()}
    reads = [(index, row, fhir_get(f"{base}/fhir/{row[0]}/{row[1]}", token))
             for index, patient in enumerate(patients) for row in patient["rows"]["rows"]]
    searches = [(index, kind, fhir_get(f"{base}/fhir/{kind}?{parameter}={CPR_SYSTEM}%7C{patient['cpr']}", token))
                for index, patient in enumerate(patients) for kind, (parameter, _) in TYPES.items()]
    everything = {}
    for kind in TYPES:
        pages, url = [], f"{base}/fhir/{kind}?_count={PAGE_SIZE}"
        while url and len(pages) < 50:
            pages.append(fhir_get(url, token))
            url = next((link["url"] for link in json.loads(pages[-1][1]).get("link", []) if link["relation"] == "next"), None)
        everything[kind] = pages
    return {"unknown_reads": unknown_reads, "unknown_searches": unknown_searches, "reads": reads, "searches": searches,
            "everything": everything}


def match_ids(bundle):
    return [entry["resource"]["id"] for entry in bundle.get("entry", []) if entry["search"]["mode"] == "match"]


def mismatches(patients, answers, audit, rule):
    """Every way the answers and the audit trail differ from `rule`, one line per failed check."""
    found = []
    for client, answer in answers.items():
        client_id = answer["client_id"]
        refused = 0
        for index, (kind, resource_id, data), (status, body) in answer["reads"]:
            patient = patients[index]
            allowed = rule(client, patient["kind"], data)
            where = f"{client} read {kind}/{resource_id} of {patient['kind']}"
            if allowed and (status != 200 or json.loads(body).get("id") != resource_id):
                found.append(f"{where}: {status}, expected 200 with the resource")
            unknown_status, unknown_body = answer["unknown_reads"][kind]
            if not allowed and (status != 404 or body.replace(resource_id, "{id}") != unknown_body.replace(UNKNOWN_ID, "{id}")
                                or json.loads(unknown_body)["resourceType"] != "OperationOutcome"):
                found.append(f"{where}: {status} {body}, expected the 404 of an unknown id")
            rows = [row for row in audit if row[0] == client_id and row[1] == patient["rows"]["patient_id"]]
            reads = [row for row in rows if row[2] == "read" and row[3] == f"{kind}/{resource_id}"]
            denials = [row for row in rows if row[2] == "denied" and row[4] == f"/fhir/{kind}/{resource_id}"]
            if (len(reads), len(denials)) != ((1, 0) if allowed else (0, 1)):
                found.append(f"{where}: {len(reads)} read and {len(denials)} denied audit rows")
            refused += 0 if allowed else 1
        denied = sum(1 for row in audit if row[0] == client_id and row[2] == "denied")
        if denied != refused:
            found.append(f"{client}: {denied} denied audit rows for {refused} refused reads")
        for index, kind, (status, body) in answer["searches"]:
            patient = patients[index]
            expected = {row[1] for row in patient["rows"]["rows"] if row[0] == kind and rule(client, patient["kind"], row[2])}
            bundle = json.loads(body) if status == 200 else {}
            if status != 200 or bundle.get("total") != len(expected) or set(match_ids(bundle)) != expected:
                found.append(f"{client} search {kind} by CPR of {patient['kind']}: {status} {body[:200]}, expected {len(expected)}")
            elif not expected and body.replace(patient["cpr"], "{cpr}") != answer["unknown_searches"][kind][1].replace(UNKNOWN_CPR, "{cpr}"):
                found.append(f"{client} search {kind} by CPR of {patient['kind']}: the empty Bundle differs from an unknown CPR's")
        for kind, pages in answer["everything"].items():
            expected = {row[1] for patient in patients for row in patient["rows"]["rows"]
                        if row[0] == kind and rule(client, patient["kind"], row[2])}
            bundles = [json.loads(body) for status, body in pages if status == 200]
            ids = [resource_id for bundle in bundles for resource_id in match_ids(bundle)]
            if len(bundles) != len(pages) or bundles[0].get("total") != len(expected) or len(ids) != len(expected) or set(ids) != expected:
                found.append(f"{client} search {kind} naming no patient: total {bundles[0].get('total') if bundles else None}, "
                             f"{len(ids)} entries, expected {len(expected)}; not visible: {sorted(set(ids) - expected)}")
    return found


def test_every_client_against_every_patient_kind_gets_exactly_what_the_policy_says(world):
    server, patients, clients = world
    assert all(sorted(row[0] for row in patient["rows"]["rows"])
               == ["ClinicalImpression", "Observation", "Observation", "Patient", "QuestionnaireResponse"] for patient in patients)
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(clients)) as pool:
        futures = {client: pool.submit(ask, server.base_url, patients, client, token) for client, (_, token) in clients.items()}
        answers = {client: dict(future.result(), client_id=clients[client][0]) for client, future in futures.items()}
    with server.database() as database:
        audit = database.execute("SELECT actor_id, patient_id, action, what, detail FROM audit_events WHERE actor_kind = 'api-client'").fetchall()

    # 5 clients × 13 patients × 5 rows; allowed: department A 12 patients, B 1, the GP and the
    # health unit 6 each, social services the 4 with an active consent.
    reads = [read for answer in answers.values() for read in answer["reads"]]
    assert len(reads) == 5 * 13 * 5
    assert sum(1 for _, _, (status, _) in reads if status == 200) == 5 * (12 + 1 + 6 + 6 + 4)
    assert sum(1 for _, _, (status, _) in reads if status == 404) == 5 * 13 * 5 - 5 * 29
    assert sum(len(answer["searches"]) for answer in answers.values()) == 5 * 13 * len(TYPES)
    problems = mismatches(patients, answers, audit, may_read)
    assert not problems, f"{len(problems)} mismatches:\n" + "\n".join(problems)

    # The check can fail: one cell turned around disagrees on each of that patient's 5 reads and
    # their audit rows, its 4 searches by CPR, the GP's 4 searches naming no patient and its count
    # of denied rows.
    cell = KINDS[7]
    assert cell == {"department": "A", "gp_blocked": True, "health_blocked": False, "consent": "none"}
    wrong = mismatches(patients, answers, audit, flipped(may_read, "gp", cell))
    assert len(wrong) == 2 * 5 + 4 + 4 + 1, "\n".join(wrong)
    assert all(line.startswith("gp ") or line.startswith("gp:") for line in wrong)
