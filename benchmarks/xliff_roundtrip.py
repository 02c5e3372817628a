"""Benchmark: the XLIFF round trip over the whole project's catalogs, in XLIFF 1.2 and 2.1.

Copies the project file, the glossary, ``sources/`` and ``translations/`` into a temporary folder and, for each
version:

- exports every message of every language × document and snippet (``xliff export --all``), validates each file
  against the OASIS schema when it is installed (Debian's php-symfony-translation ships them), and imports the
  files unchanged: the PO files must stay byte for byte as they were (``identical``);
- empties every msgstr of a copy of the PO files (flags and ``#|`` lines kept) and imports the same files into
  them: the translations must come back byte for byte (``restored``) — so the import writes what it reads.

Prints one JSON object on stdout (units, files, identical yes/no, restored yes/no, schema-valid files, seconds);
progress goes to stderr. Run: ``python benchmarks/xliff_roundtrip.py`` (about 30 s).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from _common import emit, log, machine, r, timed
from lxml import etree

from cop_docs import config
from cop_docs.catalogs import po
from cop_docs.exchange import xliff

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = Path("/usr/share/php/Symfony/Component/Translation/Resources/schemas")


def schema(version: str) -> etree.XMLSchema | None:
    path = SCHEMAS / ("xliff-core-1.2-strict.xsd" if version == "1.2" else "xliff-core-2.0.xsd")
    if not path.is_file():
        return None
    doc = etree.parse(str(path))
    for imported in doc.getroot().iter("{http://www.w3.org/2001/XMLSchema}import"):
        imported.set("schemaLocation", (SCHEMAS / "xml.xsd").as_uri())  # the local copy: no network
    return etree.XMLSchema(doc)


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(root.glob("translations/*/*.po"))}


def emptied(original: dict[Path, bytes]) -> None:
    for path in original:
        catalog = po.read(path)
        catalog.entries = [e if e.obsolete else replace(e, msgstr="") for e in catalog.entries]
        path.write_text(po.dumps(catalog), encoding="utf-8")


def one(root: Path, version: str) -> dict:
    project = config.load(root / "cop-docs.yaml", remember=False)
    langs = [lang for lang in project.target_languages if not getattr(lang, "pseudo", False)]
    original = snapshot(root)
    folder = root / "build" / f"xliff-{version}"
    export_s, exported = timed(lambda: xliff.export(project, project.catalogs, langs, version=version,
                                                    everything=True, folder=folder))
    files = [e.path for e in exported if e.path is not None]
    check = schema(version)
    valid = sum(1 for f in files if check.validate(etree.parse(str(f)))) if check is not None else None
    import_s, done = timed(lambda: xliff.import_files(project, files))
    identical = snapshot(root) == original
    emptied(original)
    restore_s, again = timed(lambda: xliff.import_files(project, files))
    restored = snapshot(root) == original
    for path, data in original.items():
        path.write_bytes(data)
    log(f"{version}: {len(files)} files, {sum(e.units for e in exported)} units; identical {identical}, "
        f"restored {restored}; {len(done.errors) + len(again.errors)} refused")
    return {"files": len(files), "units": sum(e.units for e in exported),
            "left_out": sum(e.left_out for e in exported), "schema_valid_files": valid,
            "identical": "yes" if identical else "no", "unchanged_units": done.unchanged,
            "restored": "yes" if restored else "no", "restored_translated": again.translated,
            "restored_fuzzy": again.fuzzy, "refused": [str(e) for e in done.errors + again.errors][:20],
            "warnings": len(done.warnings) + len(again.warnings), "export_s": r(export_s), "import_s": r(import_s),
            "restore_import_s": r(restore_s)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cop-docs-xliff-"))
    try:
        for name in ("cop-docs.yaml", "glossary.yaml"):
            if (ROOT / name).exists():
                shutil.copy2(ROOT / name, tmp / name)
        for name in ("sources", "translations"):
            shutil.copytree(ROOT / name, tmp / name)
        emit({"benchmark": "xliff_roundtrip", "machine": machine(),
              "versions": {version: one(tmp, version) for version in xliff.VERSIONS}})
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
