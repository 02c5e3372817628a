"""TMX: ``tm export`` writes the project's translations as TMX 1.4b that translate-toolkit (a second reader) reads
unit for unit and that reads back as the same pairs; a TMX named in the project file fills ``update``'s new
messages; a hostile TMX is refused in one line naming the file and line."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from translate.storage import tmx as toolkit_tmx

from cop_docs import config, words
from cop_docs.catalogs import coverage, memory, po, pofiles
from cop_docs.exchange import tmx

CONFIG = """\
project:
  name: TMX fixture
  edition: "2026"
  source-language: en
languages:
  - code: en
    fonts: [Noto Serif]
  - code: fr
    fonts: [Noto Serif]
  - code: zh-Hans
    fonts: [Noto Sans CJK SC]
documents:
  - id: guide
    audience: Parents
    kind: guide
    title: A guide for parents
    sources: [sources/guide.md]
snippets:
  - id: get-help
    sources: [sources/get-help.md]
"""

GUIDE = """\
# Talking about the *internet*

Agree on **family rules** for screens, and [write them down](https://www.example.org/rules) together.

Use `Ctrl` & <kbd>Alt</kbd> to lock the screen, then check the settings.[^lock]

::: {i18n-context="poster"}
Keep devices in shared rooms at night.
:::

Keep devices in shared rooms at night.

This sentence waits for its translator.

This one is only a proposal.

[^lock]: Every system has its own keys.
"""

GET_HELP = """\
# How to get help

Tell a trusted adult if something online worries you.

- Report the message.
"""

FR = {
    "A guide for parents": "Un guide pour les parents",
    "Parents": "Parents",
    "Talking about the *internet*": "Parler d’*internet*",
    "Agree on **family rules** for screens, and [write them down](https://www.example.org/rules) together.":
        "Convenez de **règles familiales** pour les écrans, et [écrivez-les](https://www.example.org/rules) ensemble.",
    "Use `Ctrl` & <kbd>Alt</kbd> to lock the screen, then check the settings.[^lock]":
        "Utilisez `Ctrl` & <kbd>Alt</kbd> pour verrouiller l’écran, puis vérifiez les réglages.[^lock]",
    "Keep devices in shared rooms at night.": "La nuit, les appareils restent dans les pièces communes.",
    "Every system has its own keys.": "Chaque système a ses propres touches.",
    "How to get help": "Comment obtenir de l’aide",
    "Tell a trusted adult if something online worries you.":
        "Parlez à un adulte de confiance si quelque chose en ligne vous inquiète.",
    "Report the message.": "1. Signalez le message.",  # reads as a numbered list: not usable, not exported
    "This one is only a proposal.": "Ceci n’est qu’une proposition.",  # made fuzzy below
}
ZH = {"Parents": "家长", "How to get help": "如何获得帮助",
      "Keep devices in shared rooms at night.": "晚上把设备放在公共房间里。"}


def _translate(root: Path, catalog: str, lang: str, table: dict[str, str], fuzzy: tuple[str, ...] = ()) -> None:
    path = root / "translations" / catalog / f"{lang}.po"
    old, new = pofiles.read(path), pofiles.read(path)
    for entry in new.entries:
        entry.msgstr = table.get(entry.msgid, entry.msgstr)
        if entry.msgid in fuzzy:
            entry.flags = ("fuzzy",)
    pofiles.save(path, new, old)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "tmx"
    (root / "sources").mkdir(parents=True)
    (root / "cop-docs.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "sources/guide.md").write_text(GUIDE, encoding="utf-8")
    (root / "sources/get-help.md").write_text(GET_HELP, encoding="utf-8")
    result = run_cli("-C", str(root), "update")
    assert result.returncode == 0, result.stderr
    for catalog in ("guide", "get-help"):
        _translate(root, catalog, "fr", FR, fuzzy=("This one is only a proposal.",))
        _translate(root, catalog, "zh-Hans", ZH)
    return root


def _usable(root: Path) -> set[tuple[str, str | None, str, str, str]]:
    """(language, context, source, translation, document) of every message the project counts translated."""
    proj = config.load(root / "cop-docs.yaml")
    out = set()
    for item in proj.catalogs:
        for lang in proj.target_languages:
            catalog = po.read(proj.po_path(item, lang))
            rejected = coverage.rejections([catalog])[0]
            out |= {(lang.code, e.msgctxt, e.msgid, e.msgstr, item.id) for e in catalog.messages
                    if e.state == po.TRANSLATED and e.key not in rejected}
    return out


def _export(root: Path, *args: str) -> tuple[Path, dict]:
    out = root / "export" / "project.tmx"
    result = run_cli("-C", str(root), "tm", "export", "-o", str(out), "--json", *args)
    assert result.returncode == 0, result.stderr
    return out, json.loads(result.stdout)


def test_export_writes_every_translated_message_as_tmx_14b(project: Path) -> None:
    out, report = _export(project)
    usable = _usable(project)
    assert report["units"] == {"fr": sum(u[0] == "fr" for u in usable), "zh-Hans": sum(u[0] == "zh-Hans" for u in usable)}
    tree = etree.parse(str(out))
    assert tree.docinfo.doctype == '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
    root = tree.getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert {k: header.get(k) for k in ("srclang", "adminlang", "segtype", "o-tmf", "creationtool")} == {
        "srclang": "en", "adminlang": "en", "segtype": "block", "o-tmf": "PO", "creationtool": "cop-docs"}
    assert header.get("creationtoolversion") and header.get("datatype")
    units = root.findall("body/tu")
    assert len(units) == len(usable)
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    seen = set()
    for tu in units:
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        tuvs = tu.findall("tuv")
        assert [t.get(lang) for t in tuvs][0] == "en" and len(tuvs) == 2
        source, target = ("".join(t.find("seg").itertext()) for t in tuvs)
        seen.add((tuvs[1].get(lang), props.get("x-context"), source, target, props["x-document"]))
    assert seen == usable
    # what is not translated as the project counts it stays out: fuzzy, empty, another kind of block
    texts = out.read_text(encoding="utf-8")
    assert "Ceci n’est qu’une proposition." not in texts and "Signalez" not in texts
    assert 'type="x-context">poster</prop>' in texts


def test_inline_markdown_becomes_tmx_codes_holding_it(project: Path) -> None:
    out, _ = _export(project, "--lang", "fr")
    segs = etree.parse(str(out)).getroot().findall("body/tu/tuv/seg")
    coded = {"".join(seg.itertext()): seg for seg in segs}
    link = coded["Agree on **family rules** for screens, and [write them down](https://www.example.org/rules) together."]
    codes = [(c.tag, c.text) for c in link]
    assert ("bpt", "**") in codes and ("ept", "**") in codes
    assert all(tag in ("bpt", "ept", "ph", "it") for tag, _ in codes)
    assert "https://www.example.org/rules" in "".join(text for _, text in codes)  # the address is in a code
    assert "write them down" in (link.text or "") + "".join(c.tail or "" for c in link)  # the words are text
    for seg in (link, coded[next(k for k in coded if k.startswith("Use `Ctrl`"))]):
        for bpt in seg.iter("bpt"):  # every pair closes in its segment, matched by i
            assert seg.xpath(f"count(ept[@i='{bpt.get('i')}'])") == 1
    kbd = coded["Use `Ctrl` & <kbd>Alt</kbd> to lock the screen, then check the settings.[^lock]"]
    assert "<kbd>" in "".join(c.text or "" for c in kbd) and "[^lock]" in "".join(c.text or "" for c in kbd)


def test_translate_toolkit_reads_the_same_units_and_text(project: Path) -> None:
    out, _ = _export(project)
    store = toolkit_tmx.tmxfile.parsefile(str(out))
    read = set()
    for unit in store.units:
        target_lang = unit.getlanguageNodes()[1].get("{http://www.w3.org/XML/1998/namespace}lang")
        read.add((target_lang, unit.source, unit.target))
    assert read == {(lang, source, target) for lang, _, source, target, _ in _usable(project)}
    assert len(store.units) == len(_usable(project))


def test_what_tm_export_writes_reads_back_as_the_same_pairs(project: Path) -> None:
    out, _ = _export(project)
    units = tmx.read(out)
    back = {(lang, p.context, p.source, p.target, p.document)
            for lang in ("fr", "zh-Hans") for p in tmx.pairs(units, "en", lang)}
    assert back == _usable(project)


AGENCY_TMX = """\
<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="Agency TM" creationtoolversion="7" segtype="sentence" o-tmf="xliff" adminlang="en-US"
          srclang="en-US" datatype="plaintext"/>
  <body>
    <tu tuid="1">
      <tuv xml:lang="en-US"><seg>Block anyone who makes you feel <bpt i="7"
        type="bold">**</bpt>uncomfortable<ept i="7">**</ept>.</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Bloquez toute personne qui vous met <bpt i="7"
        type="bold">**</bpt>mal à l’aise<ept i="7">**</ept>.</seg></tuv>
      <tuv xml:lang="zh-CN"><seg>屏蔽任何让你感到<bpt i="7" type="bold">**</bpt>不舒服<ept i="7">**</ept>的人。</seg></tuv>
    </tu>
    <tu>
      <prop type="x-context">poster</prop>
      <tuv lang="EN"><seg>Switch off location sharing in every app.</seg></tuv>
      <tuv lang="FR"><seg>Désactivez le partage de position dans chaque application.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="en"><seg>Check the privacy settings of each new game together with your child.</seg></tuv>
      <tuv xml:lang="fr-CA"><seg>Vérifiez les paramètres de confidentialité de chaque nouveau jeu avec votre enfant.</seg></tuv>
      <tuv xml:lang="zh-TW"><seg>與孩子一起檢查每個新遊戲的隱私設定。</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="en"><seg>Tell a trusted adult if something online worries you.</seg></tuv>
      <tuv xml:lang="fr"><seg>Une autre traduction, moins bonne.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="en"><seg>Never give out your home address.</seg></tuv>
      <tuv xml:lang="fr"><seg>---</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="en"><seg>Read <bpt i="1">[</bpt>our advice<ept
        i="1">](https://www.example.org/advice)</ept> first.</seg></tuv>
      <tuv xml:lang="fr"><seg>Lisez <bpt i="1">[</bpt>nos conseils<ept
        i="1">](https://tracker.example/)</ept> d’abord.</seg></tuv>
    </tu>
  </body>
</tmx>
"""

LEAFLET = """\
# Staying safe

Block anyone who makes you feel **uncomfortable**.

::: {i18n-context="poster"}
Switch off location sharing in every app.
:::

Check the privacy settings of every new game together with your child.

Tell a trusted adult if something online worries you.

Never give out your home address.

Read [our advice](https://www.example.org/advice) first.
"""


def _with_memory(root: Path, tmx_text: str, name: str = "agency.tmx") -> None:
    (root / "memory").mkdir(exist_ok=True)
    (root / "memory" / name).write_text(tmx_text, encoding="utf-8")
    path = root / "cop-docs.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"translation-memory:\n  files: [memory/{name}]\n"
                    "  fuzzy-threshold: 80\n", encoding="utf-8")


def _add_leaflet(root: Path) -> None:
    (root / "sources/leaflet.md").write_text(LEAFLET, encoding="utf-8")
    path = root / "cop-docs.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("snippets:", """\
  - id: leaflet
    audience: Parents
    kind: guide
    title: Staying safe
    sources: [sources/leaflet.md]
snippets:"""), encoding="utf-8")


def test_a_tmx_named_in_the_project_file_fills_new_messages(project: Path) -> None:
    _with_memory(project, AGENCY_TMX)
    _add_leaflet(project)
    result = run_cli("-C", str(project), "update", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    path = project / "translations/leaflet/fr.po"
    fr = po.read(path).by_key()
    block = fr[(None, "Block anyone who makes you feel **uncomfortable**.")]
    assert block.msgstr == "Bloquez toute personne qui vous met **mal à l’aise**." and not block.fuzzy
    assert block.comments == ("memory: memory/agency.tmx",)
    poster = fr[("poster", "Switch off location sharing in every app.")]  # its context from <prop type="x-context">
    assert poster.msgstr == "Désactivez le partage de position dans chaque application." and not poster.fuzzy
    near = fr[(None, "Check the privacy settings of every new game together with your child.")]
    assert near.fuzzy and near.previous_msgid == "Check the privacy settings of each new game together with your child."
    assert near.comments[0].startswith("memory: memory/agency.tmx (")
    # the project's own catalogs come before the TMX
    told = fr[(None, "Tell a trusted adult if something online worries you.")]
    assert told.msgstr == FR[told.msgid] and told.comments == ("memory: translations/get-help/fr.po",)
    assert fr[(None, "Never give out your home address.")].msgstr == ""  # "---" is a rule, not a paragraph
    assert fr[(None, "Read [our advice](https://www.example.org/advice) first.")].msgstr == ""  # links elsewhere
    assert report["memory"]["fr"] == {
        "exact": {"messages": 4, "words": words.count_markdown("Parents\0" + "\0".join(
            [block.msgid, poster.msgid, told.msgid]))},
        "fuzzy": {"messages": 1, "words": words.count_markdown(near.msgid)}}
    # Chinese: zh-CN is Simplified Chinese, zh-TW is not
    zh = po.read(project / "translations/leaflet/zh-Hans.po").by_key()
    assert zh[(None, block.msgid)].msgstr == "屏蔽任何让你感到**不舒服**的人。"
    assert zh[(None, near.msgid)].msgstr == ""
    for lang in ("fr", "zh-Hans"):
        check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(project / f"translations/leaflet/{lang}.po")],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr


HOSTILE = {
    "malformed": ('<?xml version="1.0"?>\n<tmx version="1.4"><body>\n<tu><tuv xml:lang="fr"><seg>a</tuv></tu>\n'
                  "</body></tmx>\n", 3, "not a well-formed TMX file: Opening and ending tag mismatch: seg"),
    "external entity": ('<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
                        '<tmx version="1.4"><body><tu><tuv xml:lang="en"><seg>&xxe;</seg></tuv></tu></body></tmx>\n',
                        1, "the file declares entities"),
    "billion laughs": ('<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa">'
                       + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
                       + ']>\n<tmx version="1.4"><body><tu><tuv xml:lang="en"><seg>&i;</seg></tuv></tu></body></tmx>\n',
                       1, "not a well-formed TMX file: Maximum entity amplification factor exceeded"),
    "undeclared entity": ('<?xml version="1.0"?>\n<tmx version="1.4"><body>\n<tu><tuv xml:lang="en"><seg>&nbsp;</seg>'
                          "</tuv></tu></body></tmx>\n", 3, "not a well-formed TMX file: Entity 'nbsp' not defined"),
    "not a TMX": ('<?xml version="1.0"?>\n\n<html><body/></html>\n', 3, "not a TMX file: its root element is <html>"),
    "no language": ('<?xml version="1.0"?>\n<tmx version="1.4"><body>\n<tu>\n<tuv><seg>a</seg></tuv></tu></body></tmx>\n',
                    4, "a <tuv> without xml:lang"),
    "foreign element": ('<?xml version="1.0"?>\n<tmx version="1.4"><body><tu><tuv xml:lang="en">\n<seg>a <script>b'
                        "</script></seg></tuv></tu></body></tmx>\n", 3, "<script> cannot stand in a segment"),
    "too deep": ('<?xml version="1.0"?>\n<tmx version="1.4"><body><tu><tuv xml:lang="en"><seg>' + "<hi>" * 3000
                 + "</hi>" * 3000 + "</seg></tuv></tu></body></tmx>\n", 2, "not a well-formed TMX file: "),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_tmx_is_refused_in_one_line(tmp_path: Path, case: str) -> None:
    text, line, message = HOSTILE[case]
    path = tmp_path / "hostile.tmx"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(tmx.TmxError) as caught:
        tmx.read(path)
    assert caught.value.line == line and caught.value.message.startswith(message)
    assert "root:" not in str(caught.value)  # nothing of /etc/passwd


def test_update_refuses_a_hostile_tmx_without_writing_anything(project: Path) -> None:
    _with_memory(project, HOSTILE["external entity"][0], "hostile.tmx")
    _add_leaflet(project)
    result = run_cli("update", cwd=project)
    assert result.returncode == 2 and result.stdout.count("translations/leaflet/") == 0
    assert result.stderr.strip().splitlines() == [
        "cop-docs: error: memory/hostile.tmx:1: the file declares entities (<!ENTITY>), which a translation memory "
        "does not need; it is not read"]
    assert not (project / "translations/leaflet/fr.po").exists()


def test_a_memory_larger_than_allowed_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.tmx"
    path.write_text('<tmx version="1.4"><body>' + "<tu/>" * 400 + "</body></tmx>", encoding="utf-8")
    monkeypatch.setattr(tmx, "MAX_BYTES", 1024)
    with pytest.raises(tmx.TmxError, match="more than the 0 MiB a TMX file may have"):
        tmx.read(path)


def test_a_wrong_language_is_one_line_and_writes_no_file(project: Path) -> None:
    out = project / "x.tmx"
    result = run_cli("-C", str(project), "tm", "export", "--lang", "xx", "-o", str(out))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "no language 'xx'" in result.stderr and not out.exists()


def test_the_memory_reads_a_project_tmx_like_its_catalogs(project: Path) -> None:
    """A memory made of the export is the project's memory again: each pair reads back as a unit of its own."""
    out, _ = _export(project, "--lang", "fr")
    proj = config.load(project / "cop-docs.yaml")
    units = [memory.Unit(p.source, p.target, p.context, "x.tmx") for p in tmx.pairs(tmx.read(out), "en", "fr")]
    mem = memory.Memory(units, 80, proj)
    assert set(mem.exact) == {(c, s) for lang, c, s, _, _ in _usable(project) if lang == "fr"}


EXAMPLES = int(os.environ.get("COP_DOCS_FUZZ_EXAMPLES", "20")) * 5  # reading a small TMX takes a millisecond
NOISE = ["<", ">", "&", ";", '"', "/", "!", "]]>", "<![CDATA[", "\x00", "\x01", "\u202e", "&#0;", "&lol;", "é",
         '<!DOCTYPE tmx [<!ENTITY lol "lol">]>', "<tu>", "</seg>", "<bpt i='1'>", "xml:lang=''", "\n"]


@st.composite
def damaged(draw: st.DrawFn, text: str) -> str:
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "truncate", "repeat"]))
        if op == "insert":
            text = text[:at] + draw(st.sampled_from(NOISE)) + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif op == "truncate":
            text = text[:at]
        else:
            text = text[:at] + text[at:at + 200] + text[at:]
    return text


@settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("COP_DOCS_FUZZ_RANDOM"),
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damaged(AGENCY_TMX))
def test_a_damaged_tmx_is_read_or_refused_at_its_line(tmp_path: Path, text: str) -> None:
    path = tmp_path / "damaged.tmx"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        units = tmx.read(path)
    except tmx.TmxError as exc:
        assert "\n" not in str(exc) and exc.path == str(path)
        return
    for lang in ("fr", "zh-Hans"):  # what was read makes a memory like any other
        for pair in tmx.pairs(units, "en", lang):
            assert isinstance(pair.source, str) and isinstance(pair.target, str)
