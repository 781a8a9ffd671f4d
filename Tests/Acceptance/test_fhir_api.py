"""The FHIR API end to end: `byneed serve --demo`, an API client made with the CLI, WHO-5
answers given in the patient's web form and one posted through the API, then a real FHIR client
(fhirpy) searching page by page and reading; every resource returned must be valid FHIR R4
(fhir.resources), and a revoked token must stop working at once."""

import datetime
import json
import re
import urllib.error
import urllib.request

import pytest
from fhir.resources import construct_fhir_element
from fhirpy import SyncFHIRClient

from conftest import run_byneed
from test_cli import submit_demo
from test_instrument_definitions import without_extension_value_translations

DEMO_SOR = "999999999999999"
DEMO_CPR = "2512489996"
WHO5 = "http://byneed.dk/fhir/Questionnaire/who5"
SCOPES = ("system/QuestionnaireResponse.read,system/QuestionnaireResponse.write,system/Observation.read,"
          "system/ClinicalImpression.read,system/Patient.read,system/Questionnaire.read,system/Organization.read")


def valid_r4(resource):
    """Parses `resource` with the R4 models; fails the test when it is not valid."""
    model = construct_fhir_element(resource["resourceType"], without_extension_value_translations(resource))
    assert model.resource_type == resource["resourceType"]
    return resource


def who5_answers(index):
    return [[(f"a.item{number}", str((index + number) % 6)) for number in range(1, 6)]]


def add_client(server, *extra, scopes=SCOPES):
    result = run_byneed("client", "add", "--org", DEMO_SOR, "--scopes", scopes, "--data-dir", str(server.data_dir), *extra)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    client_id = re.search(r"API client (\d+)", lines[0]).group(1)
    token = lines[-1]
    assert len(token) >= 43, "a token carries at least 256 bits"
    return client_id, token


def raw(server, path, token, method="GET", body=None):
    request = urllib.request.Request(server.base_url + "/fhir/" + path, method=method, data=body,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/fhir+json",
                                              "Accept": "application/fhir+json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"null")


@pytest.fixture
def enrolled(server):
    """The demo patient enrolled at the demo department (a treatment relation), with five WHO-5
    responses given in the web form."""
    today = datetime.date.today().isoformat()
    result = run_byneed("enrol", "--cpr", DEMO_CPR, "--name", "Nancy Berggren", "--plan", "epilepsy-standard", "--start", today,
                        "--department-sor", DEMO_SOR, "--letter", "--data-dir", str(server.data_dir))
    assert result.returncode == 0, result.stderr
    links = [server.who5_link]
    for _ in range(4):
        result = run_byneed("invite", "--cpr", DEMO_CPR, "--questionnaire", WHO5, "--data-dir", str(server.data_dir),
                            "--public-url", server.base_url)
        assert result.returncode == 0, result.stderr
        links.append(next(line for line in result.stdout.splitlines() if line.startswith("Patient link: ")).split(": ", 1)[1])
    for index, link in enumerate(links):
        submit_demo(link, who5_answers(index))
    return server


def test_a_fhir_client_pages_through_searches_and_reads_valid_r4(enrolled):
    server = enrolled
    _, token = add_client(server)
    status, _, metadata = raw(server, "metadata", "none")
    assert status == 200
    valid_r4(metadata)

    # One more response through the API: scored and triaged like the web's.
    status, _, bundle = raw(server, "QuestionnaireResponse?_count=1", token)
    assert status == 200
    posted = dict(bundle["entry"][0]["resource"])
    status, headers, created = raw(server, "QuestionnaireResponse", token, "POST", json.dumps(posted).encode())
    assert status == 201, created
    assert "/fhir/QuestionnaireResponse/" in headers["Location"]
    valid_r4(created)

    client = SyncFHIRClient(server.base_url + "/fhir", authorization=f"Bearer {token}")
    search = client.resources("QuestionnaireResponse").search(
        **{"patient:identifier": f"urn:oid:1.2.208.176.1.2|{DEMO_CPR}"}).limit(2)
    first = search.fetch_raw()
    assert first["total"] == 6
    pages, seen, page = 0, [], first
    while True:
        pages += 1
        valid_r4(page)
        seen += [entry["resource"]["id"] for entry in page.get("entry", [])]
        following = [link["url"] for link in page["link"] if link["relation"] == "next"]
        if not following:
            break
        status, _, page = raw(server, following[0].split("/fhir/", 1)[1], token)
        assert status == 200
    assert pages == 3
    assert len(seen) == 6 and len(set(seen)) == 6

    responses = search.fetch_all()
    assert sorted(resource.id for resource in responses) == sorted(seen)
    for resource in responses:
        valid_r4(resource.serialize())

    read = client.reference("QuestionnaireResponse", created["id"]).to_resource()
    assert read["questionnaire"].startswith(WHO5)
    valid_r4(read.serialize())

    observations = client.resources("Observation").search(**{"patient:identifier": f"urn:oid:1.2.208.176.1.2|{DEMO_CPR}"}).fetch_all()
    assert observations, "WHO-5 scores come back as Observations"
    for observation in observations:
        valid_r4(observation.serialize())
    impressions = client.resources("ClinicalImpression").fetch_all()
    assert len(impressions) == 6
    for impression in impressions:
        valid_r4(impression.serialize())
    patients = client.resources("Patient").search(identifier=f"urn:oid:1.2.208.176.1.2|{DEMO_CPR}").fetch_all()
    assert len(patients) == 1
    valid_r4(patients[0].serialize())


def test_a_revoked_token_is_refused_at_once_and_a_read_scope_cannot_write(enrolled):
    server = enrolled
    client_id, token = add_client(server)
    assert raw(server, "QuestionnaireResponse", token)[0] == 200
    status, headers, outcome = raw(server, "QuestionnaireResponse", token, "POST", b"{}")
    assert status == 400 and valid_r4(outcome)["resourceType"] == "OperationOutcome"
    result = run_byneed("client", "revoke", "--id", client_id, "--data-dir", str(server.data_dir))
    assert result.returncode == 0, result.stderr
    status, headers, outcome = raw(server, "QuestionnaireResponse", token)
    assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
    valid_r4(outcome)
    listing = run_byneed("client", "list", "--data-dir", str(server.data_dir))
    assert f"{client_id}\t{DEMO_SOR}\trevoked" in listing.stdout


def test_a_client_that_knows_only_the_capability_statement_can_read_every_type(enrolled):
    """An integrator's first steps, driven by `GET /fhir/metadata` alone: for every advertised
    type, a search (naming the patient where the statement says a patient is required), a read
    of each entry by its id and a vread of its version; all of it valid R4, and every
    interaction the statement advertises answers with something other than 404/405."""
    server = enrolled
    _, token = add_client(server, scopes="system/*.read")
    status, _, statement = raw(server, "metadata", "none")
    assert status == 200
    patient = f"patient:identifier=urn:oid:1.2.208.176.1.2%7C{DEMO_CPR}"
    searched = {}
    for resource in statement["rest"][0]["resource"]:
        kind = resource["type"]
        interactions = {interaction["code"] for interaction in resource["interaction"]}
        names = {parameter["name"] for parameter in resource.get("searchParam", [])}
        if "search-type" in interactions:
            query = f"{kind}?_count=100" + (f"&{patient}" if kind == "AuditEvent" else "")
            status, _, bundle = raw(server, query, token)
            assert status == 200, (kind, bundle)
            valid_r4(bundle)
            assert bundle["total"] == len(bundle.get("entry", [])) or "next" in {link["relation"] for link in bundle["link"]}
            searched[kind] = [entry["resource"] for entry in bundle.get("entry", [])]
            if "patient" in names and kind != "AuditEvent":
                status, _, narrowed = raw(server, f"{kind}?{patient}", token)
                assert status == 200 and valid_r4(narrowed)["total"] <= bundle["total"]
        for found in searched.get(kind, [])[:3]:
            assert "read" in interactions
            status, headers, read = raw(server, f"{kind}/{found['id']}", token)
            assert status == 200 and valid_r4(read)["id"] == found["id"]
            assert headers["ETag"] == f'W/"{read["meta"]["versionId"]}"'
            if "vread" in interactions:
                status, _, version = raw(server, f"{kind}/{found['id']}/_history/{read['meta']['versionId']}", token)
                assert status == 200 and version == read
    for kind in ("QuestionnaireResponse", "Observation", "ClinicalImpression", "Patient", "Questionnaire", "Organization", "AuditEvent"):
        assert searched.get(kind), f"the demo patient's {kind} resources are found through the statement alone"
