"""The byneed command line: check, invite, and serve's start-up refusal of broken definitions."""
import json
import os
import shutil
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
