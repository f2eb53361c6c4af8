"""What the browser test and the benchmark share: a copy of a document, an
md-preview serving it, and headless Chromium driven by chromedriver
(Selenium), as Debian packages them (`chromium`, `chromium-driver`)."""

import os
import shutil
import subprocess
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


class Preview:
    """md-preview on a copy of SOURCE (a folder of Markdown), in a temporary folder."""

    def __init__(self, binary, source, args=()):
        self.tmp = tempfile.mkdtemp(prefix="md-preview-")
        self.content = os.path.join(self.tmp, "content")
        shutil.copytree(source, self.content)
        self.log = open(os.path.join(self.tmp, "md-preview.log"), "w+")
        self.proc = subprocess.Popen(
            [binary, self.content, "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://"):
            terminal = self.terminal()
            self.close()
            raise RuntimeError("md-preview did not start:\n" + terminal)

    def path(self, name):
        return os.path.join(self.content, name)

    def terminal(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def chromium(width=1200, height=900):
    """Headless Chromium as root in a container: no sandbox, no GPU, nothing
    fetched from the network, a fresh profile."""
    profile = tempfile.mkdtemp(prefix="md-preview-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        f"--user-data-dir={profile}",
    ]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.profile_dir = profile
    return driver


def quit_chromium(driver):
    driver.quit()
    shutil.rmtree(driver.profile_dir, ignore_errors=True)


def wait(what, predicate, timeout=20.0, step=0.005):
    """Calls PREDICATE until it returns something true; fails after TIMEOUT s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(step)


def loaded(driver):
    """The page's record of its last load: generation, time (ms since the
    epoch, after images and the scroll restored), heading restored."""
    return driver.execute_script("return window.__mdPreview || null")
