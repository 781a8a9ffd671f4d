"""The patient manages who sees their answers in a real browser without JavaScript: the GP is
blocked from the patient's own page, the GP's open session is refused on its next request, and
the patient's access log shows who looked."""
import datetime
import sqlite3
import subprocess

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import BINARY, ROOT, Server, make_browser, replaced
from test_browser import assert_every_input_is_labelled

PASSWORD = "korrekt hest batteri klips"
DEMO_SOR = "999999999999999"
GP_SOR = "380000000000001"


def byneed(*arguments, data, stdin=None):
    done = subprocess.run([str(BINARY), *arguments, "--data-dir", str(data)], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def sharing_server(tmp_path):
    data = tmp_path / "data"
    running = Server(data, extra=("--insecure-cookies",))
    byneed("department", "add", "--sor", GP_SOR, "--name", "Lægerne i Byen", "--phone", "33 33 33 33", "--kind", "gp-clinic", data=data)
    byneed("staff", "add", "--username", "laege", "--name", "Dr. Lund", "--department-sor", GP_SOR, "--role",
           "health-professional", "--password-stdin", data=data, stdin=PASSWORD + "\n")
    byneed("enrol", "--cpr", "2512489996", "--name", "Nancy Berggren", "--email", "nancy@example.org", "--plan",
           "epilepsy-standard", "--start", datetime.date.today().isoformat(), "--department-sor", DEMO_SOR,
           "--gp-sor", GP_SOR, data=data)
    yield running
    assert running.stop() == 0, "".join(running.output)


def sign_in(driver, base, username):
    driver.get(base + "/staff/login")
    driver.find_element(By.ID, "username").send_keys(username)
    password = driver.find_element(By.ID, "password")
    password.send_keys(PASSWORD)
    password.send_keys(Keys.ENTER)
    assert driver.current_url.endswith("/staff/worklist") or "/staff/" in driver.current_url


def test_the_patient_blocks_their_gp_and_sees_who_looked(sharing_server):
    doctor = make_browser(javascript=False)
    patient = make_browser(javascript=False)
    try:
        base = sharing_server.base_url
        sign_in(doctor, base, "laege")
        doctor.get(base + "/staff/shared")
        link = doctor.find_element(By.LINK_TEXT, "Nancy Berggren")
        overview_url = link.get_attribute("href")
        link.send_keys(Keys.ENTER)
        assert "Nancy Berggren" in doctor.find_element(By.TAG_NAME, "h1").text

        patient.get(sharing_server.who5_link + "/sharing")
        assert patient.find_element(By.TAG_NAME, "h1").text == "Hvem kan se dine svar"
        assert "Behandler dig (din egen læge)" in patient.page_source
        assert_every_input_is_labelled(patient)
        block = patient.find_element(By.XPATH, "//tr[th[contains(., 'Lægerne i Byen')]]//button")
        assert block.text.startswith("Spær")
        block.send_keys(Keys.ENTER)
        WebDriverWait(patient, 10).until(replaced(block))
        assert "Dit valg er gemt" in patient.page_source
        assert "Nej – du har spærret" in patient.page_source

        doctor.get(overview_url)
        assert "Siden findes ikke" in doctor.page_source
        doctor.get(base + "/staff/shared")
        assert "Nancy Berggren" not in doctor.page_source

        log_link = patient.find_element(By.PARTIAL_LINK_TEXT, "Hvem har set mine oplysninger")
        log_link.send_keys(Keys.ENTER)
        WebDriverWait(patient, 10).until(replaced(log_link))
        log = patient.page_source
        assert "Dr. Lund, Lægerne i Byen, sundhedsperson" in log and "Så dit overblik og dine svar" in log
    finally:
        doctor.quit()
        patient.quit()

    database = sqlite3.connect("file:%s?mode=ro" % (sharing_server.data_dir / "byneed.sqlite"), uri=True)
    assert database.execute("SELECT choice, channel FROM sharing_choices").fetchall() == [("block", "patient-page")]
    assert database.execute("SELECT outcome FROM audit_events WHERE action = 'denied'").fetchall() == [("denied:blocked",)]
    database.close()
    assert subprocess.run([str(BINARY), "audit", "verify", "--data-dir", str(sharing_server.data_dir)],
                          capture_output=True, timeout=60).returncode == 0
