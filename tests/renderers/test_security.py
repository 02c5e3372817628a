"""Translations are untrusted: a hostile PO file must not put markup, scripts or local files into the outputs."""

from __future__ import annotations

import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import polib
import pytest
from conftest import run_cli
from pypdf import PdfReader

from cop_docs import config, localized, sources
from cop_docs.renderers import Job, cover
from cop_docs.renderers.pdf import page_html
from cop_docs.renderers.resources import ConfinedFetcher

HOSTILE = {
    "Talking with children": "Parler <script>alert('x')</script> avec <b onmouseover=alert(1)>les</b> enfants",
    "Ask your child what they enjoy doing online.[^1]":
        "Cliquez [ici](javascript:alert(1)) ou [là](file:///etc/passwd){rel=attachment}[^1]",
    "Children trust adults who listen.": "![x](file:///etc/passwd) ![y](http://127.0.0.1:9/track.png) "
                                        "`<iframe src=x>`{=html} <img src=x onerror=alert(1)>",
    "Play games together.": "<style>body{display:none}</style> [lien](<file:///etc/shadow>)",
    "Agree on family rules.": "[a](https://evil.example/){rel=attachment .x #y} ```\nfence",
    "No screens at night": "<!-- comment --> <object data=file:///etc/passwd></object>",
}
FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "b", "link", "meta", "base", "form"}


class _Markup(HTMLParser):
    """Collects the tags and attributes of an HTML page (text is left aside: it is shown, not run)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def markup_problems(html: str, allowed_targets: set[str]) -> list[str]:
    parser = _Markup()
    parser.feed(html)
    problems = []
    for tag, attrs in parser.tags:
        if tag in FORBIDDEN_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or name == "rel":
                problems.append(f"{tag} {name}={value}")
            if name in ("href", "src", "data", "xlink:href") and value and not value.startswith("#") \
                    and value not in allowed_targets and urlsplit(value).scheme != "":
                problems.append(f"{tag} {name}={value}")
    return problems


@pytest.fixture
def hostile(basic: Path) -> Path:
    path = basic / "translations/sample/fr.po"
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid in HOSTILE:
            entry.msgstr = HOSTILE[entry.msgid]
    po.save(str(path))
    return basic


def _html(root: Path) -> str:
    project = config.load(root / "cop-docs.yaml")
    doc, lang = project.document("sample"), project.language("fr")
    return page_html(Job(project, doc, lang, localized.localized(project, doc, lang, sources.load(project, doc))))


def test_translated_html_carries_no_markup_or_foreign_targets(hostile: Path) -> None:
    html = _html(hostile)
    body = html[html.index("<main>"):]
    assert markup_problems(body, set()) == []
    assert 'src="sources/images/shield.svg"' in body
    # The text itself survives, shown as text.
    assert "&lt;script&gt;" in body
    assert "Cliquez" in body and "ici" in body


def test_hostile_outputs_contain_nothing_from_outside(hostile: Path) -> None:
    result = run_cli("-C", str(hostile), "build", "--lang", "fr")
    assert result.returncode == 0, result.stderr
    pdf = hostile / "build/fr/sample.fr.pdf"
    data = pdf.read_bytes()
    assert b"root:x:0:0" not in data
    reader = PdfReader(pdf)
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    assert all("/FileAttachment" not in str(a.get_object().get("/Subtype")) for page in reader.pages
               for a in page.get("/Annots", []) or [])
    with zipfile.ZipFile(hostile / "build/fr/sample.fr.epub") as z:
        for name in z.namelist():
            text = z.read(name).decode("utf-8", "replace")
            assert "root:x:0:0" not in text
            if name.endswith(".xhtml"):
                assert markup_problems(text[text.index("<body"):], set()) == [], name


def test_fetcher_reads_project_files_only(basic: Path) -> None:
    fetcher = ConfinedFetcher([basic / "sources"])
    ok = fetcher.fetch((basic / "sources/images/shield.svg").as_uri())
    assert ok is not None
    for url in ("file:///etc/passwd", (basic / "sources/../cop-docs.yaml").as_uri(), "http://127.0.0.1:9/x",
                "https://example.org/x.png", "ftp://example.org/x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 5


def test_even_a_source_cannot_attach_local_files(basic: Path) -> None:
    """Defence in depth: WeasyPrint's own fetcher would embed /etc/passwd from this link; ours refuses."""
    source = basic / "sources/sample.md"
    source.write_text(source.read_text() + "\n[passwd](file:///etc/passwd){rel=attachment}\n")
    result = run_cli("-C", str(basic), "build", "--lang", "en", "--format", "pdf")
    assert result.returncode == 0, result.stderr
    data = (basic / "build/en/sample.en.pdf").read_bytes()
    assert b"root:x:0:0" not in data and b"/EmbeddedFile" not in data


def test_a_configured_localized_url_is_kept_and_no_other(basic: Path) -> None:
    source = basic / "sources/sample.md"
    source.write_text(source.read_text().replace("Keep the conversation going every week.",
                                                 "Keep the conversation going every [week](https://example.org/week)."))
    config_path = basic / "cop-docs.yaml"
    config_path.write_text(config_path.read_text() + 'checks:\n  localized-urls:\n    fr: {"https://example.org/week": '
                           '"https://example.org/fr/semaine"}\n')
    assert run_cli("-C", str(basic), "update", "--lang", "fr").returncode == 0
    po_path = basic / "translations/sample/fr.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if "every [week]" in e.msgid)
    entry.msgstr = "Parlez-en chaque [semaine](https://example.org/fr/semaine) et [là](https://example.org/ailleurs)."
    entry.flags = []
    po.save(str(po_path))
    html = _html(basic)
    assert '<a href="https://example.org/fr/semaine">semaine</a>' in html
    assert "ailleurs" not in html and "là" in html


def test_cover_page_shows_a_hostile_title_as_text(basic: Path) -> None:
    path = basic / "translations/sample/fr.po"
    po = polib.pofile(str(path))
    po.find("Staying safe online").msgstr = "Rester <script>alert('x')</script> en <img src=x onerror=alert(1)>"
    po.find("Parents and educators").msgstr = "Parents \" onload=\"alert(1)"
    po.save(str(path))
    project = config.load(basic / "cop-docs.yaml")
    doc, lang = project.document("sample"), project.language("fr")
    job = Job(project, doc, lang, localized.localized(project, doc, lang, sources.load(project, doc)))
    page = cover.cover_html(job)
    assert markup_problems(page[page.index("<body"):], set()) == []
    assert "&lt;script&gt;alert(" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
