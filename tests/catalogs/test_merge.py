"""Updating a language's PO file from its template: GNU msgmerge's semantics, checked against msgmerge itself.

Inputs are written with polib (another tool's writer) and read with cop-docs' reader, as catalogs on disk are."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import polib
import pytest
from babel import Locale
from babel.messages.plurals import get_plural

from cop_docs import config
from cop_docs.catalogs import extract, merge, po, pofiles

MSGFMT = "/usr/bin/msgfmt"
MSGMERGE = "/usr/bin/msgmerge"
POT_DATE = "2026-01-02 03:04+0000"

CONFIG = """\
project:
  name: Test Project
  edition: "2026"
  source-language: en
languages:
  - code: en
    fonts: [Noto Serif]
  - code: fr
    fonts: [Noto Serif]
  - code: ar
    fonts: [Noto Naskh Arabic]
  - code: ru
    fonts: [Noto Serif]
  - code: zh-Hans
    fonts: [Noto Serif CJK SC]
documents:
  - id: doc
    audience: Everyone
    kind: guide
    title: Test document
    sources: [doc.md]
"""


@pytest.fixture
def project(tmp_path: Path) -> config.Project:
    (tmp_path / "doc.md").write_text("# Test\n", encoding="utf-8")
    (tmp_path / "cop-docs.yaml").write_text(CONFIG, encoding="utf-8")
    return config.load(tmp_path / "cop-docs.yaml")


@pytest.fixture
def fr(project) -> config.Language:
    return project.language("fr")


def pot_of(*specs, project_id: str = "Test Project 2026 doc") -> po.Catalog:
    """A POT; each spec is a msgid or (msgid, msgctxt). References and comments are made up from the order."""
    pot = polib.POFile(wrapwidth=78)
    pot.metadata = extract.header(project_id)
    pot.metadata["POT-Creation-Date"] = POT_DATE
    for i, spec in enumerate(specs):
        msgid, ctxt = (spec, None) if isinstance(spec, str) else spec
        pot.append(polib.POEntry(msgid=msgid, msgctxt=ctxt, msgstr="", comment="paragraph",
                                 occurrences=[("sources/doc.md", str(10 * (i + 1)))]))
    return po.loads(str(pot))


def po_of(*entries: polib.POEntry, language: str = "fr", **header: str) -> po.Catalog:
    catalog = polib.POFile(wrapwidth=78)
    catalog.metadata = {
        "Project-Id-Version": "Test Project 2025 doc",
        "POT-Creation-Date": "2025-01-01 00:00+0000",
        "PO-Revision-Date": "2025-02-01 00:00+0000",
        "Last-Translator": "Marie Curie <marie@example.org>",
        "Language-Team": "French <fr@example.org>",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n > 1);",
        **header,
    }
    for e in entries:
        catalog.append(e)
    return po.loads(str(catalog))


def E(msgid: str, msgstr: str = "", ctxt: str | None = None, **kw) -> polib.POEntry:
    return polib.POEntry(msgid=msgid, msgstr=msgstr, msgctxt=ctxt, **kw)


def active(catalog: po.Catalog) -> list[po.Entry]:
    return [e for e in catalog.entries if not e.obsolete]


def find(catalog: po.Catalog, msgid: str, ctxt: str | None = None, obsolete: bool = False) -> po.Entry:
    found = [e for e in catalog.entries if e.msgid == msgid and e.msgctxt == ctxt and e.obsolete == obsolete]
    assert len(found) == 1, f"{len(found)} entries for {ctxt!r}/{msgid!r} (obsolete={obsolete})"
    return found[0]


def msgfmt_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([MSGFMT, "-c", "-o", os.devnull, str(path)], capture_output=True, text=True, timeout=60)


OLD_CHILDREN = "Children go online to learn, play and keep in touch with friends."
NEW_CHILDREN = "Children go online to learn, play and stay in touch with friends."
FR_CHILDREN = "Les enfants vont en ligne pour apprendre, jouer et rester en contact avec leurs amis."


# --- the rules, one by one ------------------------------------------------------------------------------


def test_unchanged_message_keeps_translation_and_translator_comment(project, fr):
    old = po_of(E("Keep talking.", "Continuez à parler.", tcomment="checked by Marie",
                  occurrences=[("sources/doc.md", "3")], comment="old comment"))
    new = merge.merge(pot_of("Intro.", "Keep talking."), old, fr, project)
    e = find(new, "Keep talking.")
    assert e.msgstr == "Continuez à parler."
    assert e.comments == ("checked by Marie",)
    assert "fuzzy" not in e.flags
    # references and extracted comments are the template's
    assert e.references == ("sources/doc.md:20",)
    assert e.extracted == ("paragraph",)
    assert [x.msgid for x in new.entries] == ["Intro.", "Keep talking."]
    assert find(new, "Intro.").msgstr == ""


def test_unchanged_fuzzy_message_stays_fuzzy(project, fr):
    old = po_of(E("Keep talking often.", "Continuez à parler.", flags=["fuzzy"], previous_msgid="Keep talking."))
    new = merge.merge(pot_of("Keep talking often."), old, fr, project)
    e = find(new, "Keep talking often.")
    assert e.msgstr == "Continuez à parler."
    assert "fuzzy" in e.flags
    assert e.previous_msgid == "Keep talking."


def test_changed_message_becomes_fuzzy_with_previous_msgid(project, fr):
    old = po_of(E(OLD_CHILDREN, FR_CHILDREN, tcomment="reviewed"))
    new = merge.merge(pot_of(NEW_CHILDREN), old, fr, project)
    e = find(new, NEW_CHILDREN)
    assert "fuzzy" in e.flags
    assert e.previous_msgid == OLD_CHILDREN
    assert e.msgstr == FR_CHILDREN
    assert e.comments == ("reviewed",)
    # the old message was used: it is not also kept as obsolete
    assert [x for x in new.entries if x.obsolete] == []
    text = po.dumps(new)
    assert "#, fuzzy\n" in text
    assert "#| msgid " in text and "keep in touch" in text.split("#| msgid ")[1].split("\nmsgid")[0]


def test_changed_message_with_context_keeps_previous_context(project, fr):
    old = po_of(E("Open the privacy settings now", "Ouvrez les paramètres", ctxt="button"))
    new = merge.merge(pot_of(("Open the privacy settings today", "button")), old, fr, project)
    e = find(new, "Open the privacy settings today", "button")
    assert "fuzzy" in e.flags
    assert e.previous_msgid == "Open the privacy settings now"
    assert e.previous_msgctxt == "button"


def test_dissimilar_new_message_is_untranslated(project, fr):
    old = po_of(E(OLD_CHILDREN, FR_CHILDREN))
    new = merge.merge(pot_of("Privacy settings"), old, fr, project)
    e = find(new, "Privacy settings")
    assert e.msgstr == "" and "fuzzy" not in e.flags and e.previous_msgid is None
    assert find(new, OLD_CHILDREN, obsolete=True).msgstr == FR_CHILDREN


def test_removed_message_becomes_obsolete_if_translated(project, fr):
    old = po_of(E("Keep talking.", "Continuez à parler."),
                E("This sentence is removed from the guide.", "Cette phrase est supprimée du guide.",
                  tcomment="note for the team"),
                E("Untranslated and removed", ""))
    new = merge.merge(pot_of("Keep talking."), old, fr, project)
    gone = find(new, "This sentence is removed from the guide.", obsolete=True)
    assert gone.msgstr == "Cette phrase est supprimée du guide."
    assert gone.comments == ("note for the team",)
    assert not any(e.msgid == "Untranslated and removed" for e in new.entries)
    assert [e.msgid for e in active(new)] == ["Keep talking."]
    assert new.entries[-1].obsolete  # obsolete entries come last
    text = po.dumps(new)
    assert '#~ msgid "This sentence is removed from the guide."\n#~ msgstr "Cette phrase est supprimée du guide."' in text


def test_message_back_from_obsolete_gets_its_translation(project, fr):
    old = po_of(E("Keep talking.", "Continuez à parler."),
                E("Welcome back to the guide", "Bon retour dans le guide", obsolete=True, tcomment="old"))
    new = merge.merge(pot_of("Welcome back to the guide", "Keep talking."), old, fr, project)
    e = find(new, "Welcome back to the guide")
    assert e.msgstr == "Bon retour dans le guide"
    assert e.comments == ("old",)
    assert not e.obsolete and "fuzzy" not in e.flags
    assert e.references == ("sources/doc.md:10",)
    assert [x for x in new.entries if x.obsolete] == []


def test_removed_then_restored_through_two_updates(project, fr, tmp_path: Path):
    path = tmp_path / "fr.po"
    first = merge.merge(pot_of("Keep talking.", "Ask for help."),
                        po_of(E("Keep talking.", "Continuez à parler."), E("Ask for help.", "Demandez de l'aide.")),
                        fr, project)
    pofiles.save(path, first)
    second = merge.merge(pot_of("Keep talking."), pofiles.read(path), fr, project)
    pofiles.save(path, second)
    assert find(pofiles.read(path), "Ask for help.", obsolete=True).msgstr == "Demandez de l'aide."
    third = merge.merge(pot_of("Keep talking.", "Ask for help."), pofiles.read(path), fr, project)
    assert find(third, "Ask for help.").msgstr == "Demandez de l'aide."
    assert not any(e.obsolete for e in third.entries)


def test_contexts_are_kept_apart(project, fr):
    old = po_of(E("Open", "Ouvrir", ctxt="button"), E("Open", "Ouvert", ctxt="adjective"), E("Open", "Libre"))
    new = merge.merge(pot_of(("Open", "adjective"), "Open", ("Open", "button")), old, fr, project)
    assert [(e.msgctxt, e.msgstr, "fuzzy" in e.flags) for e in new.entries] == [
        ("adjective", "Ouvert", False), (None, "Libre", False), ("button", "Ouvrir", False)]


def test_merge_is_idempotent(project, fr, tmp_path: Path):
    old = po_of(E(OLD_CHILDREN, FR_CHILDREN), E("Keep talking.", "Continuez à parler."),
                E("Removed message here.", "Message supprimé ici."))
    pot = pot_of(NEW_CHILDREN, "Keep talking.", "Brand new.")
    path = tmp_path / "fr.po"
    assert pofiles.save(path, merge.merge(pot, old, fr, project))
    first = path.read_text(encoding="utf-8")
    assert not pofiles.save(path, merge.merge(pot, pofiles.read(path), fr, project))
    assert path.read_text(encoding="utf-8") == first


# --- the header -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("code, po_language, nplurals", [
    ("ar", "ar", 6), ("ru", "ru", None), ("zh-Hans", "zh_Hans", 1), ("fr", "fr", None)])
def test_new_po_header(project, code: str, po_language: str, nplurals: int | None, tmp_path: Path):
    lang = project.language(code)
    pot = pot_of("Keep talking.", "Ask for help.")
    new = merge.merge(pot, None, lang, project)
    md = new.metadata
    assert md["Language"] == po_language
    expected_plural = str(get_plural(Locale.parse(code, sep="-")))
    assert md["Plural-Forms"] == expected_plural
    if nplurals is not None:
        assert md["Plural-Forms"].startswith(f"nplurals={nplurals}; plural=")
    assert md["Content-Type"] == "text/plain; charset=UTF-8"
    assert md["Content-Transfer-Encoding"] == "8bit"
    assert md["MIME-Version"] == "1.0"
    assert md["Project-Id-Version"] == "Test Project 2026 doc"
    assert md["POT-Creation-Date"] == POT_DATE
    assert [e.msgid for e in new.entries] == ["Keep talking.", "Ask for help."]
    assert all(e.msgstr == "" and not e.flags for e in new.entries)
    path = tmp_path / f"{code}.po"
    pofiles.save(path, new)
    result = msgfmt_check(path)
    assert result.returncode == 0, result.stderr


def test_arabic_plural_forms_from_babel(project):
    new = merge.merge(pot_of("One message."), None, project.language("ar"), project)
    assert new.metadata["Plural-Forms"] == (
        "nplurals=6; plural=(n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 : n % 100 >= 3 && n % 100 <= 10 ? 3 : "
        "n % 100 >= 11 && n % 100 <= 99 ? 4 : 5);")


def test_existing_header_is_updated_not_replaced(project, fr):
    old = po_of(E("Keep talking.", "Continuez à parler."), Language="")
    new = merge.merge(pot_of("Keep talking."), old, fr, project)
    md = new.metadata
    assert md["Project-Id-Version"] == "Test Project 2026 doc"
    assert md["POT-Creation-Date"] == POT_DATE
    assert md["Language"] == "fr"
    assert md["Last-Translator"] == "Marie Curie <marie@example.org>"
    assert md["PO-Revision-Date"] == "2025-02-01 00:00+0000"
    assert md["Plural-Forms"] == "nplurals=2; plural=(n > 1);"  # the translator's choice is kept


# --- gettext tools agree --------------------------------------------------------------------------------


def _scenario_fuzzy_choices():
    """Fuzzy matching across contexts, the nearest of two candidates, one candidate for two new messages."""
    old = po_of(
        E("Open", "Ouvrir", ctxt="button"),
        E("Save your work often and keep a copy", "Enregistrez souvent et gardez une copie"),
        E("Save your work often and keep two copies", "Enregistrez souvent et gardez deux copies"),
        E("Check the privacy settings of every app", "Vérifiez les paramètres de chaque application"),
    )
    pot = pot_of(("Open", "button"), ("Open", "adjective"), "Save your work often and keep three copies",
                 "Check the privacy settings of every game", "Check the privacy settings of every phone")
    return old, pot


def _scenario():
    old = po_of(
        E("Keep talking.", "Continuez à parler.", tcomment="checked by Marie"),
        E(OLD_CHILDREN, FR_CHILDREN),
        E("Privacy settings", "Paramètres de confidentialité"),
        E("This sentence is removed from the guide for good.", "Cette phrase est supprimée du guide pour de bon."),
        E("Untranslated and removed", ""),
        E("Open", "Ouvrir", ctxt="button"),
        E("Ask a trusted adult for help", "Demandez de l'aide à un adulte de confiance", flags=["fuzzy"]),
        E("Welcome back to the guide", "Bon retour dans le guide", obsolete=True),
    )
    pot = pot_of("Welcome back to the guide", "Keep talking.", NEW_CHILDREN, "Privacy settings", ("Open", "button"),
                 "Ask a trusted adult for help", "A brand new message about screen time.")
    return old, pot


def _summary(catalog: po.Catalog) -> dict[str, set]:
    out: dict[str, set] = {"translated": set(), "fuzzy": set(), "untranslated": set(), "obsolete": set()}
    for e in catalog.entries:
        if e.obsolete:
            out["obsolete"].add((e.msgctxt, e.msgid, e.msgstr))
        elif "fuzzy" in e.flags:
            out["fuzzy"].add((e.msgctxt, e.msgid, e.msgstr, e.previous_msgctxt, e.previous_msgid))
        elif e.msgstr:
            out["translated"].add((e.msgctxt, e.msgid, e.msgstr, e.comments))
        else:
            out["untranslated"].add((e.msgctxt, e.msgid))
    return out


@pytest.mark.parametrize("scenario", [_scenario, _scenario_fuzzy_choices], ids=["states", "fuzzy-choices"])
def test_same_result_as_gnu_msgmerge(project, fr, tmp_path: Path, scenario):
    old, pot = scenario()
    old_path, pot_path, gnu_path = tmp_path / "old.po", tmp_path / "new.pot", tmp_path / "gnu.po"
    pofiles.save(old_path, old)
    pofiles.write_template(pot_path, pot)
    result = subprocess.run([MSGMERGE, "--previous", "-q", str(old_path), str(pot_path), "-o", str(gnu_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    gnu = _summary(po.read(gnu_path))
    ours = _summary(merge.merge(pofiles.read(pot_path), pofiles.read(old_path), fr, project))
    assert ours == gnu
    assert gnu["fuzzy"], gnu  # the scenario does exercise fuzzy matching
    if scenario is _scenario:  # and every state
        assert all(gnu.values()), gnu
        assert (None, NEW_CHILDREN, FR_CHILDREN, None, OLD_CHILDREN) in gnu["fuzzy"]
    else:
        assert ("adjective", "Open", "Ouvrir", "button", "Open") in gnu["fuzzy"]


def test_msgfmt_accepts_updated_po(project, tmp_path: Path):
    old, pot = _scenario()
    for code in ("fr", "ar"):
        fields = old.metadata
        fields["Language"] = code
        fields.pop("Plural-Forms", None)  # the language's own plural forms come in
        old.set_metadata(fields)
        path = tmp_path / f"{code}.po"
        assert pofiles.save(path, merge.merge(pot, old, project.language(code), project))
        result = msgfmt_check(path)
        assert result.returncode == 0, result.stderr
        text = path.read_text(encoding="utf-8")
        assert "#, fuzzy\n#| msgid " in text
        assert "#~ msgid " in text
        assert f'"Language: {code}\\n"' in text
        if code == "ar":
            assert '"Plural-Forms: nplurals=6; plural=' in text
        stats = subprocess.run([MSGFMT, "--statistics", "-o", os.devnull, str(path)], capture_output=True,
                               text=True, timeout=60).stderr
        assert stats.startswith("4 translated messages, 2 fuzzy translations, 1 untranslated message"), stats


def test_fuzzy_candidate_keeps_the_text_its_translation_was_made_for(project, fr, tmp_path: Path):
    """As msgmerge: when the nearest old message was itself fuzzy, its own #| msgid is kept."""
    old = po_of(E("Talk to your child about the games they play.", "Parlez à votre enfant de ses jeux.",
                  flags=["fuzzy"], previous_msgid="Talk to your child about their games."))
    new = merge.merge(pot_of("Talk to your child about the games they play online."), old, fr, project)
    entry = find(new, "Talk to your child about the games they play online.")
    assert "fuzzy" in entry.flags
    assert entry.previous_msgid == "Talk to your child about their games."
    assert entry.msgstr == "Parlez à votre enfant de ses jeux."
    pot_path, po_path = tmp_path / "x.pot", tmp_path / "x.po"
    pofiles.write_template(pot_path, pot_of("Talk to your child about the games they play online."))
    po_path.write_text(po.dumps(old), encoding="utf-8")
    gnu = subprocess.run(["msgmerge", "--quiet", "--previous", "-o", "-", str(po_path), str(pot_path)],
                         capture_output=True, text=True, check=True).stdout
    assert '#| msgid "Talk to your child about their games."' in gnu
