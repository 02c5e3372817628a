"""XLIFF export and import: the round trip, tags a translator moves, states, schemas, a second reader, hostile
files. Every test runs the real command on a small project made here (its PO files made by `cop-docs update`)."""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import run_cli
from lxml import etree

from cop_docs.catalogs import po
from cop_docs.exchange import inline
from cop_docs.exchange.xliff import unit_id

SCHEMAS = Path("/usr/share/php/Symfony/Component/Translation/Resources/schemas")
X12 = "urn:oasis:names:tc:xliff:document:1.2"
X2 = "urn:oasis:names:tc:xliff:document:2.0"

PROJECT = """\
project: {name: Fixture, edition: "2026", source-language: en}
languages:
  - {code: en, fonts: [Noto Sans]}
  - {code: fr, fonts: [Noto Sans]}
  - {code: es, fonts: [Noto Sans]}
documents:
  - {id: guide, audience: Parents, kind: guide, title: Staying safe, sources: [sources/guide.md]}
snippets:
  - {id: help, sources: [sources/help.md]}
formats: [pdf]
"""
GUIDE = """\
# Passwords

Use **strong [passwords](https://example.org/pw "Password tips")** and a `manager`.

- Turn on *two-step* login.[^1]
- Never share a code.

See the [research page](https://example.org/research "Research online") for more.

::: {i18n-context="button"}
Report
:::

Report

::: {include=help}
:::

[^1]: Most services offer it.
"""
HELP = "Call a helpline.\n\n\\#AskForHelp\n"

PASSWORDS = 'Use **strong [passwords](https://example.org/pw "Password tips")** and a `manager`.'
RESEARCH = 'See the [research page](https://example.org/research "Research online") for more.'
FR = {
    ("Passwords", None): ("Mots de passe", False),
    ("Never share a code.", None): ("Ne partagez jamais un code.", True),  # fuzzy
    ("Report", "button"): ("Signaler", False),
    (RESEARCH, None): ('Voir la [page de recherche](https://example.org/research "Recherche en ligne") pour plus.',
                       False),  # the link's title translated
}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project, its catalogs made by `cop-docs update` and partly translated into French."""
    root = tmp_path_factory.mktemp("xliff") / "project"
    (root / "sources").mkdir(parents=True)
    (root / "cop-docs.yaml").write_text(PROJECT, encoding="utf-8")
    (root / "sources" / "guide.md").write_text(GUIDE, encoding="utf-8")
    (root / "sources" / "help.md").write_text(HELP, encoding="utf-8")
    result = run_cli("-C", str(root), "update")
    assert result.returncode == 0, result.stderr
    path = root / "translations" / "guide" / "fr.po"
    catalog = po.read(path)
    entries = []
    for entry in catalog.entries:
        text, fuzzy = FR.get((entry.msgid, entry.msgctxt), ("", False))
        if entry.msgid == "Never share a code.":
            entry = replace(entry, previous_msgid="Never share codes.")
        entries.append(replace(entry, msgstr=text, flags=("fuzzy",) if fuzzy else ()))
    catalog.entries = entries
    path.write_text(po.dumps(catalog), encoding="utf-8")
    return root


@pytest.fixture
def project(made: Path, tmp_path: Path) -> Path:
    """A private copy of the made project."""
    import shutil

    return Path(shutil.copytree(made, tmp_path / "project"))


def po_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.glob("translations/*/*.po"))}


def export(root: Path, *args: str) -> list[Path]:
    result = run_cli("-C", str(root), "xliff", "export", *args)
    assert result.returncode == 0, result.stderr
    return sorted((root / "build" / "xliff").rglob("*.xlf"))


def entry(root: Path, msgid: str, doc: str = "guide", lang: str = "fr", msgctxt: str | None = None) -> po.Entry:
    return po.read(root / "translations" / doc / f"{lang}.po").by_key()[(msgctxt, msgid)]


def schema(version: str) -> etree.XMLSchema:
    assert SCHEMAS.is_dir(), "the OASIS XLIFF schemas come with Debian's php-symfony-translation (scripts/bootstrap.sh)"
    doc = etree.parse(str(SCHEMAS / ("xliff-core-1.2-strict.xsd" if version == "1.2" else "xliff-core-2.0.xsd")))
    for imported in doc.getroot().iter("{http://www.w3.org/2001/XMLSchema}import"):
        imported.set("schemaLocation", (SCHEMAS / "xml.xsd").as_uri())  # the local copy of xml.xsd: no network
    return etree.XMLSchema(doc)


def unit_of(path: Path, msgid: str, msgctxt: str | None = None) -> etree._Element:
    tree = etree.parse(str(path))
    found = tree.xpath("//*[@id=$id][local-name()='trans-unit' or local-name()='unit']", id=unit_id(msgctxt, msgid))
    assert len(found) == 1
    return found[0]


def replace_target(path: Path, msgid: str, target_xml: str, *, state: str | None = None, msgctxt: str | None = None
                   ) -> None:
    """Put a target (XML of the version's inline elements) into a unit, as a translator's tool would."""
    tree = etree.parse(str(path))
    unit = tree.xpath("//*[@id=$id]", id=unit_id(msgctxt, msgid))[0]
    ns = etree.QName(unit).namespace
    holder = unit if ns == X12 else unit.find(f"{{{ns}}}segment")
    old = holder.find(f"{{{ns}}}target")
    if old is not None:
        holder.remove(old)
    new = etree.fromstring(f'<target xmlns="{ns}">{target_xml}</target>')
    holder.find(f"{{{ns}}}source").addnext(new)
    if ns == X12:
        new.set("state", state or "translated")
    else:
        holder.set("state", state or "translated")
        holder.attrib.pop("subState", None)
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


# --- export ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_export_holds_the_messages_that_need_work_and_import_unchanged_changes_no_byte(project: Path,
                                                                                        version: str) -> None:
    before = po_bytes(project)
    files = export(project, "--version", version, "--lang", "fr")
    names = [p.relative_to(project / "build" / "xliff").as_posix() for p in files]
    assert names == ["fr/guide.fr.xlf", "fr/help.fr.xlf"]
    guide = po.read(project / "translations/guide/fr.po")
    need = [e for e in guide.messages if e.state != po.TRANSLATED]
    units = etree.parse(str(files[0])).xpath("//*[local-name()='trans-unit' or local-name()='unit']")
    assert [u.get("id") for u in units] == [unit_id(e.msgctxt, e.msgid) for e in need]
    assert unit_id(None, "Passwords") not in {u.get("id") for u in units}  # translated: not exported

    files = export(project, "--version", version, "--all", "-o", str(project / "build" / "xliff"))
    assert export(project, "--version", version, "--all") == files  # the same files, ...
    again = {p: p.read_bytes() for p in files}
    export(project, "--version", version, "--all")
    assert {p: p.read_bytes() for p in files} == again  # ... byte for byte: ids and order are stable

    result = run_cli("-C", str(project), "--json", "xliff", "import", *map(str, files))
    assert result.returncode == 0, result.stderr
    assert po_bytes(project) == before
    report = json.loads(result.stdout)
    assert report["command"] == "xliff import" and report["files"] == [] and report["errors"] == []
    assert report["unchanged"] == sum(len(po.read(p).messages) for p in (project / "translations").glob("*/[a-z][a-z].po"))


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_import_restores_every_translation_into_emptied_catalogs(project: Path, version: str) -> None:
    before = po_bytes(project)
    files = export(project, "--version", version, "--all")
    path = project / "translations/guide/fr.po"
    catalog = po.read(path)
    catalog.entries = [replace(e, msgstr="") for e in catalog.entries]
    path.write_text(po.dumps(catalog), encoding="utf-8")
    result = run_cli("-C", str(project), "xliff", "import", *map(str, files))
    assert result.returncode == 0, result.stderr
    assert po_bytes(project) == before  # the fuzzy entry fuzzy with its #| line, the translated link title back
    assert "imported 3 translated and 1 fuzzy" in result.stdout


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_files_validate_against_the_oasis_schemas(project: Path, version: str) -> None:
    check = schema(version)
    files = export(project, "--version", version, "--all")
    assert len(files) == 4
    for path in files:
        assert check.validate(etree.parse(str(path))), (path, check.error_log.last_error)
    # and the schema is no rubber stamp: a unit without its source is refused
    tree = etree.parse(str(files[0]))
    source = tree.xpath("//*[local-name()='source']")[0]
    source.getparent().remove(source)
    assert not check.validate(tree)


def test_inline_codes_are_tags_with_their_markdown_kept_out_of_the_text(project: Path) -> None:
    [guide12, *_] = export(project, "--version", "1.2", "--lang", "fr", "--all")
    unit = unit_of(guide12, PASSWORDS)
    source = etree.tostring(unit.find(f"{{{X12}}}source"), encoding="unicode", with_tail=False)
    assert re.sub(r' xmlns="[^"]+"', "", source) == (
        '<source>Use <g id="1" ctype="bold">strong <g id="2" ctype="link">passwords</g></g> and a '
        '<x id="3" ctype="x-code" equiv-text="`manager`"/>.</source>')
    assert "".join(unit.find(f"{{{X12}}}source").itertext()) == "Use strong passwords and a ."
    notes = [n.text for n in unit.iter(f"{{{X12}}}note")]
    assert notes == ["Block: paragraph", "Source: sources/guide.md:3"]
    button = unit_of(guide12, "Report", "button")
    assert "Context: button" in [n.text for n in button.iter(f"{{{X12}}}note")]
    assert button.xpath("string(.//*[@context-type='x-po-msgctxt'])") == "button"

    [guide2, *_] = export(project, "--version", "2.1", "--lang", "fr", "--all")
    unit = unit_of(guide2, PASSWORDS)
    pcs = unit.findall(f".//{{{X2}}}source/{{{X2}}}pc")
    assert [(p.get("id"), p.get("dataRefStart"), p.get("dataRefEnd")) for p in pcs] == [("1", "s1", "e1")]
    data = {d.get("id"): d.text for d in unit.iter(f"{{{X2}}}data")}
    assert data == {"s1": "**", "e1": "**", "s2": "[", "e2": '](https://example.org/pw "Password tips")',
                    "p3": "`manager`"}
    notes = {n.get("category"): n.text for n in unit.iter(f"{{{X2}}}note")}
    assert notes == {"block": "paragraph", "location": "sources/guide.md:3"}
    fuzzy = unit_of(guide2, "Never share a code.").find(f"{{{X2}}}segment")
    assert (fuzzy.get("state"), fuzzy.get("subState")) == ("initial", "cop-docs:fuzzy")


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_translate_toolkit_reads_the_same_units_and_source_text(project: Path, version: str) -> None:
    from translate.storage import xliff, xliff2

    files = export(project, "--version", version, "--all", "--lang", "fr")
    reader = xliff.xlifffile if version == "1.2" else xliff2.Xliff2File
    for path in files:
        store = reader.parsefile(str(path))
        doc = path.name.split(".")[0]
        catalog = po.read(project / "translations" / doc / "fr.po")
        units = [u for u in store.units if not u.isheader()]
        assert len(units) == len(catalog.messages)
        expected = [inline.text_of(inline.parts(e.msgid)) for e in catalog.messages]
        assert [u.source for u in units] == expected
        if version == "1.2":  # its reader knows states: translated units are not fuzzy, the fuzzy one is
            fuzzy = {u.source for u in units if u.isfuzzy()}
            assert fuzzy == ({"Never share a code."} if doc == "guide" else set())


# --- import ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("version", "target", "expected"), [
    ("1.2", 'Utilisez un <x id="3"/> et des <g id="1">mots de passe <g id="2">robustes</g></g>.',
     'Utilisez un `manager` et des **mots de passe [robustes](https://example.org/pw "Password tips")**.'),
    ("1.2", 'Des <g id="2">mots de passe <g id="1">robustes</g></g> et un <x id="3"/>.',
     'Des [mots de passe **robustes**](https://example.org/pw "Password tips") et un `manager`.'),
    ("1.2", 'Des <bx id="1"/>mots de passe <g id="2">robustes</g><ex id="9" rid="1"/> et un <x id="3"/>.',
     'Des **mots de passe [robustes](https://example.org/pw "Password tips")** et un `manager`.'),
    ("2.1", 'Utilisez un <ph id="3"/> et des <pc id="1">mots de passe <pc id="2">robustes</pc></pc>.',
     'Utilisez un `manager` et des **mots de passe [robustes](https://example.org/pw "Password tips")**.'),
    ("2.1", '<sc id="2"/>Des mots de passe<ec startRef="2"/> <pc id="1">robustes</pc> et un <ph id="3"/>.',
     '[Des mots de passe](https://example.org/pw "Password tips") **robustes** et un `manager`.'),
])
def test_reordered_and_renested_codes_import_as_the_right_markdown(project: Path, version: str, target: str,
                                                                   expected: str) -> None:
    [guide, *_] = export(project, "--version", version, "--lang", "fr")
    replace_target(guide, PASSWORDS, target)
    result = run_cli("-C", str(project), "xliff", "import", str(guide))
    assert result.returncode == 0, result.stderr
    got = entry(project, PASSWORDS)
    assert (got.msgstr, got.fuzzy) == (expected, False)
    assert "imported 1 translated and 0 fuzzy" in result.stdout


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_damaged_codes_are_refused_one_line_each_and_the_rest_imports(project: Path, version: str) -> None:
    [guide, help_file] = export(project, "--version", version, "--lang", "fr")
    if version == "1.2":
        damaged = {PASSWORDS: 'Utilisez des <g id="1">mots de passe robustes</g> et un <x id="3"/>.',  # 2 missing
                   "Turn on *two-step* login.[^1]": 'Activez <g id="1">deux</g> <g id="7">étapes</g>.<x id="2"/>',
                   "Call a helpline.": 'Appelez <x id="1"/>.'}  # the message has no code
        crossing = 'Des <bx id="1"/>mots <bx id="2"/>de<ex id="8" rid="1"/> passe<ex id="9" rid="2"/> et <x id="3"/>.'
    else:
        damaged = {PASSWORDS: 'Utilisez des <pc id="1">mots de passe robustes</pc> et un <ph id="3"/>.',
                   "Turn on *two-step* login.[^1]": 'Activez <pc id="1">deux</pc> <pc id="7">étapes</pc>.<ph id="2"/>',
                   "Call a helpline.": 'Appelez <ph id="1"/>.'}
        crossing = 'Des <sc id="1"/>mots <sc id="2"/>de<ec startRef="1"/> passe<ec startRef="2"/> et <ph id="3"/>.'
    for msgid, target in damaged.items():
        replace_target(help_file if msgid.startswith("Call") else guide, msgid, target)
    replace_target(guide, "Never share a code.", "Ne partagez jamais de code.")
    result = run_cli("-C", str(project), "xliff", "import", str(guide), str(help_file))
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("cop-docs: error:")]
    assert len(errors) == 3, result.stderr
    lines = {unit_id(None, m): n for m in damaged for n in [unit_of(
        help_file if m.startswith("Call") else guide, m).sourceline]}
    for line in errors:
        m = re.match(r"cop-docs: error: (\S+\.xlf):(\d+): unit (u[0-9a-f]+): (.+)$", line)
        assert m, line
        assert lines[m.group(3)] == int(m.group(2))
    assert {re.sub(r".*: ", "", line) for line in errors} == {
        "code 2 missing", "code 7 (open) is not in the source", "code 1 (standalone) is not in the source"}
    assert entry(project, "Never share a code.").msgstr == "Ne partagez jamais de code."  # the rest imports
    assert not entry(project, "Never share a code.").fuzzy
    assert entry(project, PASSWORDS).msgstr == ""

    # codes that overlap cannot be Markdown: refused too
    replace_target(guide, PASSWORDS, crossing)
    result = run_cli("-C", str(project), "xliff", "import", str(guide))
    assert result.returncode == 2 and "code 1 closed inside code 2" in result.stderr, result.stderr


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_states_map_to_fuzzy_and_translated(project: Path, version: str) -> None:
    [guide, _] = export(project, "--version", version, "--lang", "fr")
    review = "needs-review-translation" if version == "1.2" else "initial"
    tags = ('Activez la connexion <g id="1">en deux étapes</g>.<x id="2"/>' if version == "1.2" else
            'Activez la connexion <pc id="1">en deux étapes</pc>.<ph id="2"/>')
    replace_target(guide, "Turn on *two-step* login.[^1]", tags, state=review)
    replace_target(guide, "Never share a code.", "Ne partagez jamais de code.", state="final")
    result = run_cli("-C", str(project), "xliff", "import", str(guide))
    assert result.returncode == 0, result.stderr
    two = entry(project, "Turn on *two-step* login.[^1]")
    assert (two.msgstr, two.fuzzy) == ("Activez la connexion *en deux étapes*.[^1]", True)
    never = entry(project, "Never share a code.")
    assert (never.msgstr, never.fuzzy, never.previous_msgid) == ("Ne partagez jamais de code.", False, None)
    assert "#|" not in (project / "translations/guide/fr.po").read_text(encoding="utf-8")


def test_an_empty_target_or_a_copied_source_changes_nothing(project: Path) -> None:
    before = po_bytes(project)
    [guide, _] = export(project, "--lang", "fr")
    replace_target(guide, "Never share a code.", "   ", state="translated")  # the fuzzy translation stays
    replace_target(guide, "Turn on *two-step* login.[^1]",
                   'Turn on <g id="1">two-step</g> login.<x id="2"/>', state="new")  # a tool's copy of the source
    result = run_cli("-C", str(project), "xliff", "import", str(guide))
    assert result.returncode == 0, result.stderr
    assert po_bytes(project) == before


def test_a_unit_whose_message_changed_since_the_export_is_skipped_with_a_warning(project: Path) -> None:
    [guide, _] = export(project, "--lang", "fr")
    replace_target(guide, "Never share a code.", "Ne partagez jamais de code.")
    replace_target(guide, "Report", "Signalement")
    (project / "sources/guide.md").write_text(GUIDE.replace("Never share a code.", "Never share any code."),
                                              encoding="utf-8")
    assert run_cli("-C", str(project), "update").returncode == 0
    result = run_cli("-C", str(project), "xliff", "import", str(guide))
    assert result.returncode == 0, result.stderr
    line = unit_of(guide, "Never share a code.").sourceline
    assert (f"cop-docs: warning: {guide}:{line}: unit {unit_id(None, 'Never share a code.')}: its message is no longer "
            "in translations/guide/fr.po (the catalog changed since the export); skipped") in result.stderr
    assert entry(project, "Report").msgstr == "Signalement"
    assert entry(project, "Never share any code.").msgstr == "Ne partagez jamais un code."  # update's, kept


def test_a_translation_that_reads_as_another_block_imports_as_fuzzy(project: Path) -> None:
    [guide, _] = export(project, "--lang", "fr")
    replace_target(guide, "Report", "- Signaler", msgctxt=None)
    result = run_cli("-C", str(project), "xliff", "import", str(guide))
    assert result.returncode == 0, result.stderr
    assert "reads as a bullet list, not as a paragraph" in result.stderr and "imported as fuzzy" in result.stderr
    got = entry(project, "Report")
    assert (got.msgstr, got.fuzzy) == ("- Signaler", True)


# --- hostile files -------------------------------------------------------------------------------------------------


def test_markup_typed_as_text_is_refused(project: Path) -> None:
    [guide, _] = export(project, "--lang", "fr")
    replace_target(guide, "Report", "&lt;img src=x onerror=alert(1)&gt; Signaler")
    replace_target(guide, "Never share a code.", "Ne *partagez* jamais de code.")
    result = run_cli("-C", str(project), "xliff", "import", str(guide))
    assert result.returncode == 2
    assert "adds Markdown its source does not have (html '<img src=x onerror=alert(1)>')" in result.stderr
    assert "adds Markdown its source does not have (fmt '*')" in result.stderr
    assert entry(project, "Report").msgstr == ""


@pytest.mark.parametrize(("content", "message"), [
    ("<xliff", "not a well-formed XLIFF file"),
    ('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<xliff>&e;</xliff>',
     "document type declaration"),
    ('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
     '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
     '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>\n'
     '<xliff>&f;&f;&f;&f;&f;&f;&f;&f;</xliff>', "entity amplification"),  # libxml2's own limit, first
    ('<tmx version="1.4"/>', "not an XLIFF 1.2 or 2.x file"),
    (f'<xliff xmlns="{X12}" version="1.2"><file original="../../etc/passwd" source-language="en" '
     'target-language="fr" datatype="x-markdown"><body/></file></xliff>', "is not a catalog of this project"),
    (f'<xliff xmlns="{X12}" version="1.2"><file original="translations/guide/fr.po" source-language="en" '
     'target-language="de" datatype="x-markdown"><body/></file></xliff>',
     "the target language is 'de', but translations/guide/fr.po is the 'fr' catalog"),
    (f'<xliff xmlns="{X2}" version="2.1" srcLang="en" trgLang="fr"><file id="f" original="translations/guide/fr.po">'
     '<unit id="u0000000000000000"><segment><source>x</source><target>y</target></segment></unit></file></xliff>',
     "unit u0000000000000000: unknown unit id (no message of translations/guide/fr.po has it)"),
])
def test_hostile_files_are_refused_with_one_line(project: Path, content: str, message: str) -> None:
    before = po_bytes(project)
    bad = project / "bad.xlf"
    bad.write_text(content, encoding="utf-8")
    start = time.perf_counter()
    result = run_cli("-C", str(project), "xliff", "import", "bad.xlf", cwd=project)
    assert time.perf_counter() - start < 15
    assert result.returncode == 2
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("cop-docs: error: bad.xlf:") and message in errors[0], errors
    assert "Traceback" not in result.stderr and "root:" not in result.stderr
    assert po_bytes(project) == before


def test_a_pseudo_or_unknown_language_or_version_is_refused(project: Path) -> None:
    result = run_cli("-C", str(project), "xliff", "export", "--lang", "de")
    assert result.returncode == 2 and "no language 'de'" in result.stderr
    result = run_cli("-C", str(project), "xliff", "export", "--version", "3.0")
    assert result.returncode == 2 and "invalid choice" in result.stderr


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_copied_sources_are_no_translation_until_a_tool_translates_them(project: Path, version: str) -> None:
    """--copy-source: the shape OmegaT's own XLIFF filter needs (it translates the target in place and leaves the
    state as it was): the copies import as nothing, a translated copy as fuzzy."""
    before = po_bytes(project)
    [guide, help_file] = export(project, "--version", version, "--lang", "fr", "--copy-source")
    assert schema(version).validate(etree.parse(str(guide)))
    unit = unit_of(help_file, "Call a helpline.")
    assert "".join(unit.xpath(".//*[local-name()='target']")[0].itertext()) == "Call a helpline."
    result = run_cli("-C", str(project), "xliff", "import", str(guide), str(help_file))
    assert result.returncode == 0, result.stderr
    assert po_bytes(project) == before

    tree = etree.parse(str(help_file))
    target = tree.xpath("//*[@id=$id]//*[local-name()='target']", id=unit_id(None, "Call a helpline."))[0]
    target.text = "Appelez une ligne d’écoute."  # as the tool writes it: the state left as it was
    tree.write(str(help_file), xml_declaration=True, encoding="UTF-8")
    result = run_cli("-C", str(project), "xliff", "import", str(help_file))
    assert result.returncode == 0, result.stderr
    got = entry(project, "Call a helpline.", doc="help")
    assert (got.msgstr, got.fuzzy) == ("Appelez une ligne d’écoute.", True)
