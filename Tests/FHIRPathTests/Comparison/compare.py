"""Runs every expression in expressions.txt through `byneed fhirpath` and through fhirpathpy
(R4 model), normalises both results and prints each disagreement. Exits 1 when a
disagreement is not listed in exceptions.md (a line "- `expression`" under its section)."""
import decimal
import json
import pathlib
import re
import subprocess
import sys
import tempfile

from fhirpathpy import evaluate
from fhirpathpy.models import models

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
BINARY = ROOT / ".build" / "debug" / "byneed"
QUESTIONNAIRES = HERE / "questionnaires"  # copies of /work/shared/conformance/questionnaires
WEIGHT_URLS = {"http://hl7.org/fhir/StructureDefinition/ordinalValue",
               "http://hl7.org/fhir/StructureDefinition/itemWeight"}


def sections():
    """(resource path, questionnaire path or None, [expressions]) per "## " header."""
    result = []
    for line in (HERE / "expressions.txt").read_text().splitlines():
        if line.startswith("## "):
            words = line[3:].split()
            questionnaire = None
            if len(words) > 1:
                questionnaire = QUESTIONNAIRES / words[1][2:] if words[1].startswith("Q:") else HERE / words[1]
            result.append((HERE / words[0], questionnaire, []))
        elif line.strip() and not line.startswith("#"):
            result[-1][2].append(line)
    return result


# MARK: normalisation

def number(value):
    """Numbers compare by value to 10 decimal places (fhirpathpy divides with 16 digits)."""
    return ("number", str(decimal.Decimal(str(value)).quantize(decimal.Decimal("1e-10")).normalize()))


def canonical(value):
    if isinstance(value, bool):
        return ("boolean", value)
    if isinstance(value, (int, float, decimal.Decimal)):
        return number(value)
    if isinstance(value, dict):
        return ("node", json.dumps(plain(value), sort_keys=True))
    return ("string", str(value))


def plain(value):
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool):
        return number(value)[1]
    return value


def temporal(text):
    """ISO text in one form: `Z` as +00:00, times with seconds, fractions with milliseconds."""
    text = text.replace("Z", "+00:00")
    match = re.match(r"^(\d{4}(?:-\d\d){0,2}T?)?(\d\d:\d\d)(:\d\d)?(\.\d+)?(.*)$", text)
    if not match:
        return ("temporal", text)
    date, hours, seconds, fraction, zone = match.groups()
    fraction = (fraction or ".")[1:].ljust(3, "0")[:3]
    return ("temporal", f"{date or ''}{hours}{seconds or ':00'}.{fraction}{zone}")


def ours(item):
    kind, value = item["type"], item["value"]
    if kind in ("integer", "decimal"):
        return number(value)
    if kind in ("date", "dateTime", "time"):
        return temporal(value)
    if kind == "Quantity" and "code" not in value and "system" not in value:
        return ("quantity", number(value["value"])[1], value["unit"])
    return canonical(value)


def theirs(value):
    name = type(value).__name__
    if name == "FP_Quantity":
        unit = str(value.unit).strip("'")
        return ("quantity", number(value.value)[1], unit)
    if name in ("FP_DateTime", "FP_Time", "FP_Date"):
        return temporal(str(value))
    if hasattr(value, "data") and hasattr(value, "path"):
        value = value.data
    return canonical(value)


# MARK: weight() for fhirpathpy, written from the SDC text independently of the Swift code

def weight_function(response, questionnaire):
    link_of = {}

    def index(items):
        for item in items or []:
            for answer in item.get("answer", []):
                link_of[id(answer)] = item["linkId"]
                if "valueCoding" in answer:
                    link_of[id(answer["valueCoding"])] = item["linkId"]
                index(answer.get("item"))
            index(item.get("item"))
    index(response.get("item"))

    def find(items, link_id):
        for item in items or []:
            if item.get("linkId") == link_id:
                return item
            found = find(item.get("item"), link_id)
            if found:
                return found
        return None

    def carried(element):
        for extension in element.get("extension", []) + element.get("property", []):
            url = extension.get("url") or "http://hl7.org/fhir/StructureDefinition/" + extension.get("code", "")
            if url in WEIGHT_URLS:
                return extension.get("valueDecimal", extension.get("valueInteger"))
        return None

    def one(node):
        data = node.data if hasattr(node, "data") else node
        link_id = link_of.get(id(data))
        if link_id is None or questionnaire is None:
            return None
        coding = data.get("valueCoding", data)
        question = find(questionnaire.get("item"), link_id)
        for option in question.get("answerOption", []):
            offered = option.get("valueCoding", {})
            if offered.get("code") == coding.get("code") and offered.get("system", coding.get("system")) == coding.get("system", offered.get("system")):
                return carried(option) if carried(option) is not None else carried(offered)
        reference = question.get("answerValueSet", "")
        for resource in questionnaire.get("contained", []):
            if reference not in ("#" + resource.get("id", ""), resource.get("url")):
                continue
            for include in resource.get("compose", {}).get("include", []):
                for concept in include.get("concept", []):
                    if concept["code"] == coding.get("code") and include.get("system") == coding.get("system"):
                        return carried(concept)
            for concept in resource.get("expansion", {}).get("contains", []):
                if concept["code"] == coding.get("code") and concept.get("system") == coding.get("system"):
                    return carried(concept)
        return None

    def weight(inputs):
        return [value for value in (one(node) for node in inputs) if value is not None]
    return {"weight": {"fn": weight, "arity": {0: []}}, "ordinal": {"fn": weight, "arity": {0: []}}}


# MARK: running

def run_ours(resource, questionnaire, expressions):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(expressions) + "\n")
    arguments = [str(BINARY), "fhirpath", "--resource", str(resource), "--expressions", handle.name]
    if questionnaire:
        arguments += ["--questionnaire", str(questionnaire)]
    output = subprocess.run(arguments, capture_output=True, text=True, check=True, timeout=120).stdout
    lines = output.splitlines()
    assert len(lines) == len(expressions), f"{len(lines)} result lines for {len(expressions)} expressions"
    results = []
    for line in lines:
        value = json.loads(line)
        results.append(("error",) if isinstance(value, dict) else sorted(map(ours, value), key=repr))
    return results


def run_theirs(resource, questionnaire, expression):
    data = json.loads(resource.read_text())
    variables = {"resource": data}
    if questionnaire:
        variables["questionnaire"] = json.loads(questionnaire.read_text())
    options = {"userInvocationTable": weight_function(data, variables.get("questionnaire"))}
    try:
        result = evaluate(data, expression, variables, models["r4"], options)
    except Exception:  # fhirpathpy signals every failure with a plain exception
        return ("error",)
    if any(isinstance(item, dict) and "$error" in item for item in result):
        return ("error",)
    return sorted(map(theirs, result), key=repr)


def main():
    exceptions = set(re.findall(r"^- `(.+)`", (HERE / "exceptions.md").read_text(), re.MULTILINE))
    total = disagreements = unexplained = 0
    for resource, questionnaire, expressions in sections():
        for expression, mine in zip(expressions, run_ours(resource, questionnaire, expressions)):
            total += 1
            other = run_theirs(resource, questionnaire, expression)
            if mine == other:
                continue
            disagreements += 1
            known = expression in exceptions
            unexplained += 0 if known else 1
            print(f"{'known' if known else 'DISAGREE'} [{resource.name}] {expression}\n  byneed:     {mine}\n  fhirpathpy: {other}")
    print(f"{total} expressions, {disagreements} disagreements, {unexplained} not in exceptions.md")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
