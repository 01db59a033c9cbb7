"""The web UI in a real headless Chromium (Debian's chromium and chromium-driver, driven by Selenium):
pages load without script errors, the article page highlights quotes and places and explains them,
search works from the box, the map and the network draw, and no page asks for anything outside the
server.

Where Chromium, ChromeDriver or Selenium are missing these tests are skipped, unless
NEWSGRAPH_BROWSER_TESTS=1 (which .ci/run sets after installing them): then a missing browser fails.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time

import pytest

REQUIRED = os.environ.get("NEWSGRAPH_BROWSER_TESTS") == "1"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is not installed"
    if not CHROMIUM or not DRIVER:
        return "Debian's chromium and chromium-driver are not installed"
    return None


if (why := _missing()) is not None:
    if REQUIRED:
        raise RuntimeError(f"NEWSGRAPH_BROWSER_TESTS=1 but {why}")
    pytest.skip(why, allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def server(newsroom_db):
    """The UI over the invented newsroom, served by uvicorn on a free port of 127.0.0.1."""
    import uvicorn

    from newsgraph.api import create_app
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(newsroom_db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1300,1000",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def requested(driver) -> list[str]:
    """Every URL the browser asked for since the last call (from its performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def script_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


PAGES = ["/", "/search?q=border", "/article/w-summit", "/timeline?by=day", "/map", "/network"]


def test_pages_load_and_ask_only_the_server(server, browser):
    requested(browser)
    for path in PAGES:
        browser.get(server + path)
        assert browser.find_element(By.CSS_SELECTOR, "header.top .brand").text == "newsgraph", path
        assert script_errors(browser) == [], path
    # what went over a network (chrome:// pages are the browser's own)
    urls = [u for u in requested(browser) if u.split(":", 1)[0] in ("http", "https", "ws", "wss", "ftp")]
    assert len(urls) >= 3 * len(PAGES)                                 # each page, its stylesheet and script
    assert [u for u in urls if not u.startswith(server + "/")] == []


def test_article_page_highlights_and_explains(server, browser, newsroom_db):
    from newsgraph.store import Store
    with Store(newsroom_db, readonly=True) as s:
        analysis = s.get("w-summit").to_dict()
    browser.get(server + "/article/w-summit")
    text = browser.find_element(By.ID, "text")
    for i, q in enumerate(analysis["quotes"]):
        parts = text.find_elements(By.CSS_SELECTOR, f'[data-n~="q{i}"].hl-content')
        assert parts and all(p.is_displayed() for p in parts)
        assert "".join(p.text for p in parts).replace("\n", " ").strip() == q["content"][0]["text"].strip()
        background = parts[0].value_of_css_property("background-color")
        assert background not in ("rgba(0, 0, 0, 0)", "transparent")   # the highlight is drawn
    places = text.find_elements(By.CSS_SELECTOR, ".hl-place")
    assert {p.text for p in places} >= {p["text"] for p in analysis["places"]}
    # hovering a quote explains it: speaker, cue and what was said
    mwangi = next(i for i, q in enumerate(analysis["quotes"]) if q["speaker_name"] == "Daniel Mwangi")
    ActionChains(browser).move_to_element(text.find_element(By.CSS_SELECTOR, f'[data-n~="q{mwangi}"].hl-cue')).perform()
    note = browser.find_element(By.ID, "note")
    WebDriverWait(browser, 5).until(lambda d: "Daniel Mwangi" in note.text)
    assert "said" in note.text and "200 engineers" in note.text
    # a quote in the side list selects its evidence; switching a layer off removes its highlight
    browser.find_element(By.CSS_SELECTOR, f'[data-goto="q{mwangi}"]').click()
    assert text.find_elements(By.CSS_SELECTOR, f'[data-n~="q{mwangi}"].selected')
    browser.find_element(By.CSS_SELECTOR, 'input[data-layer="content"]').click()
    part = text.find_element(By.CSS_SELECTOR, f'[data-n~="q{mwangi}"].hl-content:not(.hl-entity):not(.hl-place)')
    assert part.value_of_css_property("background-color") in ("rgba(0, 0, 0, 0)", "transparent")
    assert script_errors(browser) == []


def test_search_from_the_box_and_on_to_an_entity(server, browser):
    browser.get(server + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("Mwangi", Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: "/search" in d.current_url)
    marks = browser.find_elements(By.CSS_SELECTOR, "#articles mark, #quotes mark")
    assert marks and all(m.text == "Mwangi" for m in marks)
    browser.find_element(By.LINK_TEXT, "Daniel Mwangi").click()
    WebDriverWait(browser, 10).until(lambda d: "/entity/" in d.current_url)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Daniel Mwangi"
    assert "send 200 engineers" in browser.find_element(By.ID, "quotes").text
    # from a quote to its evidence in the article
    browser.find_element(By.CSS_SELECTOR, "#quotes a.evidence").click()
    WebDriverWait(browser, 10).until(lambda d: "/article/" in d.current_url)
    assert browser.find_elements(By.CSS_SELECTOR, "#text .selected")


def test_map_and_network_draw(server, browser):
    browser.get(server + "/map")
    svg = browser.find_element(By.ID, "map")
    assert svg.size["width"] > 600 and svg.size["height"] > 250
    assert len(svg.find_elements(By.CSS_SELECTOR, ".land path")) > 150
    circles = svg.find_elements(By.CSS_SELECTOR, "circle.place")
    assert len(circles) >= 4 and all(c.size["width"] > 0 for c in circles)
    browser.get(server + "/network")
    svg = browser.find_element(By.ID, "network")
    edges = svg.find_elements(By.CSS_SELECTOR, "line.edge")
    nodes = svg.find_elements(By.CSS_SELECTOR, "g.node")
    assert len(edges) == 3 and len(nodes) == 3
    assert all(e.size["width"] + e.size["height"] > 10 for e in edges)  # lines of some length, drawn apart
    labels = svg.find_elements(By.CSS_SELECTOR, "g.node text")
    assert {"Amara Okafor", "Daniel Mwangi", "Uganda"} == {t.get_attribute("textContent") for t in labels}
    next(t for t in labels if t.get_attribute("textContent") == "Uganda").click()
    WebDriverWait(browser, 10).until(lambda d: "/entity/" in d.current_url)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Uganda"
    browser.get(server + "/timeline?by=day")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#timeline rect.bar")) >= 2
    assert script_errors(browser) == []
