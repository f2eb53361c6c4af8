#!/usr/bin/env python3
"""The live preview in a real browser (headless Chromium, chromedriver).

    md-preview/tests/browser/preview.py [--bin DIR] [--content DIR] [--screenshots DIR]

On a copy of content/: the served page, without the injected block, is the
page of the pipe `md2ast | ast-filters html | ast2html HTML_OPTS` (the
binaries of DIR) byte for byte; scrolled to a section, a chapter edited on
disk shows its new text with the same section at the same place; a typo is
listed and its link leads to its section, and the list can be closed; bad
YAML shows the overlay with file:line:col; fixed, the page comes back.
Then a page whose 400 images are missing (a common state while writing)
loads in full, images answered 404, in each of 3 fresh Chromiums (it opens
6 connections at once: none may be left unread).
Exits 0 when all of it holds.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from preview_lib import Preview, chromium, loaded, quit_chromium, wait  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))
HTML_OPTS = ["--toc", "--number-sections", "--embed-resources"]
START = "<!-- md-preview: live reload (not part of the document) -->"
END = "<!-- /md-preview -->\n"

SECTION = "ancienne-construction"  # a section of 20_genese.md, below its first paragraph
NEW_TEXT = "Ce paragraphe vient d'être ajouté pendant que la page était ouverte."
TYPO = "Une espace manque ici: la liste doit le dire."


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print(f"ok - {message}")


def pipe_page(bindir, content):
    files = sorted(os.path.join(content, f) for f in os.listdir(content)
                   if f.endswith(".md") and not f.startswith("."))
    md = subprocess.run([os.path.join(bindir, "md2ast"), *files], check=True, capture_output=True)
    filtered = subprocess.run([os.path.join(bindir, "ast-filters"), "html"], input=md.stdout,
                              check=True, capture_output=True)
    html = subprocess.run([os.path.join(bindir, "ast2html"), *HTML_OPTS, "--resource-path", content],
                          input=filtered.stdout, check=True, capture_output=True)
    return html.stdout


def heading_top(driver, ident):
    return driver.execute_script(
        "var h = document.getElementById(arguments[0]);"
        "return h ? h.getBoundingClientRect().top : null;", ident)


def missing_images(binary, tries=3, images=400):
    """A page linking IMAGES missing images loads in full, TRIES times."""
    source = tempfile.mkdtemp(prefix="md-preview-missing-")
    try:
        with open(os.path.join(source, "texte.md"), "w", encoding="utf-8") as f:
            f.write("---\ntitle: Images absentes\nlang: fr-FR\n---\n\n")
            for i in range(images):
                f.write(f"![Figure {i}](media/absente-{i}.png)\n\n")
        for attempt in range(tries):
            preview = Preview(binary, source, HTML_OPTS)
            driver = chromium()
            try:
                driver.set_page_load_timeout(20)
                driver.get(preview.url)
                wait("the page and its images", lambda: loaded(driver), timeout=20)
                done = driver.execute_script(
                    "return [...document.images].filter(i => i.complete).length")
                check(done == images, f"a page with {images} missing images loads in full "
                      f"({done} answered, Chromium {attempt + 1} of {tries})")
            except Exception:
                print("md-preview's terminal:\n" + preview.terminal(), file=sys.stderr)
                raise
            finally:
                quit_chromium(driver)
                preview.close()
    finally:
        shutil.rmtree(source, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, "target/release"))
    parser.add_argument("--content", default=os.path.join(ROOT, "content"))
    parser.add_argument("--screenshots", help="save screenshots of each step here")
    args = parser.parse_args()

    # The resource folder is the copied folder (the default for a folder),
    # as --resource-path content is for the Makefile.
    preview = Preview(os.path.join(args.bin, "md-preview"), args.content, HTML_OPTS)
    driver = None
    try:
        served = urllib.request.urlopen(preview.url).read()
        start = served.index(START.encode())
        end = served.index(END.encode()) + len(END)
        check(served[:start] + served[end:] == pipe_page(args.bin, preview.content),
              "the page is the pipe's (md2ast | ast-filters html | ast2html HTML_OPTS) byte for byte")

        driver = chromium()
        driver.get(preview.url)
        first = wait("the page", lambda: loaded(driver))
        check(driver.find_element("id", SECTION).is_displayed(), "the page is shown")

        def shot(name):
            if args.screenshots:
                os.makedirs(args.screenshots, exist_ok=True)
                driver.save_screenshot(os.path.join(args.screenshots, name + ".png"))

        # Scroll to a section, 40 px below the top of the window.
        driver.execute_script(
            "var h = document.getElementById(arguments[0]); h.scrollIntoView();"
            "window.scrollBy(0, -40);", SECTION)
        before = heading_top(driver, SECTION)
        scroll_before = driver.execute_script("return window.scrollY")
        shot("1-scrolled")

        # Edit the chapter: a long paragraph above the section (everything
        # below moves down), the new text and a typo inside it.
        chapter = preview.path("20_genese.md")
        text = open(chapter, encoding="utf-8").read()
        first_para_end = text.index("\n\n", text.index("\n\n") + 2)
        above = "\n\n" + " ".join(["Un paragraphe ajouté au-dessus déplace la suite vers le bas."] * 40)
        text = text[:first_para_end] + above + text[first_para_end:]
        heading = "## L'ancienne construction {#ancienne-construction}\n\n"
        text = text.replace(heading, heading + NEW_TEXT + " " + TYPO + "\n\n")
        with open(chapter, "w", encoding="utf-8") as f:
            f.write(text)
        now = wait("the reload", lambda: (loaded(driver) or {}).get("generation", 0)
                   > first["generation"] and loaded(driver))
        check(NEW_TEXT.replace("'", "’") in driver.find_element("tag name", "body").text,
              "the new text is in the page")
        after = heading_top(driver, SECTION)
        scroll_after = driver.execute_script("return window.scrollY")
        check(abs(after - before) <= 2,
              f"the section stays in view at the same place ({before:.0f} px, then {after:.0f} px; "
              f"the page scrolled from {scroll_before} to {scroll_after})")
        check(now.get("anchor") == SECTION, "the heading restored is the section's")
        check(driver.execute_script(
            "var p = [...document.querySelectorAll('p')].find(p => p.textContent.includes(arguments[0]));"
            "var r = p.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight;",
            "pendant que la page était ouverte"), "the new paragraph is in view")
        shot("2-edited")

        # The page changed in place is the page a reload gives.
        body = ("return Array.from(document.body.childNodes).filter(n => !(n.nodeType === 8 &&"
                " /^ \\/?md-preview/.test(n.data) || (n.id || '').startsWith('md-preview-')))"
                ".map(n => n.nodeType === 1 ? n.outerHTML : n.nodeType + ':' + n.textContent).join('')")
        patched = driver.execute_script(body)
        check(now.get("patched", 0) >= 1, f"the page was changed in place ({now.get('patched')} elements)")
        driver.refresh()
        wait("the page reloaded", lambda: loaded(driver))
        check(driver.execute_script(body) == patched, "the page changed in place is the page reloaded")
        driver.execute_script("var h = document.getElementById(arguments[0]); h.scrollIntoView();", SECTION)

        # The typo is listed, its link leads to the section, the list closes.
        problems = wait("the list of problems",
                        lambda: driver.find_elements("id", "md-preview-problems"))[0]
        summary = problems.find_element("tag name", "summary")
        check(re.match(r"\d+ problèmes typographiques", summary.text) is not None,
              f"the list of problems has a title with their number ({summary.text})")
        if problems.find_element("tag name", "details").get_attribute("open") is None:
            summary.click()  # a long list starts folded
        link = [a for a in problems.find_elements("tag name", "a") if "ici:" in a.text]
        check(len(link) == 1 and link[0].get_attribute("href").endswith("#" + SECTION),
              "the typography problem is listed with a link to its section")
        driver.execute_script("window.scrollTo(0, 0)")
        link[0].click()
        check(abs(heading_top(driver, SECTION)) <= 2, "the link scrolls to the section")
        problems.find_element("tag name", "button").click()
        check(not driver.find_elements("id", "md-preview-problems"), "the list closes")

        # Bad YAML: the overlay, with the page underneath.
        metadata = preview.path("00_metadata.md")
        good = open(metadata, encoding="utf-8").read()
        with open(metadata, "w", encoding="utf-8") as f:
            f.write(good.replace("lang: fr-FR", "lang: [fr-FR"))
        overlay = wait("the overlay", lambda: driver.find_elements("id", "md-preview-error"))[0]
        message = overlay.find_element("tag name", "pre").text
        check(re.match(r".*00_metadata\.md:\d+:\d+: ", message) is not None,
              f"the overlay shows file:line:col: message ({message.splitlines()[0]})")
        check(overlay.is_displayed() and driver.find_element("id", SECTION).is_displayed(),
              "the overlay is shown over the last good page")
        check(re.search(r"00_metadata\.md:\d+:\d+: ", preview.terminal()) is not None,
              "the terminal prints the error")
        shot("3-error")

        # Fixed: the overlay goes, the page is there.
        with open(metadata, "w", encoding="utf-8") as f:
            f.write(good)
        wait("the overlay to go", lambda: not driver.find_elements("id", "md-preview-error"))
        check(driver.find_element("id", SECTION).is_displayed(), "fixed, the page is shown again")
        shot("4-fixed")
        lines = re.findall(r"20_genese\.md changed: page of \d+ files built in \d+ ms", preview.terminal())
        check(len(lines) == 1, f"the terminal has a line per rebuild, one for the one save ({lines})")
    except Exception:
        print("md-preview's terminal:\n" + preview.terminal(), file=sys.stderr)
        raise
    finally:
        if driver is not None:
            quit_chromium(driver)
        preview.close()
    missing_images(os.path.join(args.bin, "md-preview"))
    print("all passed")


if __name__ == "__main__":
    main()
