"""Fixtures for the acceptance tests: the real byneed binary, started on a free loopback port
with its own data folder, and a real Chromium driven through selenium."""
import os
import pathlib
import queue
import signal
import sqlite3
import subprocess
import threading
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = ROOT / ".build" / "debug" / "byneed"


def run_byneed(*arguments, check=False, cwd=ROOT):
    """Runs a byneed subcommand to completion and returns the CompletedProcess."""
    return subprocess.run([str(BINARY), *arguments], cwd=cwd, capture_output=True, text=True,
                          timeout=60, check=check)


class Server:
    """A running `byneed serve --demo` with the lines it printed."""

    def __init__(self, data_dir, extra=()):
        self.data_dir = pathlib.Path(data_dir)
        self.process = subprocess.Popen(
            [str(BINARY), "serve", "--demo", "--port", "0", "--data-dir", str(self.data_dir), *extra],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines = queue.Queue()
        self.output = []
        threading.Thread(target=self._pump, daemon=True).start()
        self.base_url = self._wait_for("Listening on ").split("Listening on ", 1)[1]
        self.patient_link = self._wait_for("Patient link: ").split(": ", 1)[1]
        self.who5_link = self._wait_for("WHO-5 link: ").split(": ", 1)[1]

    def _pump(self):
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put(line.rstrip("\n"))

    def _wait_for(self, prefix, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if line.startswith(prefix):
                return line
        raise AssertionError(f"server never printed {prefix!r}; output:\n{''.join(self.output)}")

    def database(self):
        """A read-only connection to the server's SQLite file."""
        return sqlite3.connect(f"file:{self.data_dir / 'byneed.sqlite'}?mode=ro", uri=True)

    def stop(self):
        """SIGTERM, as a supervisor would; the server must drain and exit 0."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


@pytest.fixture
def server(tmp_path):
    running = Server(tmp_path / "data")
    yield running
    assert running.stop() == 0, "".join(running.output)


def make_browser(javascript):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=en-US",
                     "--window-size=360,780", "--disable-gpu"):
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def replaced(element):
    """A wait condition: `element` no longer belongs to the page (a new page has loaded).

    Chromium sometimes answers a check on a node of the old page with a generic "does not belong
    to the document" error instead of a stale-element error; both mean the page was replaced."""
    from selenium.common.exceptions import WebDriverException

    def check(_driver):
        try:
            element.is_enabled()
            return False
        except WebDriverException:
            return True
    return check
