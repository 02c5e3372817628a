"""E-book covers: a PNG for a document in a language, with its title, audience and language name.

In: a :class:`Job` (the localized document's title, audience and first illustration, the language's fonts and
direction). Out: the cover as PNG bytes and its text alternative. The cover page (the template ``themes/cover.html``
and ``cover.css``) is laid out by WeasyPrint as a one-page PDF, reading files through :class:`ConfinedFetcher`
only, rasterized by poppler's ``pdftoppm`` and reduced to a palette by Pillow. None of them writes a clock or
anything random into the pixels, so the same job gives the same bytes; a cover is kept under
``build/.cache/covers/`` by what it is drawn from, and drawn again only when that changes.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
from pathlib import Path

from PIL import Image
from weasyprint import CSS, HTML

from .. import cache, files, templating
from ..errors import RenderError
from ..segments import Json, stringify
from ..templating import THEMES
from ..tree import elements, meta_text
from . import Job, theme
from .resources import ConfinedFetcher

#: 6 × 9 inches at this resolution: 1200 × 1800 pixels, the size e-book stores ask for.
RESOLUTION = 200


def first_image(doc: Json) -> tuple[str, str] | None:
    """The URL (relative to the project) and the alt text of the document's first image, if it has one: the
    picture of the cover, in print and in the e-book."""
    for image in elements(doc["blocks"], {"Image"}):
        _attr, alt, (url, _title) = image["c"]
        return url, stringify(alt)
    return None


def alt_text(job: Job) -> str:
    """What the cover shows, for readers who cannot see it."""
    return " · ".join(part for part in (job.title, _meta_text(job, "audience"), job.language.name) if part)


def cover_html(job: Job) -> str:
    image = first_image(job.doc)
    mark, mark_lang = theme.draft_mark(job.language)
    return templating.render(
        "cover.html", lang=job.language.code, dir=job.language.direction, title=job.title,
        audience=_meta_text(job, "audience"), language=job.language.name, edition=job.project.edition,
        picture=image[0] if image else "", draft=mark if job.draft else "", draft_lang=mark_lang)


def cover_css(job: Job) -> str:
    lang = job.language
    colours = theme.kind_colours(job.document.kind)
    return ((THEMES / "cover.css").read_text(encoding="utf-8")
            + f"body {{ background: {colours['accent']}; }}\n"
            + f"body {{ font-family: {theme.font_stack(lang.fonts)}; }}\n"
            + f".title {{ font-family: {theme.font_stack(lang.heading_stack)}; }}\n")


def cover_pdf(job: Job) -> bytes:
    """The cover page laid out, as a one-page PDF."""
    root = job.project.root
    fetcher = ConfinedFetcher([root / "sources", THEMES])
    page = HTML(string=cover_html(job), base_url=str(root) + "/", url_fetcher=fetcher)
    pdf = page.write_pdf(stylesheets=[CSS(string=cover_css(job), url_fetcher=fetcher, base_url=str(THEMES) + "/")])
    if fetcher.refused:
        raise RenderError(f"the cover may not read {fetcher.refused[0]}: only files of the project's sources")
    return pdf


def cover_png(job: Job) -> bytes:
    """The cover of the job's document, as PNG: from the cache when the same page was drawn before (the same
    text, picture, styles and fonts, by the same code and engines), else drawn now and kept."""
    path = _cached_cover(job)
    try:
        return path.read_bytes()
    except OSError:
        png = _draw_png(job)
    try:
        files.write_atomic(path, png)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return png


def _cached_cover(job: Job) -> Path:
    """Where the cover's PNG is kept: named by everything its pixels depend on."""
    from ..dependencies import font_files

    image = first_image(job.doc)
    picture = job.project.root / image[0] if image else None
    parts = [cache.version(), RESOLUTION, cover_html(job), cover_css(job),
             files.sha256_file(picture) if picture is not None and picture.is_file() else "",
             [(str(f), *(cache.stamp(f) or [])) for f in font_files(job.language)]]
    key = hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()
    return job.project.cache_dir / "covers" / f"{key}.png"


def _draw_png(job: Job) -> bytes:
    try:
        # No output name: pdftoppm writes the page to its standard output, as a pixmap (PPM).
        ppm = subprocess.run(["pdftoppm", "-r", str(RESOLUTION), "-singlefile", "-"], input=cover_pdf(job),
                             capture_output=True, check=True).stdout
    except OSError:
        raise RenderError("pdftoppm is not installed (install poppler-utils): it draws the e-book cover") from None
    except subprocess.CalledProcessError as exc:
        raise RenderError(f"pdftoppm cannot draw the cover: {exc.stderr.decode(errors='replace').strip()}") from None
    # A palette of 256 colours keeps flat artwork and smooth text edges at a third of the bytes.
    image = Image.open(io.BytesIO(ppm)).quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _meta_text(job: Job, key: str) -> str:
    return meta_text(job.doc["meta"].get(key))
