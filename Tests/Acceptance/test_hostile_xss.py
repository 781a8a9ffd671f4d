"""Stored XSS: script-bearing text typed by patients, relatives and staff is shown to clinicians
as text and never runs.

Each string of the corpus is put everywhere a person can type text that a clinician later sees:
the patient's name (`byneed enrol --name`), free-text answers of demo-all-types (`clinic`, a
string; `comment`, a text), the relation of a relative answering for the patient (review page,
`respondent=proxy`), the patient's contact-request message (`POST /q/:token/contact`) and a
clinician's decision note (the decide form). A real Chromium with JavaScript on, signed in as
staff, then opens the worklist, every patient overview and every decision page, plus pages that
reflect query parameters (`q`, `back`) and a refused decision form that shows the note again in
its textarea. On every page: `window.__xss` is undefined, no alert opened, no element carries an
event-handler attribute or a `javascript:` URL, no inline script exists, and each string is shown
literally. The Content-Security-Policy has no 'unsafe-inline'.
"""
import json
import urllib.parse

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By

from conftest import Server, make_browser
from test_hostile_inputs import (PASSWORD, Client, add_staff, enrol, invite, patient_ids, sign_in,
                                 submit_demo_questionnaire)

CORPUS = [
    "<script>window.__xss=1</script>",
    "\"><img src=x onerror=\"window.__xss=1\">",
    "'><img src=x onerror='window.__xss=1'>",
    "javascript:window.__xss=1",
    "</textarea><svg onload=\"window.__xss=1\">",
    "\" autofocus onfocus=\"window.__xss=1\" x=\"",
    "`-window.__xss=1-` <a href=`javascript:window.__xss=1`>x</a>",
    "\\u003cscript\\u003ewindow.__xss=1\\u003c/script\\u003e",
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    "{{#t}}{{{name}}}{{/t}} {{csrf}} {{& name}}",
    "<svg><script>window.__xss=1</script></svg>",
    "\uff1cscript\uff1ewindow.__xss=1\uff1c/script\uff1e",
    "<iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
    "</title><script>alert(1)</script>",
    "<a href=\"javascript:window.__xss=1\">klik</a>",
]

INERT = """
const handlers = [];
for (const element of document.querySelectorAll('*')) {
  for (const attribute of element.attributes) {
    const name = attribute.name.toLowerCase();
    if (name.startsWith('on') || name === 'srcdoc'
        || (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(name)
            && /^\\s*javascript:/i.test(attribute.value))) {
      handlers.push(element.outerHTML.slice(0, 160));
    }
  }
}
return {
  xss: typeof window.__xss,
  handlers: handlers,
  inlineScripts: Array.from(document.scripts).filter(s => !s.src).length,
  frames: document.querySelectorAll('iframe, object, embed, img[src="x"]').length,
};
"""


def cpr_for(index):
    return "%02d0170%04d" % (index + 1, 1234)


@pytest.fixture
def planted(tmp_path):
    """A server where every corpus string has been typed into every clinician-visible field."""
    data = tmp_path / "data"
    server = Server(data, extra=("--insecure-cookies",))
    add_staff(data)
    staff, csrf = sign_in(server.base_url)
    subjects = []
    for index, text in enumerate(CORPUS):
        enrol(data, cpr_for(index), text)
        patient = patient_ids(data)[-1]
        link = invite(data, cpr_for(index))
        patient_client = Client(server.base_url)
        submit_demo_questionnaire(patient_client, link, clinic=text, comment=text, relation=text)
        status, _, _ = patient_client.post(link + "/contact", [("lang", "da"), ("message", text)])
        assert status == 200
        database = server.database()
        response_id = database.execute("SELECT max(id) FROM questionnaire_responses").fetchone()[0]
        contact_id = database.execute("SELECT max(id) FROM contact_requests").fetchone()[0]
        database.close()
        for subject in (f"response-{response_id}", f"contact-request-{contact_id}"):
            status, _, _ = staff.post(f"/staff/patients/{patient}/decide",
                                      [("csrf", csrf), ("subject", subject), ("kind", "no-action"), ("note", text)])
            assert status == 303
            subjects.append((patient, subject, text))
    yield server, subjects
    assert server.stop() == 0, "".join(server.output)


def assert_inert(driver, where):
    try:
        alert = driver.switch_to.alert
        text = alert.text
        alert.dismiss()
        raise AssertionError(f"{where}: an alert opened: {text!r}")
    except NoAlertPresentException:
        pass
    found = driver.execute_script(INERT)
    assert found["xss"] == "undefined", f"{where}: injected script ran"
    assert found["handlers"] == [], f"{where}: injected attributes {found['handlers']}"
    assert found["inlineScripts"] == 0, f"{where}: an inline script exists"
    assert found["frames"] == 0, f"{where}: an injected frame or image exists"


def shown(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def sign_in_browser(driver, base):
    driver.get(base + "/staff/login")
    driver.find_element(By.ID, "username").send_keys("karen")
    password = driver.find_element(By.ID, "password")
    password.send_keys(PASSWORD)
    password.submit()
    assert driver.current_url.endswith("/staff/worklist")


def test_typed_scripts_are_shown_as_text_and_never_run(planted):
    server, subjects = planted
    driver = make_browser(javascript=True)
    driver.set_window_size(1280, 900)
    try:
        base = server.base_url
        sign_in_browser(driver, base)
        assert_inert(driver, "worklist")
        worklist = shown(driver)
        for text in CORPUS:
            assert text in worklist, f"worklist does not show {text!r} literally"

        for patient in sorted({patient for patient, _, _ in subjects}):
            driver.get(f"{base}/staff/patients/{patient}")
            assert_inert(driver, f"patient {patient}")
            text = next(text for p, _, text in subjects if p == patient)
            page = shown(driver)
            assert page.count(text) >= 4, f"overview of {patient} shows {text!r} {page.count(text)} times"

        for patient, subject, text in subjects:
            driver.get(f"{base}/staff/patients/{patient}/decide?subject={subject}")
            assert_inert(driver, f"decision {subject}")
            assert text in shown(driver), f"decision page {subject} does not show {text!r}"

        patient, subject, _ = subjects[0]
        for text in CORPUS:
            quoted = urllib.parse.quote(text, safe="")
            driver.get(f"{base}/staff/worklist?q={quoted}")
            assert_inert(driver, f"worklist search {text!r}")
            assert driver.find_element(By.ID, "filter-q").get_attribute("value") == text
            driver.get(f"{base}/staff/patients/{patient}/decide?subject={subject}&back={quoted}&corrects={quoted}")
            assert_inert(driver, f"decision page back={text!r}")

            note = driver.find_element(By.ID, "note")
            note.clear()
            note.send_keys(text)
            note.submit()
            assert_inert(driver, f"refused decision with note {text!r}")
            assert driver.find_element(By.ID, "note").get_attribute("value") == text
    finally:
        driver.quit()


def test_the_relation_of_a_relative_is_stored_literally(planted):
    server, _ = planted
    database = server.database()
    try:
        stored = [json.loads(row[0]) for row in database.execute("SELECT resource_json FROM questionnaire_responses")]
    finally:
        database.close()
    serialised = [json.dumps(resource, ensure_ascii=False) for resource in stored]
    for text in CORPUS:
        assert any(json.dumps(text, ensure_ascii=False)[1:-1] in resource for resource in serialised), text


def test_clinician_pages_forbid_inline_script(planted):
    server, subjects = planted
    staff, _ = sign_in(server.base_url)
    patient, subject, _ = subjects[0]
    for path in ("/staff/worklist", f"/staff/patients/{patient}", f"/staff/patients/{patient}/decide?subject={subject}"):
        status, headers, _ = staff.get(path)
        assert status == 200
        policy = headers["content-security-policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, policy
        assert "script-src 'self'" in policy or "default-src 'self'" in policy, policy
