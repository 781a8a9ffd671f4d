"""Every kind of FHIR resource ByNeed produces, validated against independent FHIR R4 models.

The Swift suite `FHIRSamples` (Tests/FHIRTests/FHIRSamples.swift) fills a real ByNeed database
(demo patient, invitations, submitted PHQ-9 and WHO-5 responses, a clinician's decision and its
correction) and writes what the FHIR target builds from it to the folder named by
BYNEED_FHIR_SAMPLES. Each file is then parsed with the R4 (4.0.1) models of PyPI fhir.resources
6.4.0, which check element names, types and cardinalities (translations inside extensions
excepted, see below), and with a few checks of our own:
ids and references follow FHIR's rules, every resource has meta, and the codes the integrator's
clients rely on are where docs say they are.
"""
import json
import os
import pathlib
import re
import subprocess

import pytest
import fhir.resources
from fhir.resources import construct_fhir_element

# fhir.resources 6.4.0 rejects `_valueString` (translations) inside extensions, which FHIR R4 JSON
# allows; the Questionnaire samples carry them. The helper documents the limitation.
from test_instrument_definitions import without_extension_value_translations

ROOT = pathlib.Path(__file__).resolve().parents[2]
ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
KINDS = {"QuestionnaireResponse", "Observation", "ClinicalImpression", "Patient", "Organization", "Questionnaire",
         "Consent", "AuditEvent", "OperationOutcome", "CapabilityStatement", "Bundle"}
CPR = "urn:oid:1.2.208.176.1.2"
SOR = "urn:oid:1.2.208.176.1.1"


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fhir-samples")
    environment = dict(os.environ, BYNEED_FHIR_SAMPLES=str(folder))
    run = subprocess.run(["swift", "test", "--filter", "FHIRSamples"], cwd=ROOT, env=environment,
                         capture_output=True, text=True, timeout=1800)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    loaded = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))}
    assert loaded, "the Swift suite wrote no samples"
    return loaded


def test_the_models_are_fhir_r4():
    assert fhir.resources.__fhir_version__ == "4.0.1"


def test_every_kind_is_produced(samples):
    assert {resource["resourceType"] for resource in samples.values()} == KINDS


def test_every_sample_is_valid_r4(samples):
    for name, resource in samples.items():
        model = construct_fhir_element(resource["resourceType"], without_extension_value_translations(resource))
        assert model.resource_type == resource["resourceType"], name


def test_ids_and_meta_follow_fhir_rules(samples):
    for name, resource in samples.items():
        if resource["resourceType"] in ("OperationOutcome", "CapabilityStatement", "Bundle"):
            continue
        assert ID.match(resource["id"]), name
        assert ID.match(resource["meta"]["versionId"]), name
        assert INSTANT.match(resource["meta"]["lastUpdated"]), name


def references(value):
    if isinstance(value, dict):
        if isinstance(value.get("reference"), str):
            yield value["reference"]
        for child in value.values():
            yield from references(child)
    elif isinstance(value, list):
        for child in value:
            yield from references(child)


def test_references_name_resources_that_were_produced(samples):
    produced = {f"{r['resourceType']}/{r['id']}" for r in samples.values() if "id" in r}
    for name, resource in samples.items():
        if resource["resourceType"] == "Bundle":
            continue
        for reference in references(resource):
            if reference.startswith("#"):
                continue
            assert reference in produced, f"{name}: {reference}"


def test_observations_are_sdc_extracted_scores(samples):
    observations = [r for r in samples.values() if r["resourceType"] == "Observation"]
    assert observations
    for observation in observations:
        assert observation["status"] == "final"
        assert observation["category"][0]["coding"][0] == {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey", "display": "Survey"}
        assert observation["derivedFrom"][0]["reference"].startswith("QuestionnaireResponse/")
        assert observation["subject"]["identifier"]["system"] == CPR
        assert observation["performer"][0]["identifier"]["system"] == SOR
        quantity = observation.get("valueQuantity")
        assert quantity is not None or "valueInteger" in observation
        if quantity is not None and "code" in quantity:
            assert quantity["system"] == "http://unitsofmeasure.org"
    codes = {(c["system"], c["code"]) for o in observations for c in o["code"]["coding"]}
    assert ("http://loinc.org", "44261-6") in codes
    assert any(o.get("valueQuantity", {}).get("code") == "%" for o in observations)


def test_triage_and_assessment_are_separate_clinical_impressions(samples):
    impressions = [r for r in samples.values() if r["resourceType"] == "ClinicalImpression"]
    kinds = {c["code"] for r in impressions for c in r["code"]["coding"]
             if c["system"] == "http://ehealth.sundhed.dk/cs/clinicalimpression-codes"}
    assert kinds == {"TriagingResult", "MeasurementAssessment"}
    red = samples["ClinicalImpression-triage-red"]
    overall = red["finding"][0]["itemCodeableConcept"]["coding"][0]
    assert overall == {"system": "http://byneed.dk/fhir/CodeSystem/triage-colour", "code": "red", "display": "Rød"}
    corrected, correction = samples["ClinicalImpression-assessment-0"], samples["ClinicalImpression-assessment-1"]
    assert corrected["status"] == "entered-in-error" and corrected["meta"]["versionId"] == "2"
    assert correction["previous"]["reference"] == f"ClinicalImpression/{corrected['id']}"


def test_the_searchset_bundle_pages_and_includes(samples):
    bundle = samples["Bundle-searchset"]
    assert bundle["type"] == "searchset" and bundle["total"] == 2
    relations = {link["relation"]: link["url"] for link in bundle["link"]}
    assert set(relations) == {"self", "next"}
    assert "_page_token=" in relations["next"] and "_page_token=" not in relations["self"]
    assert [entry["search"]["mode"] for entry in bundle["entry"]] == ["match", "include"]
    for entry in bundle["entry"]:
        resource = entry["resource"]
        assert entry["fullUrl"].endswith(f"/{resource['resourceType']}/{resource['id']}")


def test_operation_outcomes_use_issue_type_codes(samples):
    codes = {issue["code"] for r in samples.values() if r["resourceType"] == "OperationOutcome" for issue in r["issue"]}
    assert {"not-supported", "value", "not-found", "login", "forbidden", "deleted", "multiple-matches", "throttled",
            "required", "business-rule", "exception", "transient"} <= codes


def test_the_capability_statement_lists_what_is_served(samples):
    statement = samples["CapabilityStatement"]
    assert statement["fhirVersion"] == "4.0.1"
    resources = {r["type"]: r for r in statement["rest"][0]["resource"]}
    assert set(resources) == {"QuestionnaireResponse", "Observation", "ClinicalImpression", "Patient", "Organization", "Questionnaire",
                              "Subscription", "Consent", "AuditEvent"}
    response = resources["QuestionnaireResponse"]
    assert {i["code"] for i in response["interaction"]} == {"read", "vread", "search-type", "create"}
    assert {p["name"] for p in response["searchParam"]} >= {"patient", "questionnaire", "authored", "_lastUpdated", "status", "identifier"}
    assert {i["code"] for i in resources["Subscription"]["interaction"]} == {"read", "vread", "search-type", "create", "delete"}
    assert response["searchInclude"] == ["QuestionnaireResponse:questionnaire"]
