"""Take the README's screenshots of a running site with Debian's Chromium.

python docs/screenshots.py http://127.0.0.1:8000/2024/06/20/russia-north-korea-defense-pact-china/
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def main(url):
    out = Path(__file__).resolve().parent
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(url)
            page.screenshot(path=out / f"article-{name}.png", full_page=name == "desktop")
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1])
