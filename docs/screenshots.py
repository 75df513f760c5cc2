"""Take the README's screenshots of a running site with Debian's Chromium: the
reference story (docs/article-*.png) and the front page (docs/front-*.png).

python docs/screenshots.py http://127.0.0.1:8000/2024/06/20/russia-north-korea-defense-pact-china/
"""

import sys
from pathlib import Path
from urllib.parse import urljoin

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
LOAD_EVERY_IMAGE = (
    "document.querySelectorAll('img[loading=lazy]').forEach(img => { img.loading = 'eager'; })"
)
EVERY_IMAGE_LOADED = "[...document.images].every(img => img.complete && img.naturalWidth > 0)"


def main(url):
    out = Path(__file__).resolve().parent
    pages = {"article": url, "front": urljoin(url, "/")}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for kind, address in pages.items():
            for name, (width, height) in SIZES.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                # Every photo in the picture, lazy ones too, before the shutter.
                page.goto(address, wait_until="networkidle")
                page.evaluate(LOAD_EVERY_IMAGE)
                for _ in range(100):  # a rendition is made on its first request
                    if page.evaluate(EVERY_IMAGE_LOADED):
                        break
                    page.wait_for_timeout(100)
                full = name == "desktop"
                page.screenshot(path=out / f"{kind}-{name}.png", full_page=full)
                page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1])
