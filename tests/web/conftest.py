"""The web edition in a real browser: the fixture project built as a site, served on 127.0.0.1, opened in headless
Chromium (Debian's ``chromium``, driven by Playwright, which never downloads a browser of its own).

``COP_DOCS_WEB_SITE=DIR`` runs the same tests over a site already built (the real project's ``build/web/``);
``COP_DOCS_SCREENSHOTS=DIR`` keeps the screenshots there instead of in pytest's temporary folder.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "roots" / "web"


def chromium() -> str:
    path = os.environ.get("COP_DOCS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("no chromium on this machine: `bash scripts/bootstrap.sh` installs Debian's chromium package")
    return path


@pytest.fixture(scope="session")
def web_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The web fixture project (one document of each kind, six languages), with its site built once."""
    if os.environ.get("COP_DOCS_WEB_SITE"):
        return Path(os.environ["COP_DOCS_WEB_SITE"]).resolve().parent.parent
    root = tmp_path_factory.mktemp("web") / "web"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns("build"))
    # one document's PDF and EPUB first, so that its first page offers them as downloads
    for args in (("--lang", "en", "--doc", "guide", "--format", "pdf", "--format", "epub"), ("--format", "html")):
        result = subprocess.run([sys.executable, "-m", "cop_docs", "-C", str(root), "build", *args],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture(scope="session")
def site(web_project: Path) -> Path:
    """The built site's folder: an index of languages, ``<lang>/<doc>/index.html`` and ``chapter-N.html``."""
    site = Path(os.environ["COP_DOCS_WEB_SITE"]) if os.environ.get("COP_DOCS_WEB_SITE") else web_project / "build" / "web"
    assert (site / "en" / "index.html").is_file(), f"no site in {site}"
    return site


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def base_url(site: Path):
    """The site served as a publisher would serve it (Pagefind's search needs http:, not file:)."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium())
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("COP_DOCS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder)
    return tmp_path_factory.mktemp("screenshots")


class Visit:
    """Pages opened for one test, each in its own context whose every request is routed: a request for anything
    but the site itself is refused and remembered, and so is every script error (a CSP violation among them)."""

    def __init__(self, browser, base_url: str):
        self.browser, self.base_url = browser, base_url
        self.contexts = []
        self.outside: list[str] = []
        self.errors: list[str] = []

    def open(self, path: str, width: int = 1280, height: int = 800):
        context = self.browser.new_context(viewport={"width": width, "height": height})
        self.contexts.append(context)
        context.route("**/*", self._route)
        page = context.new_page()
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: {exc}"))
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"{page.url}: {msg.text}"))
        if path:
            response = page.goto(self.url(path))
            assert response is not None and response.ok, f"{path}: {response.status if response else 'no response'}"
        return page

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith((self.base_url + "/", "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort("blockedbyclient")

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def visit(browser, base_url: str):
    """Open pages of the site; the test fails if any page asked for something outside the site or had a script
    error."""
    visit = Visit(browser, base_url)
    yield visit
    visit.close()
    assert not visit.outside, f"requests that left the site: {visit.outside}"
    assert not visit.errors, f"script errors: {visit.errors}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test here renders the site (in a session fixture the root conftest's search does not see) and opens a
    browser: none belongs to the fast subset."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.render)
