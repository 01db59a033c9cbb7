#!/usr/bin/env python3
"""Screenshots of the web UI in headless Chromium, for the README and docs (docs/img/*.png).

    newsgraph ingest ../shared/corpus/seed.txt ../shared/corpus/bbc/articles.jsonl --db X.db
    .venv/bin/python scripts/screenshots.py --db X.db --query Putin --entity "Vladimir Putin"

Starts the server on a free port of 127.0.0.1, opens each page in Debian's Chromium (chromium and
chromium-driver, driven by Selenium) and saves one PNG a page: the start page, a search, the article
that the search finds first (its first quote's note shown), the entity's page, the timeline, the map and
the network.
"""
from __future__ import annotations

import argparse
import socket
import threading
import time
from pathlib import Path

import uvicorn
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from newsgraph.api import create_app
from newsgraph.store import Store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--query", default="Putin")
    ap.add_argument("--entity", default="Vladimir Putin")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "img"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    with Store(args.db, readonly=True) as s:
        article = s.search(args.query, limit=1)[0]["id"]
        entity = s.find_entities(args.entity, limit=1)[0]["id"]

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(args.db), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--window-size=1300,1000"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    pages = [("home", "/"), ("search", f"/search?q={args.query}"), ("article", f"/article/{article}"),
             ("entity", f"/entity/{entity}"), ("timeline", "/timeline?by=year"), ("map", "/map"),
             ("network", "/network")]
    try:
        for name, path in pages:
            driver.get(base + path)
            if name == "article":                           # hover the first quote's cue: its note shows
                cue = driver.find_elements(By.CSS_SELECTOR, '#text [data-n~="q0"].hl-cue')
                if cue:
                    webdriver.ActionChains(driver).move_to_element(cue[0]).perform()
            driver.save_screenshot(str(out / f"{name}.png"))
            print(out / f"{name}.png")
    finally:
        driver.quit()
        server.should_exit = True


if __name__ == "__main__":
    main()
