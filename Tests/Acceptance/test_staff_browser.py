"""The clinician pages in a real browser without JavaScript: sign in, the worklist, the patient
overview, enrolment with a refused CPR number, pausing a plan, signing out - keyboard only."""
import datetime
import subprocess
import urllib.parse
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import BINARY, ROOT, Server, make_browser
from test_browser import assert_every_input_is_labelled

PASSWORD = "korrekt hest batteri klips"
DEMO_SOR = "999999999999999"  # Storage/DemoData.swift: the demo department


@pytest.fixture
def staff_server(tmp_path):
    data = tmp_path / "data"
    running = Server(data, extra=("--insecure-cookies",))
    added = subprocess.run([str(BINARY), "staff", "add", "--username", "karen", "--name", "Karen Nielsen",
                            "--department-sor", DEMO_SOR, "--role", "health-professional", "--password-stdin",
                            "--data-dir", str(data)], cwd=ROOT, input=PASSWORD + "\n", capture_output=True,
                           text=True, timeout=60)
    assert added.returncode == 0, added.stderr
    today = datetime.date.today().isoformat()
    enrolled = subprocess.run([str(BINARY), "enrol", "--cpr", "010170-1234", "--name", "Bent Browser", "--email",
                               "bent@example.org", "--plan", "copd-followup", "--start", today,
                               "--department-sor", DEMO_SOR, "--data-dir", str(data)],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert enrolled.returncode == 0, enrolled.stderr
    # The demo patient is enrolled too, and asks to be contacted from her WHO-5 link: red.
    nancy = subprocess.run([str(BINARY), "enrol", "--cpr", "2512489996", "--name", "Nancy Berggren", "--email",
                            "nancy@example.org", "--plan", "epilepsy-standard", "--start", today,
                            "--department-sor", DEMO_SOR, "--data-dir", str(data)],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert nancy.returncode == 0, nancy.stderr
    body = urllib.parse.urlencode({"lang": "da", "message": "Jeg har fået flere anfald"}).encode()
    with urllib.request.urlopen(urllib.request.Request(running.who5_link + "/contact", data=body), timeout=10) as response:
        assert response.status == 200
    yield running
    assert running.stop() == 0, "".join(running.output)


def press_enter_in(driver, element_id, text):
    element = driver.find_element(By.ID, element_id)
    element.clear()
    element.send_keys(text)
    return element


def submit_with_keyboard(driver, button_text):
    """Tabs from the page start to the button with this text and presses Enter on it."""
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    for _ in range(200):
        active = driver.switch_to.active_element
        if active.tag_name == "button" and active.text.strip() == button_text:
            active.send_keys(Keys.ENTER)
            return
        active.send_keys(Keys.TAB)
    raise AssertionError(f"no button {button_text!r} reachable by Tab")


def test_a_nurse_works_the_clinician_pages_with_the_keyboard(staff_server):
    driver = make_browser(javascript=False)
    driver.set_window_size(1280, 900)
    try:
        base = staff_server.base_url
        driver.get(base + "/staff/worklist")
        assert driver.current_url.endswith("/staff/login")
        assert_every_input_is_labelled(driver)
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        assert driver.switch_to.active_element.text == "Gå til indholdet"

        press_enter_in(driver, "username", "karen")
        press_enter_in(driver, "password", "forkert adgangskode").send_keys(Keys.ENTER)
        assert "Brugernavn eller adgangskode er forkert." in driver.page_source
        press_enter_in(driver, "password", PASSWORD).send_keys(Keys.ENTER)
        assert driver.current_url.endswith("/staff/worklist")
        assert driver.find_element(By.TAG_NAME, "h1").text == "Arbejdsliste"
        assert_every_input_is_labelled(driver)
        rows = driver.find_elements(By.CSS_SELECTOR, "table.worklist th[scope=row] a")
        assert [r.text for r in rows[:2]] == ["Nancy Berggren", "Bent Browser"], "red first"
        assert "Patienten har bedt om at blive kontaktet" in driver.page_source
        assert "010170-xxxx" in driver.page_source and "010170-1234" not in driver.page_source

        # Nancy's contact request: record the phone call, with a note, by keyboard.
        driver.find_element(By.CSS_SELECTOR, "a.decide-link").send_keys(Keys.ENTER)
        assert "Jeg har fået flere anfald" in driver.page_source
        assert_every_input_is_labelled(driver)
        phone = driver.find_element(By.CSS_SELECTOR, "input[name=kind][value=phone-call]")
        phone.send_keys(Keys.SPACE)
        press_enter_in(driver, "note", "Ringet op, aftalt medicinjustering")
        submit_with_keyboard(driver, "Gem beslutning")
        assert driver.current_url.split("?")[0].endswith("/staff/worklist")
        assert "Patienten har bedt om at blive kontaktet" not in driver.page_source

        row = next(r for r in driver.find_elements(By.CSS_SELECTOR, "table.worklist th[scope=row] a") if r.text == "Bent Browser")

        row.send_keys(Keys.ENTER)
        assert "010170-1234" in driver.find_element(By.TAG_NAME, "h1").text
        submit_with_keyboard(driver, "Sæt på pause")
        assert "På pause siden" in driver.page_source

        driver.get(base + "/staff/enrol")
        assert_every_input_is_labelled(driver)
        press_enter_in(driver, "cpr", "310290-1234")
        press_enter_in(driver, "name", "Nina Ny")
        press_enter_in(driver, "email", "nina@example.org")
        submit_with_keyboard(driver, "Tilmeld")
        summary = driver.find_element(By.CLASS_NAME, "error-summary")
        assert "datoen 310290 findes ikke" in summary.text
        summary.find_element(By.TAG_NAME, "a").send_keys(Keys.ENTER)
        assert driver.switch_to.active_element.get_attribute("id") == "cpr"
        press_enter_in(driver, "cpr", "020270-1234")
        driver.find_element(By.CSS_SELECTOR, "#plan option[value='copd-followup']").click()
        submit_with_keyboard(driver, "Tilmeld")
        assert "Nina Ny" in driver.find_element(By.TAG_NAME, "h1").text

        submit_with_keyboard(driver, "Log ud")
        assert "/staff/login" in driver.current_url
        driver.get(base + "/staff/worklist")
        assert driver.current_url.endswith("/staff/login")
    finally:
        driver.quit()
