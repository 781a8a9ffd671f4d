"""The byneed command line: check, invite, and serve's start-up refusal of broken definitions."""
import base64
import json
import os
import shutil
import sqlite3
import subprocess

from conftest import BINARY, ROOT, run_byneed


def copy_project_folders(tmp_path):
    for folder in ("Questionnaires", "Templates", "Public"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return ["--questionnaires", str(tmp_path / "Questionnaires"), "--templates", str(tmp_path / "Templates"),
            "--public", str(tmp_path / "Public")]


def test_check_accepts_the_shipped_questionnaires_and_templates():
    result = run_byneed("check")
    assert result.returncode == 0, result.stderr
    assert "questionnaires:" in result.stdout and "templates: ok" in result.stdout


def test_check_names_file_and_path_of_a_duplicate_link_id(tmp_path):
    paths = copy_project_folders(tmp_path)
    who5 = tmp_path / "Questionnaires" / "who5.json"
    definition = json.loads(who5.read_text())
    items = definition["item"][0].get("item", definition["item"])
    items[1]["linkId"] = items[0]["linkId"]
    who5.write_text(json.dumps(definition))
    result = run_byneed("check", *paths)
    assert result.returncode == 1
    assert "who5.json" in result.stderr
    assert items[0]["linkId"] in result.stderr


def test_check_names_the_place_of_a_broken_template(tmp_path):
    paths = copy_project_folders(tmp_path)
    page = tmp_path / "Templates" / "patient" / "receipt.html"
    page.write_text(page.read_text() + "{{#unclosed}}\n")
    result = run_byneed("check", *paths)
    assert result.returncode == 1
    assert "receipt" in result.stderr


def test_serve_refuses_to_start_with_a_broken_questionnaire(tmp_path):
    paths = copy_project_folders(tmp_path)
    (tmp_path / "Questionnaires" / "broken.json").write_text('{"resourceType": "Questionnaire", "item": [')
    result = run_byneed("serve", "--port", "0", "--data-dir", str(tmp_path / "data"), *paths)
    assert result.returncode == 1
    assert "broken.json" in result.stderr


def test_usage_errors_exit_64_with_help():
    result = run_byneed("serve", "--port", "not-a-port")
    assert result.returncode == 64
    assert "--port" in result.stderr
    assert run_byneed("no-such-command").returncode == 64


def test_invite_prints_a_link_for_a_known_patient(server):
    result = run_byneed("invite", "--data-dir", str(server.data_dir), "--cpr", "2512489996",
                        "--questionnaire", "http://byneed.dk/fhir/Questionnaire/who5")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Patient link: http://127.0.0.1:8080/q/")
    unknown = run_byneed("invite", "--data-dir", str(server.data_dir), "--cpr", "0101010000",
                         "--questionnaire", "http://byneed.dk/fhir/Questionnaire/who5")
    assert unknown.returncode == 1
    assert "no patient" in unknown.stderr


def test_environment_variables_stand_in_for_options(tmp_path):
    result = subprocess.run([str(BINARY), "check"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "BYNEED_QUESTIONNAIRES": str(tmp_path / "nowhere")})
    assert result.returncode == 1
    assert str(tmp_path / "nowhere") in result.stderr
    overridden = subprocess.run([str(BINARY), "check", "--questionnaires", str(ROOT / "Questionnaires")], cwd=ROOT,
                                capture_output=True, text=True, timeout=60,
                                env={**os.environ, "BYNEED_QUESTIONNAIRES": str(tmp_path / "nowhere")})
    assert overridden.returncode == 0, "an option on the command line wins over the environment"


def test_invite_refuses_a_data_dir_without_a_database(tmp_path):
    result = run_byneed("invite", "--data-dir", str(tmp_path / "typo"), "--cpr", "2512489996",
                        "--questionnaire", "http://byneed.dk/fhir/Questionnaire/who5")
    assert result.returncode == 1
    assert "no ByNeed database" in result.stderr
    assert not (tmp_path / "typo").exists()


def answers_for(definition, choose):
    """A QuestionnaireResponse answering every choice question with choose(item)'s option."""
    def walk(items):
        out = []
        for item in items:
            if item["type"] == "group":
                children = walk(item.get("item", []))
                if children:
                    out.append({"linkId": item["linkId"], "item": children})
            elif item["type"] == "choice":
                option = choose(item)
                out.append({"linkId": item["linkId"], "answer": [{k: v for k, v in option.items() if k.startswith("value")}]})
        return out

    response = {"resourceType": "QuestionnaireResponse", "status": "completed", "item": walk(definition["item"])}
    if "url" in definition:
        response["questionnaire"] = f"{definition['url']}|{definition['version']}"
    return response


def test_score_reads_a_response_and_prints_validation_and_triage(tmp_path):
    who5 = json.loads((ROOT / "Questionnaires" / "who5.json").read_text())
    response = tmp_path / "response.json"
    response.write_text(json.dumps(answers_for(who5, lambda item: item["answerOption"][0])))
    result = run_byneed("score", str(response))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["questionnaire"] == f"{who5['url']}|{who5['version']}"
    assert report["valid"] is True and report["errors"] == []
    assert report["colour"] in ("green", "yellow", "red")

    partial = answers_for(who5, lambda item: item["answerOption"][0])
    partial["item"][0]["item"] = partial["item"][0]["item"][1:]
    result = subprocess.run([str(BINARY), "score", "-"], input=json.dumps(partial), cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1
    assert json.loads(result.stdout)["valid"] is False


def test_score_turns_a_contact_wish_red(tmp_path):
    demo = json.loads((ROOT / "Questionnaires" / "demo-all-types.json").read_text())
    response = {"resourceType": "QuestionnaireResponse", "status": "completed",
                "questionnaire": f"{demo['url']}|{demo['version']}",
                "item": [{"linkId": "today", "item": [{"linkId": "diary-date", "answer": [{"valueDate": "2026-11-20"}]},
                                                      {"linkId": "had-symptoms", "answer": [{"valueBoolean": False}]}]},
                         {"linkId": "medicine", "item": [{"linkId": "doses", "answer": [{"valueInteger": 0}]}]},
                         {"linkId": "contact-me", "answer": [{"valueBoolean": True}]}]}
    path = tmp_path / "response.json"
    path.write_text(json.dumps(response))
    result = run_byneed("score", str(path))
    report = json.loads(result.stdout)
    assert result.returncode == 0, report
    assert report["colour"] == "red"
    assert report["reasons"][0]["en"] == "The patient asks to be contacted"


def test_score_refuses_unreadable_input_with_a_clear_message(tmp_path):
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    result = run_byneed("score", str(garbage))
    assert result.returncode == 1 and "not valid JSON" in result.stderr
    unknown = tmp_path / "unknown.json"
    unknown.write_text(json.dumps({"resourceType": "QuestionnaireResponse", "questionnaire": "http://nowhere|1"}))
    result = run_byneed("score", str(unknown))
    assert result.returncode == 1 and "no questionnaire http://nowhere|1" in result.stderr
    stray = tmp_path / "stray.json"
    stray.write_text(json.dumps({"resourceType": "QuestionnaireResponse",
                                 "questionnaire": "http://byneed.dk/fhir/Questionnaire/who5|1.0.0",
                                 "item": [{"linkId": "nope", "answer": [{"valueInteger": 1}]}]}))
    result = run_byneed("score", str(stray))
    assert result.returncode == 1 and 'unknown linkId "nope"' in result.stderr


def test_score_takes_a_file_without_url_and_warns(tmp_path):
    conformance = ROOT.parent / "shared" / "conformance" / "questionnaires" / "lhcforms-phq9-weight.json"
    definition = json.loads(conformance.read_text())
    response = tmp_path / "response.json"
    response.write_text(json.dumps(answers_for(definition, lambda item: item["answerOption"][1])))
    result = run_byneed("score", "--questionnaire", str(conformance), str(response))
    report = json.loads(result.stdout)
    assert any("url" in warning for warning in report["warnings"])


def test_import_assigns_url_and_version_and_the_result_passes_check(tmp_path):
    paths = copy_project_folders(tmp_path)
    conformance = ROOT.parent / "shared" / "conformance" / "questionnaires" / "lhcforms-phq9-weight.json"
    refused = run_byneed("import", str(conformance), "--questionnaires", str(tmp_path / "Questionnaires"))
    assert refused.returncode == 1 and "--url" in refused.stderr
    imported = run_byneed("import", str(conformance), "--questionnaires", str(tmp_path / "Questionnaires"),
                          "--url", "http://example.org/Questionnaire/phq9", "--version", "2.0")
    assert imported.returncode == 0, imported.stderr
    written = tmp_path / "Questionnaires" / "phq9-2.0.json"
    assert json.loads(written.read_text())["url"] == "http://example.org/Questionnaire/phq9"
    assert run_byneed("check", *paths).returncode == 0
    again = run_byneed("import", str(conformance), "--questionnaires", str(tmp_path / "Questionnaires"),
                       "--url", "http://example.org/Questionnaire/phq9", "--version", "2.0", "--name", "copy")
    assert again.returncode == 1 and "also defined" in again.stderr
    assert not (tmp_path / "Questionnaires" / "copy.json").exists()


def submit_demo(link, pages):
    """Posts the demo form page by page, then submits, as a browser without JavaScript would."""
    import urllib.parse
    import urllib.request

    for number, fields in enumerate(pages, start=1):
        body = urllib.parse.urlencode(fields + [("page", str(number)), ("action", "next")]).encode()
        with urllib.request.urlopen(urllib.request.Request(link, data=body), timeout=10) as response:
            assert response.status == 200
    with urllib.request.urlopen(urllib.request.Request(link + "/submit", data=b"lang=da"), timeout=10) as response:
        assert "Tak" in response.read().decode()


def test_triage_replay_shows_which_responses_a_candidate_rule_would_recolour(server, tmp_path):
    submit_demo(server.patient_link, [
        [("a.diary-date", "2026-11-20"), ("a.had-symptoms", "false")],
        [("a.steps", "800")],
        [("a.doses", "0")],
        [("a.contact-me", "false")],
    ])
    demo = json.loads((ROOT / "Questionnaires" / "demo-all-types.json").read_text())
    demo["version"] = "1.1.0"

    def add_rule(items):
        for item in items:
            if item["linkId"] == "steps":
                item.setdefault("extension", []).append({
                    "url": "http://byneed.dk/fhir/StructureDefinition/answer-significance",
                    "extension": [{"url": "operator", "valueCode": "<="}, {"url": "answer", "valueInteger": 1000},
                                  {"url": "colour", "valueCode": "yellow"},
                                  {"url": "reason", "valueString": "Meget lidt aktivitet"}]})
            add_rule(item.get("item", []))

    add_rule(demo["item"])
    candidate = tmp_path / "candidate.json"
    candidate.write_text(json.dumps(demo))
    before = (server.data_dir / "byneed.sqlite").read_bytes()
    result = run_byneed("triage", "replay", "--candidate", str(candidate), "--data-dir", str(server.data_dir))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 responses to http://byneed.dk/fhir/Questionnaire/demo-all-types; 1 would change colour")
    assert "green → yellow  (Meget lidt aktivitet)" in result.stdout
    assert (server.data_dir / "byneed.sqlite").read_bytes() == before, "the replay changes nothing"

    unchanged = run_byneed("triage", "replay", "--candidate", str(ROOT / "Questionnaires" / "demo-all-types.json"),
                           "--data-dir", str(server.data_dir))
    assert "0 would change colour" in unchanged.stdout
    assert run_byneed("triage", "rerun", "--candidate", str(candidate)).returncode == 64


def test_threshold_set_changes_the_triage_of_that_patients_next_response(server):
    """A patient's own threshold (docs/scoring-and-triage.md) replaces the rule's default in the next
    triage, is listed with who set it and why, and a rule the questionnaire lacks is refused."""
    who5 = "http://byneed.dk/fhir/Questionnaire/who5"
    common = ["--cpr", "2512489996", "--questionnaire", who5, "--data-dir", str(server.data_dir)]
    unknown = run_byneed("threshold", "set", *common, "--rule", "no-such-rule", "--value", "10", "--by", "Dr. Test")
    assert unknown.returncode == 1 and "who5-poor-wellbeing" in unknown.stderr
    not_a_number = run_byneed("threshold", "set", *common, "--rule", "who5-poor-wellbeing", "--value", "ti", "--by", "x")
    assert not_a_number.returncode == 64 and "--value" in not_a_number.stderr

    changed = run_byneed("threshold", "set", *common, "--rule", "who5-poor-wellbeing", "--value", "16",
                         "--by", "Dr. Test", "--reason", "lav trivsel ved sidste besøg")
    assert changed.returncode == 0, changed.stderr
    listed = run_byneed("threshold", "list", *common)
    assert "who5-poor-wellbeing  16  by Dr. Test  (lav trivsel ved sidste besøg)" in listed.stdout

    # Every item's fourth option (weight 3): raw score 15, green by the default threshold 13,
    # yellow by this patient's 16.
    submit_demo(server.who5_link, [[("a.item%d" % n, "3") for n in range(1, 6)]])
    database = sqlite3.connect("file:%s?mode=ro" % (server.data_dir / "byneed.sqlite"), uri=True)
    colour, findings = database.execute("SELECT colour, findings_json FROM response_triage").fetchone()
    assert colour == "yellow" and "who5-poor-wellbeing" in findings
    database.close()


def test_research_export_needs_an_approval_and_writes_pseudonymised_data_with_a_dictionary(server, tmp_path):
    submit_demo(server.who5_link, [[("a.item%d" % n, "1") for n in range(1, 6)]])
    common = ["--name", "trivsel", "--data-dir", str(server.data_dir)]
    assert run_byneed("research", "register", *common, "--fields", "birth-year,scores,cpr", "--by", "x").returncode == 1
    assert run_byneed("research", "register", *common, "--fields", "birth-year,scores,colour", "--by", "Data manager").returncode == 0
    refused = run_byneed("research", "export", *common, "--out", str(tmp_path), "--by", "Data manager")
    assert refused.returncode == 1 and "approval" in refused.stderr
    assert list(tmp_path.glob("*.csv")) == []

    assert run_byneed("research", "approve", *common, "--approval", "VEK H-21000000", "--by", "Data manager").returncode == 0
    exported = run_byneed("research", "export", *common, "--out", str(tmp_path), "--by", "Data manager")
    assert exported.returncode == 0, exported.stderr
    data = (tmp_path / "trivsel-data.csv").read_text()
    header, row = data.splitlines()[:2]
    assert header == "pseudonym,birth-year,score:percentage,score:total,colour"
    assert row.split(",")[1:] == ["1948", "80", "20", "green"]
    assert "2512489996" not in data and "Nancy" not in data
    dictionary = (tmp_path / "trivsel-dictionary.csv").read_text()
    assert all(column in dictionary for column in header.split(","))
    again = run_byneed("research", "export", *common, "--out", str(tmp_path), "--by", "Data manager")
    assert again.returncode == 1 and "exists already" in again.stderr

    database = sqlite3.connect("file:%s?mode=ro" % (server.data_dir / "byneed.sqlite"), uri=True)
    audited = database.execute("SELECT what, detail FROM audit_events").fetchall()
    database.close()
    assert audited == [("research-export", "trivsel: 1 people, 1 rows")]
    assert run_byneed("audit", "verify", "--data-dir", str(server.data_dir)).returncode == 0


def test_audit_verify_names_the_first_changed_or_removed_row(server, tmp_path):
    common = ["--name", "p", "--data-dir", str(server.data_dir)]
    assert run_byneed("research", "register", *common, "--fields", "colour", "--by", "x").returncode == 0
    assert run_byneed("research", "approve", *common, "--approval", "A-1", "--by", "x").returncode == 0
    for number in range(3):
        out = tmp_path / str(number)
        out.mkdir()
        assert run_byneed("research", "export", *common, "--out", str(out), "--by", "x").returncode == 0
    assert run_byneed("audit", "verify", "--data-dir", str(server.data_dir)).stdout.startswith("audit log intact: 3 rows")
    head = run_byneed("audit", "head", "--data-dir", str(server.data_dir)).stdout.split()
    assert head[0] == "3" and len(head[1]) == 64

    database = sqlite3.connect(str(server.data_dir / "byneed.sqlite"))
    database.execute("UPDATE audit_events SET detail = 'nothing to see' WHERE id = 2")
    database.commit()
    changed = run_byneed("audit", "verify", "--data-dir", str(server.data_dir))
    assert changed.returncode == 1 and "row 2" in changed.stderr and "changed" in changed.stderr
    database.execute("DELETE FROM audit_events WHERE id = 2")
    database.commit()
    database.close()
    removed = run_byneed("audit", "verify", "--data-dir", str(server.data_dir))
    assert removed.returncode == 1 and "row 3" in removed.stderr and "removed" in removed.stderr


def test_staff_totp_prints_an_otpauth_uri_and_stores_the_secret_it_shows(server):
    common = ["--data-dir", str(server.data_dir)]
    added = subprocess.run([str(BINARY), "staff", "add", "--username", "tove", "--name", "Tove To-Trin", "--department-sor",
                            "999999999999999", "--role", "health-professional", "--password-stdin", "--totp", *common],
                           cwd=ROOT, input="korrekt hest batteri klips\n", capture_output=True, text=True, timeout=60)
    assert added.returncode == 0, added.stderr
    assert "otpauth://totp/ByNeed:tove?secret=" in added.stdout
    renewed = run_byneed("staff", "totp", "--username", "tove", *common)
    assert renewed.returncode == 0, renewed.stderr
    uri = next(line for line in renewed.stdout.splitlines() if line.startswith("otpauth://totp/ByNeed:tove?"))
    assert "&issuer=ByNeed&algorithm=SHA1&digits=6&period=30" in uri
    secret = next(line for line in renewed.stdout.splitlines() if line.startswith("secret: ")).split(" ", 1)[1]
    assert "secret=%s&" % secret in uri and secret not in added.stdout
    database = sqlite3.connect("file:%s?mode=ro" % (server.data_dir / "byneed.sqlite"), uri=True)
    stored, last_step = database.execute("SELECT totp_secret, totp_last_step FROM staff_users WHERE username = 'tove'").fetchone()
    database.close()
    assert stored == base64.b32decode(secret + "=" * (-len(secret) % 8)) and last_step is None
    unknown = run_byneed("staff", "totp", "--username", "ingen", *common)
    assert unknown.returncode == 1 and "no staff account ingen" in unknown.stderr
