"""Consent, AuditEvent and Organization search end to end: `byneed serve --demo`, a GP clinic and a
social-services unit made with the CLI, the demo patient enrolled (the demo department and the GP
get treatment relations) who answered WHO-5 in the web form and, on their own sharing page,
blocked and unblocked the GP and consented to the social-services unit. API clients of the three
organisations (made with `byneed client add`) then search and read; every answer, Bundle or
resource or OperationOutcome, must be valid FHIR R4 (PyPI fhir.resources), and each organisation
sees exactly what docs/access-policy.md ("API: Consent and AuditEvent") says."""

import datetime
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from fhir.resources import construct_fhir_element

from conftest import Server, run_byneed
from test_cli import submit_demo

DEMO_SOR = "999999999999999"
DEMO_CPR = "2512489996"
GP_SOR = "200000000000001"
SOCIAL_SOR = "400000000000001"
MUNICIPALITY = "0101"
WHO5 = "http://byneed.dk/fhir/Questionnaire/who5"
PATIENT = f"patient:identifier=urn:oid:1.2.208.176.1.2%7C{DEMO_CPR}"
SCOPES = "system/Consent.read,system/AuditEvent.read,system/Organization.read,system/QuestionnaireResponse.read"


def byneed(server, *arguments):
    result = run_byneed(*arguments, "--data-dir", str(server.data_dir))
    assert result.returncode == 0, result.stderr
    return result.stdout


def get(server, path, token):
    """GET /fhir/<path>: the status and the body, which must be valid R4 whatever the status."""
    request = urllib.request.Request(f"{server.base_url}/fhir/{path}",
                                     headers={"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, body = response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        status, body = error.code, json.loads(error.read())
    valid_r4(body)
    return status, body


def valid_r4(resource):
    model = construct_fhir_element(resource["resourceType"], resource)
    assert model.resource_type == resource["resourceType"]
    for entry in resource.get("entry", []):
        valid_r4(entry["resource"])


def matches(bundle):
    return [entry["resource"] for entry in bundle.get("entry", []) if entry["search"]["mode"] == "match"]


def recipients(consent):
    return {actor["reference"]["identifier"]["value"] for actor in consent["provision"]["actor"]}


@pytest.fixture
def world(tmp_path):
    server = Server(tmp_path / "data")
    try:
        byneed(server, "department", "add", "--sor", GP_SOR, "--name", "Lægehuset Nørregade", "--phone", "1", "--kind", "gp-clinic")
        byneed(server, "department", "add", "--sor", SOCIAL_SOR, "--name", "Socialcenter Indre By", "--phone", "1",
               "--kind", "municipal-social-services-unit", "--municipality", MUNICIPALITY)
        with server.database() as database:
            ids = dict(database.execute("SELECT sor_code, id FROM departments").fetchall())
        today = datetime.date.today().isoformat()
        byneed(server, "enrol", "--cpr", DEMO_CPR, "--name", "Nancy Berggren", "--plan", "epilepsy-standard", "--start", today,
               "--department-sor", DEMO_SOR, "--letter", "--gp-sor", GP_SOR, "--municipality", MUNICIPALITY)
        submit_demo(server.who5_link, [[(f"a.item{item}", str(item % 6)) for item in range(1, 6)]])
        for choice, sor in [("block", GP_SOR), ("unblock", GP_SOR), ("consent", SOCIAL_SOR)]:
            fields = urllib.parse.urlencode([("choice", choice), ("organisation", str(ids[sor])), ("lang", "da")]).encode()
            with urllib.request.urlopen(urllib.request.Request(server.who5_link + "/sharing", data=fields), timeout=10) as response:
                assert response.status == 200
        tokens = {sor: byneed(server, "client", "add", "--org", sor, "--scopes", SCOPES).strip().splitlines()[-1]
                  for sor in (DEMO_SOR, GP_SOR, SOCIAL_SOR)}
        yield server, tokens
    finally:
        assert server.stop() == 0, "".join(server.output)


def test_consents_are_valid_r4_and_each_organisation_sees_its_own(world):
    server, tokens = world
    status, bundle = get(server, f"Consent?{PATIENT}", tokens[DEMO_SOR])
    assert status == 200 and bundle["total"] == 2
    consents = {consent["provision"]["type"]: consent for consent in matches(bundle)}
    assert consents["deny"]["status"] == "inactive" and consents["deny"]["meta"]["versionId"] == "2"
    assert recipients(consents["deny"]) == {GP_SOR}
    assert consents["permit"]["status"] == "active" and recipients(consents["permit"]) == {SOCIAL_SOR}
    for consent in consents.values():
        status, read = get(server, f"Consent/{consent['id']}", tokens[DEMO_SOR])
        assert status == 200 and read == consent

    status, gp = get(server, f"Consent?{PATIENT}", tokens[GP_SOR])
    assert status == 200 and gp["total"] == 1 and [recipients(c) for c in matches(gp)] == [{GP_SOR}]
    status, _ = get(server, f"Consent/{consents['permit']['id']}", tokens[GP_SOR])
    assert status == 404
    status, social = get(server, "Consent?status=active", tokens[SOCIAL_SOR])
    assert status == 200 and social["total"] == 1 and matches(social)[0]["id"] == consents["permit"]["id"]


def test_audit_events_are_valid_r4_and_only_the_organisations_own(world):
    server, tokens = world
    status, outcome = get(server, "AuditEvent", tokens[DEMO_SOR])
    assert status == 400 and outcome["issue"][0]["expression"] == ["patient"]
    assert get(server, f"QuestionnaireResponse?{PATIENT}", tokens[GP_SOR])[0] == 200
    assert get(server, f"QuestionnaireResponse?{PATIENT}", tokens[DEMO_SOR])[0] == 200
    status, bundle = get(server, f"AuditEvent?{PATIENT}&date=ge2000-01-01", tokens[DEMO_SOR])
    assert status == 200 and bundle["total"] >= 1
    events = matches(bundle)
    for event in events:
        organisations = {agent["who"].get("identifier", {}).get("value") for agent in event["agent"]
                         if agent["who"].get("type") == "Organization"}
        assert organisations == {DEMO_SOR}
    status, read = get(server, f"AuditEvent/{events[0]['id']}", tokens[DEMO_SOR])
    assert status == 200 and read["id"] == events[0]["id"]
    assert get(server, f"AuditEvent/{events[0]['id']}", tokens[GP_SOR])[0] == 404
    status, gp = get(server, f"AuditEvent?{PATIENT}", tokens[GP_SOR])
    assert status == 200 and gp["total"] >= 1 and not {event["id"] for event in matches(gp)} & {event["id"] for event in events}


def test_organizations_are_searched_by_sor_code_and_name(world):
    server, tokens = world
    status, bundle = get(server, f"Organization?identifier=urn:oid:1.2.208.176.1.1%7C{GP_SOR}", tokens[GP_SOR])
    assert status == 200 and [o["identifier"][0]["value"] for o in matches(bundle)] == [GP_SOR]
    status, bundle = get(server, "Organization?name=l%C3%A6gehuset", tokens[SOCIAL_SOR])
    assert status == 200 and [o["name"] for o in matches(bundle)] == ["Lægehuset Nørregade"]
    status, bundle = get(server, "Organization", tokens[DEMO_SOR])
    assert status == 200 and bundle["total"] == 3
