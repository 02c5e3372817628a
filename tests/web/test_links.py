"""Every link of the built site resolves, downloads included (`cop-docs linkcheck`, the user's own check), and the
first page of a document offers its PDF and EPUB with their sizes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from web.webpages import LANGUAGES


def test_every_link_of_the_site_resolves(web_project: Path, site: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "cop_docs", "linkcheck", str(site), "--root", str(site.parent),
                             "--json"], capture_output=True, text=True)
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["broken"] == [], report["broken"]
    assert report["pages"] == len(list(site.rglob("*.html")))
    assert report["links"] > 20 * report["pages"]  # switchers, contents, pager: many links, each followed


def test_the_first_page_offers_the_downloads_with_their_sizes(visit, web_project: Path) -> None:
    page = visit.open("en/guide/index.html")
    downloads = page.locator("a[download]")
    hrefs = downloads.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert sorted(Path(h).suffix for h in hrefs) == [".epub", ".pdf"], hrefs
    for href in hrefs:
        size = (web_project / "build" / "en" / Path(href).name).stat().st_size
        assert size > 1000
    text = page.locator("section.downloads, [aria-labelledby=downloads-title]").first.inner_text()
    assert "KB" in text or "kB" in text or "MB" in text, text


def test_every_language_has_its_pages(site: Path) -> None:
    for lang in LANGUAGES:
        for doc in ("story", "workbook", "kit", "guide"):
            assert (site / lang / doc / "chapter-2.html").is_file(), f"{lang}/{doc}"
