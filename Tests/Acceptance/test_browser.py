"""The patient path in a real browser (Debian's Chromium through selenium), once with
JavaScript on and once with it off, ending in the stored QuestionnaireResponse, which is
validated against the FHIR R4 (4.0.1) models of fhir.resources."""
import hashlib
import json

from fhir.resources.questionnaireresponse import QuestionnaireResponse
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import make_browser, replaced


def field(driver, link_id, value=None):
    """The input of a question, or the option of a choice question with this value."""
    selector = f"[name='a.{link_id}']" + (f"[value='{value}']" if value is not None else "")
    return driver.find_element(By.CSS_SELECTOR, selector)


def choose(driver, link_id, value):
    """Clicks the label of an option, as a person taps the text on a phone."""
    option = field(driver, link_id, value)
    driver.find_element(By.CSS_SELECTOR, f"label[for='{option.get_attribute('id')}']").click()


def choose_by_label(driver, link_id, label):
    for option in driver.find_elements(By.CSS_SELECTOR, f"[name='a.{link_id}']"):
        text = driver.find_element(By.CSS_SELECTOR, f"label[for='{option.get_attribute('id')}']").text
        if text == label:
            option.find_element(By.XPATH, "following-sibling::label").click()
            return
    raise AssertionError(f"no option {label!r} for {link_id}")


def type_into(driver, link_id, text):
    element = field(driver, link_id)
    element.clear()
    element.send_keys(text)


def press(driver, label):
    """Clicks a button or link that leads to a new page, and waits until that page has loaded
    (WebDriver runs its own scripts even where the page's JavaScript is switched off)."""
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.XPATH, f"//button[normalize-space()='{label}'] | //a[normalize-space()='{label}']").click()
    WebDriverWait(driver, 10).until(replaced(page))
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")


def shown(driver, link_id):
    return field(driver, link_id).is_displayed()


def assert_every_input_is_labelled(driver):
    for element in driver.find_elements(By.CSS_SELECTOR, "input:not([type=hidden]), select, textarea"):
        element_id = element.get_attribute("id")
        assert element_id and driver.find_elements(By.CSS_SELECTOR, f"label[for='{element_id}']"), element_id
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") in ("da", "en")


def stored_response(server, token):
    """The one response stored through the invitation of this link token (stored as its SHA-256)."""
    with server.database() as database:
        rows = database.execute(
            "SELECT r.resource_json FROM questionnaire_responses r JOIN invitations i ON i.id = r.invitation_id"
            " WHERE i.token_hash = ?", (hashlib.sha256(token.encode()).digest(),)).fetchall()
    assert len(rows) == 1, rows
    resource = json.loads(rows[0][0])
    QuestionnaireResponse.parse_obj(resource)
    return resource


def answers(resource):
    """linkId → list of answer values (value[x] objects), over nested items."""
    found = {}

    def walk(items):
        for item in items:
            if "answer" in item:
                found[item["linkId"]] = [{k: v for k, v in answer.items() if k.startswith("value")} for answer in item["answer"]]
            walk(item.get("item", []))

    walk(resource.get("item", []))
    return found


def test_patient_fills_the_demo_with_javascript(server):
    driver = make_browser(javascript=True)
    try:
        driver.get(server.patient_link)
        assert "Side 1 af 4" in driver.page_source
        assert_every_input_is_labelled(driver)

        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 320, "height": 640, "deviceScaleFactor": 2, "mobile": True})
        assert driver.execute_script("return document.documentElement.scrollWidth") <= 320
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

        field(driver, "diary-date").send_keys("11202026")
        choose_by_label(driver, "sleep", "Godt")
        assert not shown(driver, "symptoms"), "the symptom group waits for a yes"
        choose(driver, "had-symptoms", "true")
        assert shown(driver, "symptoms")
        assert not shown(driver, "pain-score")
        choose_by_label(driver, "symptoms", "Ledsmerter")
        choose_by_label(driver, "symptoms", "Kvalme")
        assert shown(driver, "pain-score") and shown(driver, "symptom-start")
        type_into(driver, "pain-score", "8")
        assert shown(driver, "pain-site")
        choose_by_label(driver, "pain-site", "Knæ")
        field(driver, "symptom-start").send_keys("11202026" + Keys.TAB + "1030AM")
        press(driver, "Næste")

        assert "Side 2 af 4" in driver.page_source
        assert not driver.find_element(By.CSS_SELECTOR, "[data-enable-when*='temperature'].display").is_displayed()
        type_into(driver, "temperature", "39,5")
        assert driver.find_element(By.XPATH, "//*[contains(text(), 'Du har feber')]").is_displayed()
        choose(driver, "fever-contacted", "true")
        type_into(driver, "fluids", "1,5")
        Select(driver.find_element(By.NAME, "a.fluids.unit")).select_by_visible_text("liter")
        type_into(driver, "weight", "70,5")
        assert not shown(driver, "low-activity-reason")
        type_into(driver, "steps", "800")
        assert shown(driver, "low-activity-reason")
        choose_by_label(driver, "low-activity-reason", "Smerter")
        driver.find_element(By.NAME, "a.low-activity-reason.other").send_keys("Regnvejr")
        press(driver, "Næste")

        assert "Side 3 af 4" in driver.page_source
        assert shown(driver, "side-effects"), "nausea on page 1 enables it whatever the dose"
        assert shown(driver, "medicine-name"), "doses != 0 holds while doses is unanswered (FHIR R4)"
        choose(driver, "doses", "0")
        assert not shown(driver, "medicine-name")
        choose(driver, "doses", "4")
        assert shown(driver, "medicine-name")
        type_into(driver, "medicine-name", "Panodil")
        type_into(driver, "side-effects", "Lidt kvalme")
        assert driver.find_element(By.XPATH, "//*[contains(text(), 'meget smertestillende')]").is_displayed()
        assert field(driver, "next-visit", "2").is_selected(), "the initially selected date"
        press(driver, "Næste")

        assert "Side 4 af 4" in driver.page_source
        press(driver, "Se dine svar")
        assert "Der mangler noget" in driver.page_source
        assert driver.execute_script("return document.activeElement.id") == "error-summary"
        driver.find_element(By.CSS_SELECTOR, ".error-summary a").click()
        type_into(driver, "comment", "Tak for nu")
        choose(driver, "contact-me", "false")
        press(driver, "English")
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
        assert field(driver, "comment").get_attribute("value") == "Tak for nu", "switching language keeps what was typed"
        assert field(driver, "contact-me", "false").is_selected()
        press(driver, "Review your answers")

        assert "Check your answers" in driver.page_source
        for text in ("Panodil", "Knee", "70.5", "Reumatologisk ambulatorium"):
            assert text in driver.page_source, text
        press(driver, "Send answers")
        assert "Thank you – your answers have been received" in driver.page_source
        driver.back()
        driver.refresh()
        assert "Thank you – your answers have been received" in driver.page_source, "a sent form cannot be reopened"
    finally:
        driver.quit()

    got = answers(stored_response(server, server.patient_link.rsplit("/", 1)[1]))
    assert got["diary-date"] == [{"valueDate": "2026-11-20"}]
    assert got["sleep"] == [{"valueString": "Godt"}]
    assert got["had-symptoms"] == [{"valueBoolean": True}]
    assert {answer["valueCoding"]["code"] for answer in got["symptoms"]} == {"joint-pain", "nausea"}
    assert got["pain-score"] == [{"valueInteger": 8}]
    assert got["pain-site"][0]["valueCoding"]["code"] == "knee"
    assert got["symptom-start"] == [{"valueDateTime": "2026-11-20T10:30:00+01:00"}]
    assert got["temperature"][0]["valueQuantity"]["value"] == 39.5
    assert got["temperature"][0]["valueQuantity"]["code"] == "Cel"
    assert got["fluids"][0]["valueQuantity"]["value"] == 1.5
    assert got["fluids"][0]["valueQuantity"]["code"] == "L"
    assert got["weight"] == [{"valueDecimal": 70.5}]
    assert got["steps"] == [{"valueInteger": 800}]
    assert {"valueString": "Regnvejr"} in got["low-activity-reason"]
    assert got["doses"] == [{"valueInteger": 4}]
    assert got["medicine-name"] == [{"valueString": "Panodil"}]
    assert got["next-visit"] == [{"valueDate": "2026-12-15"}]
    assert got["clinic"] == [{"valueString": "Reumatologisk ambulatorium"}]
    assert got["contact-me"] == [{"valueBoolean": False}]


def test_patient_fills_the_demo_without_javascript(server):
    driver = make_browser(javascript=False)
    try:
        driver.get(server.patient_link)
        assert_every_input_is_labelled(driver)
        field(driver, "diary-date").send_keys("11202026")
        choose(driver, "had-symptoms", "false")
        assert shown(driver, "symptoms"), "without the script every question on the page is shown"
        assert "Besvar kun dette, hvis det passer med dit svar på" in driver.page_source
        choose_by_label(driver, "symptoms", "Kvalme")
        press(driver, "Næste")

        assert "Side 2 af 4" in driver.page_source, "a disabled required question does not block"
        type_into(driver, "steps", "5000")
        choose_by_label(driver, "low-activity-reason", "Træthed")
        type_into(driver, "weight", "abc")
        press(driver, "Næste")
        assert "Skriv et tal" in driver.page_source
        assert field(driver, "weight").get_attribute("value") == "abc", "what the patient typed stays"
        type_into(driver, "weight", "70")
        press(driver, "Næste")

        assert "Side 3 af 4" in driver.page_source
        choose(driver, "doses", "0")
        type_into(driver, "medicine-name", "Ipren")
        press(driver, "Næste")

        press(driver, "English")
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
        assert "Page 4 of 4" in driver.page_source
        choose(driver, "contact-me", "true")
        press(driver, "Review your answers")
        assert "Check your answers" in driver.page_source
        assert "Ipren" not in driver.page_source, "answers to questions that do not apply are dropped"
        press(driver, "Send answers")
        assert "Thank you – your answers have been received" in driver.page_source
    finally:
        driver.quit()

    got = answers(stored_response(server, server.patient_link.rsplit("/", 1)[1]))
    assert got["had-symptoms"] == [{"valueBoolean": False}]
    for dropped in ("symptoms", "pain-score", "low-activity-reason", "medicine-name", "last-dose"):
        assert dropped not in got, dropped
    assert got["steps"] == [{"valueInteger": 5000}]
    assert got["weight"] == [{"valueDecimal": 70}]
    assert got["doses"] == [{"valueInteger": 0}]
    assert got["contact-me"] == [{"valueBoolean": True}]
