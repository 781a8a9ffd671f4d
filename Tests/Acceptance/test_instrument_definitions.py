"""ByNeed's instrument definitions (Questionnaires/*.json) checked against the expected results in
Tests/Fixtures/instruments/, with an independent FHIRPath engine (PyPI fhirpathpy).

For each fixture case a QuestionnaireResponse is built from the answers, every score's SDC
`calculatedExpression` is evaluated (root `variable`s first, in order, then the item's own), and
bands, flags (`score-flag`), answer significance and triage rules (`triage-rule`) are applied as
docs/scoring-and-triage.md defines them. The definitions are also validated with the
fhir.resources R4 models, and the ByNeed extensions are checked for overlapping bands and for
Danish + English reason texts.
"""
import decimal
import json
import pathlib

import pytest
from fhir.resources.questionnaire import Questionnaire
from fhirpathpy import evaluate
from fhirpathpy.models import models

ROOT = pathlib.Path(__file__).resolve().parents[2]
QUESTIONNAIRES = ROOT / "Questionnaires"
FIXTURES = ROOT / "Tests" / "Fixtures" / "instruments"
R4 = models["r4"]

TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
CALCULATED = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable"
ORDINAL = ("http://hl7.org/fhir/StructureDefinition/ordinalValue", "http://hl7.org/fhir/StructureDefinition/itemWeight")
BAND = "http://byneed.dk/fhir/StructureDefinition/score-band"
FLAG = "http://byneed.dk/fhir/StructureDefinition/score-flag"
SIGNIFICANCE = "http://byneed.dk/fhir/StructureDefinition/answer-significance"
RULE = "http://byneed.dk/fhir/StructureDefinition/triage-rule"
CONTACT_WISH = ("http://byneed.dk/fhir/CodeSystem/byneed", "contact-wish")
SEVERITY = {"green": 0, "yellow": 1, "red": 2}


# MARK: - Loading

def load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def definition_files():
    return sorted(path for path in QUESTIONNAIRES.glob("*.json") if path.name != "demo-all-types.json")


def fixture_files():
    return sorted(FIXTURES.glob("*.json"))


def by_url():
    """Questionnaires keyed by `url|version`."""
    return {"%s|%s" % (q["url"], q["version"]): q for q in map(load, definition_files())}


def walk(items):
    for item in items or []:
        yield item
        yield from walk(item.get("item"))


def extensions(element, url):
    return [e for e in element.get("extension", []) if e["url"] == url]


def sub(extension, name):
    """The sub-extension `name` of a complex extension, or None."""
    return next((e for e in extension["extension"] if e["url"] == name), None)


def sub_value(extension, name):
    found = sub(extension, name)
    if found is None:
        return None
    return next(value for key, value in found.items() if key.startswith("value"))


def english(element, key):
    for extension in element.get("_" + key, {}).get("extension", []):
        if extension["url"] == TRANSLATION and sub_value(extension, "lang") == "en":
            return sub_value(extension, "content")
    return None


# MARK: - FHIRPath with the SDC weight()/ordinal() functions

def weight_table(questionnaire):
    """(system, code) -> ordinal value of every answerOption coding that carries one."""
    table = {}
    for item in walk(questionnaire["item"]):
        for option in item.get("answerOption", []):
            weights = [e["valueDecimal"] for e in option.get("extension", []) if e["url"] in ORDINAL]
            coding = option.get("valueCoding")
            if weights and coding:
                key = (coding.get("system"), coding["code"])
                assert table.get(key, weights[0]) == weights[0], "one code, two weights: %s" % (key,)
                table[key] = weights[0]
    return table


def engine_options(questionnaire):
    """fhirpathpy has no SDC weight()/ordinal(); they look the answer's coding up in the Questionnaire
    (valid because weight_table asserts one weight per code within a questionnaire)."""
    table = weight_table(questionnaire)

    def weight(inputs):
        result = []
        for value in inputs:
            coding = value.get("valueCoding", value) if isinstance(value, dict) else None
            if isinstance(coding, dict) and (coding.get("system"), coding.get("code")) in table:
                result.append(decimal.Decimal(str(table[(coding.get("system"), coding.get("code"))])))
        return result

    function = {"fn": weight, "arity": {0: []}}
    return {"userInvocationTable": {"weight": function, "ordinal": function}}


def run(expression, response, variables, options):
    return evaluate(response, expression, variables, R4, options)


def number(result):
    """A FHIRPath singleton number as a Python float, or None for the empty collection."""
    if not result:
        return None
    assert len(result) == 1, result
    return float(result[0])


# MARK: - QuestionnaireResponse from fixture answers

def response_items(items, answers):
    out = []
    for item in items or []:
        if item["type"] == "group":
            children = response_items(item.get("item"), answers)
            if children:
                out.append({"linkId": item["linkId"], "item": children})
        elif item["linkId"] in answers:
            given = answers[item["linkId"]]
            out.append({"linkId": item["linkId"], "answer": given if isinstance(given, list) else [given]})
    return out


def build_response(questionnaire, answers):
    known = {item["linkId"] for item in walk(questionnaire["item"])}
    assert set(answers) <= known, "unknown linkIds %s" % (set(answers) - known)
    return {"resourceType": "QuestionnaireResponse", "status": "completed",
            "questionnaire": "%s|%s" % (questionnaire["url"], questionnaire["version"]),
            "item": response_items(questionnaire["item"], answers)}


# MARK: - Scoring and triage as docs/scoring-and-triage.md defines them

def score_items(questionnaire):
    return [item for item in walk(questionnaire["item"]) if extensions(item, CALCULATED)]


def evaluate_variables(element, response, variables, options):
    for extension in extensions(element, VARIABLE):
        expression = extension["valueExpression"]
        variables[expression["name"]] = run(expression["expression"], response, variables, options)


def band_of(item, value):
    if value is None:
        return None
    for extension in extensions(item, BAND):
        low, high = sub_value(extension, "low"), sub_value(extension, "high")
        if (low is None or value >= low) and (high is None or value <= high):
            return sub_value(extension, "code")
    return None


def compare(operator, actual, expected):
    if isinstance(expected, dict):
        same = (actual.get("system"), actual.get("code")) == (expected.get("system"), expected.get("code"))
        return {"=": same, "!=": not same}[operator]
    return {"=": actual == expected, "!=": actual != expected, ">": actual > expected, "<": actual < expected,
            ">=": actual >= expected, "<=": actual <= expected}[operator]


def answer_value(answer):
    return next(value for key, value in answer.items() if key.startswith("value"))


def significance(questionnaire, answers):
    """(colour, reason id) for every answer condition that holds; reason id = `answer:<linkId>`."""
    fired = []
    for item in walk(questionnaire["item"]):
        given = answers.get(item["linkId"])
        if given is None:
            continue
        given = given if isinstance(given, list) else [given]
        for extension in extensions(item, SIGNIFICANCE):
            operator, expected = sub_value(extension, "operator"), sub_value(extension, "answer")
            holds = (expected is True) if operator == "exists" else any(
                compare(operator, answer_value(answer), expected) for answer in given)
            if holds:
                fired.append((sub_value(extension, "colour"), "answer:" + item["linkId"]))
        codes = {(c.get("system"), c.get("code")) for c in item.get("code", [])}
        if CONTACT_WISH in codes and any(answer_value(answer).get("code") != "no" for answer in given):
            fired.append(("red", "contact-wish"))
    return fired


def score_response(questionnaire, answers):
    """Scores, bands, flags, colour, reasons and completeness of one response."""
    options = engine_options(questionnaire)
    response = build_response(questionnaire, answers)
    variables = {"resource": response, "questionnaire": questionnaire}
    evaluate_variables(questionnaire, response, variables, options)
    scores, bands = {}, {}
    for item in score_items(questionnaire):
        local = dict(variables)
        evaluate_variables(item, response, local, options)
        expression = extensions(item, CALCULATED)[0]["valueExpression"]["expression"]
        value = number(run(expression, response, local, options))
        scores[item["linkId"]] = value
        bands[item["linkId"]] = band_of(item, value)
        variables["score_" + item["linkId"]] = [] if value is None else [decimal.Decimal(str(value))]
    flags = [sub_value(flag, "code") for flag in extensions(questionnaire, FLAG)
             if run(sub_value(flag, "expression")["expression"], response, variables, options) == [True]]
    fired = significance(questionnaire, answers)
    for rule in extensions(questionnaire, RULE):
        threshold = sub_value(rule, "threshold")
        local = dict(variables, threshold=[] if threshold is None else [decimal.Decimal(str(threshold))])
        if run(sub_value(rule, "expression")["expression"], response, local, options) == [True]:
            fired.append((sub_value(rule, "colour"), sub_value(rule, "id")))
    colour = max((colour for colour, _ in fired), key=SEVERITY.get, default="green")
    return {"scores": scores, "bands": bands, "flags": sorted(flags), "colour": colour,
            "reasons": sorted({reason for _, reason in fired}),
            "complete": all(value is not None for value in scores.values())}


# MARK: - Tests

CASES = [(path.name, case) for path in fixture_files() for case in load(path)["cases"]]


def without_extension_value_translations(element):
    """A copy without `_valueString` inside extensions. FHIR R4 JSON allows extensions on any primitive,
    including Extension.valueString (our reason/display translations), but fhir.resources 6.4.0's
    Extension model has no `__ext` fields for value[x] and rejects them; test_every_rule_has_danish_and_english_reason
    checks those translations instead."""
    if isinstance(element, list):
        return [without_extension_value_translations(e) for e in element]
    if not isinstance(element, dict):
        return element
    inside_extension = "url" in element and any(key.startswith("value") for key in element)
    return {key: without_extension_value_translations(value) for key, value in element.items()
            if not (inside_extension and key == "_valueString")}


@pytest.mark.parametrize("path", definition_files(), ids=lambda p: p.name)
def test_definition_is_valid_fhir_r4(path):
    """fhir.resources accepts every ByNeed definition as a Questionnaire."""
    resource = Questionnaire.parse_obj(without_extension_value_translations(load(path)))
    assert resource.url.startswith("http://byneed.dk/fhir/Questionnaire/")
    assert resource.copyright and resource.description


@pytest.mark.parametrize("path", definition_files(), ids=lambda p: p.name)
def test_bands_do_not_overlap(path):
    """Bands of one score never overlap (docs/scoring-and-triage.md: load error)."""
    for item in score_items(load(path)):
        ranges = sorted((sub_value(b, "low") if sub_value(b, "low") is not None else float("-inf"),
                         sub_value(b, "high") if sub_value(b, "high") is not None else float("inf"))
                        for b in extensions(item, BAND))
        for (low, high), (next_low, _) in zip(ranges, ranges[1:]):
            assert low <= high and high < next_low, "%s: %s overlaps %s" % (item["linkId"], (low, high), next_low)


@pytest.mark.parametrize("path", definition_files(), ids=lambda p: p.name)
def test_every_rule_has_danish_and_english_reason(path):
    """Clinicians see why a response is red or yellow, in Danish and English."""
    questionnaire = load(path)
    rules = [(item["linkId"], e) for item in walk(questionnaire["item"]) for e in extensions(item, SIGNIFICANCE)]
    rules += [(sub_value(e, "id"), e) for e in extensions(questionnaire, RULE)]
    for name, rule in rules:
        reason = sub(rule, "reason")
        assert reason and reason["valueString"].strip(), name
        assert english(reason, "valueString"), name
        assert sub_value(rule, "colour") in ("red", "yellow"), name
    ids = [sub_value(e, "id") for e in extensions(questionnaire, RULE)]
    assert len(ids) == len(set(ids))
    for flag in extensions(questionnaire, FLAG):
        assert english(sub(flag, "display"), "valueString"), sub_value(flag, "code")


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_fixture_names_a_shipped_questionnaire(path):
    """Every fixture file refers to an existing definition and cites its source."""
    fixture = load(path)
    assert fixture["questionnaire"] in by_url()
    assert fixture["source"] and fixture["cases"]
    assert all(case["source"] for case in fixture["cases"])


@pytest.mark.parametrize("name,case", CASES, ids=["%s:%s" % (n, c["name"]) for n, c in CASES])
def test_case_matches_manual(name, case):
    """fhirpathpy, evaluating the definition's own expressions, gives the manual-derived result."""
    fixture = load(FIXTURES / name)
    questionnaire = by_url()[fixture["questionnaire"]]
    actual = score_response(questionnaire, case["answers"])
    expected = case["expected"]
    for key in ("scores", "bands"):
        assert actual[key] == expected[key], key
    assert actual["flags"] == sorted(expected["flags"])
    assert actual["colour"] == expected["colour"]
    assert actual["reasons"] == sorted(expected["reasons"])
    assert actual["complete"] == expected["complete"]
