"""Translation quality checks: planted problems are found at their file:line, clean translations pass.

tests/roots/checks holds a project whose PO files carry one planted problem per entry (see the comments in
EXPECTED); the real project's translations with the real glossary must give no problem at all.
"""

from __future__ import annotations

import dataclasses
import functools
import tempfile
from pathlib import Path

import polib
import pytest
from conftest import REPO, ROOTS, copy_root

import cop_docs.pandoc
from cop_docs import config
from cop_docs.catalogs import pofiles
from cop_docs.checks import CHECKS, Problem, check_catalog, check_project, errors, load_glossary
from cop_docs.checks.placeholders import han_numbers
from cop_docs.checks.terminology import contains
from cop_docs.config import CheckRule, CheckSettings, Language, ReleasePolicy
from cop_docs.errors import ConfigError

MAIN = REPO
FIXTURE = ROOTS / "checks"


@functools.cache
def _fixture_root() -> Path:
    """A private copy of the fixture project (checking it caches its sources in its build folder)."""
    return copy_root("checks", Path(tempfile.mkdtemp(prefix="checks-")))

#: Every problem planted in tests/roots/checks: (file, line of the msgstr, check, severity).
EXPECTED = {
    ("fr.po", 36, "terminology", "warning"),  # "réglages de confidentialité" for privacy settings
    ("fr.po", 43, "placeholders", "error"),  # {name} became {nom}
    ("fr.po", 56, "identical", "warning"),  # the footnote left in English
    ("fr.po", 75, "french-spacing", "warning"),  # breakable space before ';'
    ("fr.po", 82, "markup", "error"),  # *Enter* became **Entrée** (emphasis count and strong count)
    ("fr.po", 89, "french-spacing", "warning"),  # no space before '?'
    ("fr.po", 94, "french-spacing", "warning"),  # no space after '«'
    ("fr.po", 99, "terminology", "warning"),  # do-not-translate "Weblate" became "Web-Late"
    ("fr.po", 116, "whitespace", "error"),  # the hard line break lost (whitespace is an error by rule)
    ("es.po", 49, "links", "error"),  # a localized URL with no localized-urls entry for es
    ("es.po", 67, "syntax", "error"),  # unmatched '['
    ("es.po", 75, "numbers", "warning"),  # 2026 became 2025
    ("es.po", 88, "spanish-opening", "warning"),  # "Qué puedes hacer?"
    ("es.po", 98, "block-kind", "error"),  # starts with "- ": read as a list, so not used
    ("ru.po", 43, "placeholders", "error"),  # %s dropped
    ("ru.po", 49, "syntax", "error"),  # [text](target without ')'
    ("ru.po", 81, "syntax", "error"),  # unclosed **
    ("ru.po", 119, "length", "error"),  # 1,260 characters for a source of 13
    ("ar.po", 42, "bidi-controls", "error"),  # U+202B … U+202C around {name}
    ("ar.po", 79, "syntax", "error"),  # unbalanced backtick
    ("ar.po", 84, "arabic-punctuation", "warning"),  # Latin '?'
    ("ar.po", 89, "terminology", "warning"),  # كلمة السر for password
    ("zh-Hans.po", 47, "markup", "error"),  # footnote reference dropped
    ("zh-Hans.po", 63, "links", "error"),  # image source changed
    ("zh-Hans.po", 80, "chinese-punctuation", "warning"),  # ASCII '?'
    ("zh-Hans.po", 85, "terminology", "warning"),  # 口令 for password
    ("zh-Hans.po", 114, "control-characters", "error"),  # U+0001 pasted in
    ("sample.md", 11, "placeholder-address", "warning"),  # the master links to www.example.org
}
# Planted but switched off by the fixture's rules: es identical (identical: languages-off es) at es.po:56 and
# ru whitespace (whitespace: languages-off ru) at ru.po:116. Not reported either: fr.po's fuzzy entry, its
# untranslated entry and its obsolete entry, all with problems; "Wi-Fi" and "OK" (allow-identical).


def _found(problems: list[Problem]) -> set[tuple[str, int, str, str]]:
    return {(Path(p.path).name, p.line, p.check, p.severity) for p in problems}


@pytest.fixture(scope="module")
def fixture_problems() -> list[Problem]:
    return check_project(config.load(_fixture_root() / "cop-docs.yaml"))


def test_every_planted_problem_is_found_at_its_line_and_nothing_else(fixture_problems: list[Problem]) -> None:
    found = _found(fixture_problems)
    assert found - EXPECTED == set(), "unexpected problems"
    assert EXPECTED - found == set(), "planted problems not found"
    assert all(p.path.startswith("translations/sample/") or p.check == "placeholder-address" for p in fixture_problems)
    # every kind of check is exercised by the fixture, except 'identical' variants covered below
    assert {c for _, _, c, _ in EXPECTED} == set(CHECKS)


def test_problem_lines_are_msgstr_lines_and_messages_quote_the_offence(fixture_problems: list[Problem]) -> None:
    for p in fixture_problems:
        line = (FIXTURE / p.path).read_text(encoding="utf-8").splitlines()[p.line - 1]
        if p.check == "placeholder-address":  # a problem of the master: its line writes the address
            assert "https://www.example.org/help" in line, (p, line)
        else:
            assert line.startswith("msgstr"), (p, line)
        assert "\n" not in p.message and p.explanation
    shown = {str(p) for p in fixture_problems}
    assert "translations/sample/ru.po:81: error: [syntax] unclosed or stray '**' in “**Enter,”: " \
           "the emphasis is not closed" in shown
    assert ("translations/sample/fr.po:43: error: [placeholders] placeholder '{name}' missing; '{nom}' not in "
            "the source") in shown
    assert any(s.startswith("translations/sample/fr.po:99: warning: [terminology] do-not-translate term “Weblate”")
               and "glossary.yaml:21" in s for s in shown)
    assert any(s.startswith("translations/sample/ar.po:42: error: [bidi-controls] bidi control U+202B") for s in shown)
    fr_markup = [p.message for p in fixture_problems if p.path.endswith("fr.po") and p.line == 82]
    assert sorted(fr_markup) == ["0 strong (**…**) in the source, 1 in the translation",
                                 "1 emphasis (*…*) in the source, 0 in the translation"]
    assert [p.msgid for p in fixture_problems if p.check == "numbers"] == [
        "More than 1,000 children took part; each spent 3.5 hours online every day in 2026."]


def test_one_pandoc_call_per_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    for name in ("read_markdown", "read_markdown_json"):
        real = getattr(cop_docs.pandoc, name)
        monkeypatch.setattr(cop_docs.pandoc, name, lambda *a, real=real, **k: calls.append(1) or real(*a, **k))
    project = config.load(_fixture_root() / "cop-docs.yaml")
    problems = check_project(project, langs=["fr"], docs=["sample"])
    assert len(calls) == 1
    assert {Path(p.path).name for p in problems} == {"fr.po", "sample.md"}  # the master's placeholder address


# --- the real project -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_project() -> config.Project:
    project = config.load(MAIN / "cop-docs.yaml")
    project.checks = CheckSettings(glossary=MAIN / "glossary.yaml")  # as `checks: {glossary: glossary.yaml}`
    return project


def test_real_translations_have_no_problems(real_project: config.Project) -> None:
    problems = check_project(real_project)
    assert errors(problems) == [], "\n".join(map(str, problems))


def test_real_glossary_is_used_by_the_real_translations(real_project: config.Project) -> None:
    """Each approved translation is what the teams use: replace one and the check speaks up everywhere."""
    glossary = load_glossary(MAIN / "glossary.yaml")
    assert len(glossary.terms) >= 12
    for term in glossary.terms:
        assert {"fr", "es", "ru", "ar", "zh-Hans"} <= set(term.translations) or term.keep, term.source
    wrong = dataclasses.replace(glossary, terms=tuple(
        dataclasses.replace(t, translations={code: ("zzzz",) for code in t.translations}) for t in glossary.terms))
    seen: dict[str, set[str]] = {}
    for doc in real_project.catalogs:
        for lang in real_project.target_languages:
            path = real_project.po_path(doc, lang)
            if not path.exists():
                continue
            # only terminology (French "Contact" is no longer approved, and the other checks have their own tests)
            settings = CheckSettings(rules={name: CheckRule("off") for name in CHECKS if name != "terminology"})
            for p in check_catalog(path, lang, settings, shown_path=path.name, glossary=wrong):
                assert p.check == "terminology"
                seen.setdefault(lang.code, set()).add(p.message.split("”")[0].lstrip("“"))
    # the check is not vacuous: with wrong approved translations, the real translations are reported in every
    # language that has translated text, for most of the glossary's terms
    translated = {code for code in ("fr", "es", "ru", "ar", "zh-Hans")
                  if any(e.state == "translated"
                         for d in real_project.catalogs if real_project.po_path(d, real_project.language(code)).exists()
                         for e in pofiles.read(real_project.po_path(d, real_project.language(code))).entries)}
    assert translated
    for code in translated:
        assert len(seen.get(code, set())) >= len(glossary.terms) // 2, (code, seen.get(code))


# --- single checks, message by message ------------------------------------------------------------------

def _language(code: str) -> Language:
    return Language(code, (), "rtl" if code == "ar" else "ltr", ReleasePolicy())


def _run(tmp_path: Path, code: str, cases: list[tuple[str, str, set[str]]], settings: CheckSettings | None = None,
         glossary_text: str | None = None) -> None:
    """Write the cases as one PO file, check it, and compare each entry's checks with what the case expects."""
    po = polib.POFile(wrapwidth=78)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": code}
    for i, (msgid, msgstr, _) in enumerate(cases):
        po.append(polib.POEntry(msgctxt=f"case {i}", msgid=msgid, msgstr=msgstr))
    path = tmp_path / f"{code}.po"
    path.write_text(str(po) + "\n", encoding="utf-8")
    glossary = None
    if glossary_text is not None:
        (tmp_path / "glossary.yaml").write_text(glossary_text, encoding="utf-8")
        glossary = load_glossary(tmp_path / "glossary.yaml")
    problems = check_catalog(path, _language(code), settings or CheckSettings(), shown_path=path.name,
                             glossary=glossary)
    lines = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith("msgstr")]
    lines = lines[1:]  # the header
    got = {i: {p.check for p in problems if p.line == line} for i, line in enumerate(lines)}
    want = {i: expected for i, (_, _, expected) in enumerate(cases)}
    diff = {i: (cases[i][1], got[i], want[i]) for i in want if got[i] != want[i]}
    assert not diff, "\n".join(f"{msgstr!r}: found {g}, expected {w}" for msgstr, g, w in diff.values()) + "\n" + \
        "\n".join(map(str, problems))


FR = [
    # clean
    ("It is 10:30; see https://example.org/a?b=1: the link.",
     "Il est 10:30\u202f; voir https://example.org/a?b=1\u00a0: le lien.", set()),
    ("Really?!", "Vraiment\u202f?!", set()),
    ("“Hello”, she said.", "«\u202fBonjour\u202f», dit-elle.", set()),
    ("Use **Settings**: then save.", "Utilisez **Réglages**\u00a0: puis enregistrez.", set()),
    ("YouTube", "YouTube", set()),
    ("`cop-docs build`", "`cop-docs build`", set()),
    ("2026", "2026", set()),
    ("5 * 3 = 15", "5 * 3 = 15", set()),
    ("More than 1,000.5 hours", "Plus de 1\u202f000,5 heures", set()),
    ("More than 1,000 hours in 2026", "Plus de 1 000 heures en 2026", set()),
    ("Dear {name}, %(count)d new, 100% sure, {{literal}}", "Cher {name}, %(count)d nouveaux, sûr à 100 %, {{littéral}}",
     set()),
    ("Type %1$s then %2$s", "Tapez %2$s puis %1$s", set()),
    ("A [word]{lang=en} here", "Un [mot]{lang=en} ici", set()),
    ("Read the [help](https://www.example.org/help).", "Lisez l’[aide](https://www.example.org/fr/aide).", set()),
    ("See <https://example.org>.", "Voir <https://example.org>.", set()),
    ("A **bold** and *soft* `code` word.[^1]", "Un mot **gras**, *doux* et `code`.[^1]", set()),
    ("A blank: \\_\\_\\_\\_ here.", "Un blanc\u00a0: \\_\\_\\_\\_\\_\\_ ici.", set()),
    ("snake_case is a name", "snake_case est un nom", set()),
    ("Line one\\\nline two", "Ligne un\\\nligne deux", set()),
    # problems
    ("Note: read this", "Note : lisez ceci", {"french-spacing"}),
    ("Use **Settings**: then save.", "Utilisez **Réglages**: puis enregistrez.", {"french-spacing"}),
    ("He said “no”.", "Il a dit « non ».", {"french-spacing"}),
    ("Settings", "Settings", {"identical"}),
    ("More than 1,000 hours", "Plus de 100 heures", {"numbers"}),
    ("Read the [help](https://www.example.org/help).", "Lisez l’aide.", {"links"}),
    ("Read the [help](https://www.example.org/help).", "Lisez l’[aide](https://evil.example.com/).", {"links"}),
    ("A **bold** word.", "Un mot <b>gras</b>.", {"markup"}),
    ("A word.[^1]", "Un mot.[^2]", {"markup"}),
    ("A `code` word.", "Un mot code.", {"markup"}),
    ("Plain text.", "Texte **gras.", {"syntax"}),
    ("Plain text.", "Texte *doux.", {"syntax"}),
    ("Plain text.", "Texte _doux.", {"syntax"}),
    ("Plain text.", "Texte `code.", {"syntax"}),
    ("Plain text.", "Texte [entre crochets.", {"syntax"}),
    ("Plain text.", "Texte] fermé.", {"syntax"}),
    ("Read [this](https://x.org).", "Lisez [ceci](https://x.org.", {"syntax"}),
    ("A note.[^1]", "Une note.[^1", {"syntax", "markup"}),
    ("Plain text.", "```` Texte", {"block-kind"}),  # an unclosed code fence swallows what follows in the batch
    ("Plain text.", "# Texte", {"block-kind"}),
    ("Plain text.", "[nota]: https://example.org", {"block-kind", "french-spacing"}),  # a link definition: nothing
    ("Plain text.", "---", {"block-kind"}),
    ("Plain text.", "| a | b |\n|---|---|\n| c | d |", {"block-kind", "whitespace"}),
    ("Plain text.", "::: {#x}\nTexte", {"block-kind", "whitespace"}),
    ("Hello", "Bonjour\u200f", {"bidi-controls"}),
    ("Hello", "Bon\u202ejour", {"bidi-controls"}),
    ("Hello", " Bonjour", {"whitespace"}),
    ("Hello ", "Bonjour", {"whitespace"}),
    ("Line one\\\nline two", "Ligne un ligne deux", {"whitespace"}),
    ("Dear {name}", "Cher {nom}", {"placeholders"}),
    ("%(count)d files", "fichiers", {"placeholders"}),
    ("Clean after the fence.", "Propre après la clôture.", set()),
]


def test_french(tmp_path: Path) -> None:
    settings = CheckSettings(localized_urls={"fr": {"https://www.example.org/help": "https://www.example.org/fr/aide"}})
    _run(tmp_path, "fr", FR, settings)


def test_canadian_french_asks_space_before_colon_only(tmp_path: Path) -> None:
    _run(tmp_path, "fr-CA", [
        ("Really? Yes!", "Vraiment? Oui!", set()),
        ("Note: read", "Note: lisez", {"french-spacing"}),
    ])


def test_spanish(tmp_path: Path) -> None:
    _run(tmp_path, "es", [
        ("What? Really!", "¿Qué? ¡De verdad!", set()),
        ("If in doubt, who do you ask?", "Si tienes dudas, ¿a quién preguntas?", set()),
        ("**What** do you like?", "¿**Qué** te gusta?", set()),
        ("Visit https://example.org/?q=1 now", "Visita https://example.org/?q=1 ahora", set()),
        ("1,000.5 km in 2026", "1.000,5 km en 2026", set()),
        ("Hello. How are you?", "Hola. Cómo estás?", {"spanish-opening"}),
        ("Stop!", "Para!", {"spanish-opening"}),
        ("Contents", "Contents", {"identical"}),
    ])


def test_russian(tmp_path: Path) -> None:
    _run(tmp_path, "ru", [
        ("In 2026, 1,000 children spent 3.5 hours.", "В 2026 году 1\u00a0000 детей провели 3,5 часа.", set()),
        ("Ages 9 to 11", "Возраст 9–11 лет", set()),
        ("Ages 9 to 11", "Возраст 9–12 лет", {"numbers"}),
        ("Who? Me: yes!", "Кто? Я: да!", set()),
    ])


def test_arabic(tmp_path: Path) -> None:
    _run(tmp_path, "ar", [
        ("1,000 children, 3.5 hours, in 2026", "١٬٠٠٠ طفل، ٣٫٥ ساعات، في عام ٢٠٢٦", set()),
        ("1,000 children", "1,000 طفل", set()),
        ("Why?", "لماذا؟", set()),
        ("Statement 1, statement 2.", "العبارة 1، والعبارة 2.", set()),
        ("Yes, no; why?", "نعم, لا؛ لماذا؟", {"arabic-punctuation"}),
        ("Why?", "لماذا?", {"arabic-punctuation"}),
        ("Statement 1, statement 2.", "العبارة 1, والعبارة 2.", {"arabic-punctuation"}),
        ("Hello", "\u202bمرحبا\u202c", {"bidi-controls"}),
        ("\u200fHello", "\u200fمرحبا", set()),
        ("1,000 children", "١٠٠ طفل", {"numbers"}),
    ])


def test_chinese(tmp_path: Path) -> None:
    _run(tmp_path, "zh-Hans", [
        ("Lesson 3 of 11, in 2026", "第三课，共十一课，二〇二六年", set()),
        ("Visit example.org to learn more.", "访问example.org了解更多。", set()),
        ("Private (P): my address.", "私密（私）：我的住址。", set()),
        ("3.5 hours", "3.5小时", set()),
        ("Note: (see above)", "注意:(见上文)", {"chinese-punctuation"}),
        ("Done.", "完成.", {"chinese-punctuation"}),
        ("Yes, or no", "是,还是不是", {"chinese-punctuation"}),
        ("Lesson 3", "第四课", {"numbers"}),
    ])


def test_han_numbers() -> None:
    assert han_numbers("第一课 十一 二十五 一百零三 两千 二〇二六 三万五千") == [1, 11, 25, 103, 2000, 2026, 35000]


def test_identical_allow_list_and_language_variants(tmp_path: Path) -> None:
    settings = CheckSettings(allow_identical=("Wi-Fi", "ok"))
    cases = [("Wi-Fi", "Wi-Fi", set()), ("OK", "OK", set()), ("Wi-Fi settings", "Wi-Fi settings", {"identical"}),
             ("PDF", "PDF", set()), ("iPhone and YouTube", "iPhone and YouTube", {"identical"}),
             ("[example.org](https://example.org)", "[example.org](https://example.org)", set()),
             ("YouTube, iPhone, help@example.org", "YouTube, iPhone, help@example.org", set())]
    _run(tmp_path, "de", cases, settings)
    variant = tmp_path / "gb"
    variant.mkdir()
    _run(variant, "en-GB", [("Settings", "Settings", set())])  # the source language: copies are normal


GLOSSARY = """\
terms:
  - source: app
    fr: [application, appli]
    ru: приложение
    ar: تطبيق
    zh-Hans: 应用
  - source: privacy settings
    zh-Hans: 隐私设置
    ar: إعدادات الخصوصية
    ru: настройки конфиденциальности
  - source: family
    fr: famille
  - source: Contact
    match-case: true
    fr: contact
    ru: контакт
  - source: content
    ru: контент
  - source: contents
    ru: содержание
  - source: Weblate
    keep: true
"""


@pytest.mark.parametrize("code, cases", [
    ("ar", [
        ("Open your apps", "افتح تطبيقاتك", set()),
        ("and the apps", "وبالتطبيقات", set()),
        ("the app", "للتطبيق", set()),
        ("Privacy settings", "إعداداتُ الخصوصيّة", set()),
        ("Privacy settings and apps", "وبإعدادات الخصوصية والتطبيقات", set()),
        ("the app", "البرنامج", {"terminology"}),
        ("privacy settings", "إعدادات السرية", {"terminology"}),
    ]),
    ("ru", [
        ("in apps", "в приложениях", set()),
        ("the app's privacy settings", "в настройках конфиденциальности приложения", set()),
        ("Contact", "Контакты", set()),
        ("contact them", "свяжитесь с ними", set()),  # match-case: the verb is not the term
        ("Contents", "Содержание", set()),  # the longer, exact term wins over "content" + s
        ("Content", "Контент", set()),
        ("the app", "в программе", {"terminology"}),
        ("Weblate works", "Вебмейт работает", {"terminology"}),
        ("Weblate works", "Weblate работает", set()),
    ]),
    ("zh-Hans", [
        ("privacy settings", "隐私 设置", set()),
        ("Open the privacy settings of every app", "打开每个应用的隐私设置", set()),
        ("privacy settings", "私隐设定", {"terminology"}),
        ("Weblate rocks", "Weblate很好", set()),
    ]),
    ("fr", [
        ("Families online", "Les familles en ligne", set()),
        ("apps and games", "les applis et les jeux", set()),
        ("Contact", "Contact", set()),  # identical, but the glossary approves it
        ("Weblate rocks", "weblate assure", {"terminology"}),
        ("every family", "chaque foyer", {"terminology"}),
    ]),
])
def test_terminology(tmp_path: Path, code: str, cases: list) -> None:
    _run(tmp_path, code, cases, glossary_text=GLOSSARY)


def test_term_matching_directly() -> None:
    assert contains("пароль", "Никогда не делись паролем", slavic=True)
    assert contains("руководство", "Это руководства", slavic=True)
    assert not contains("пароль", "код доступа", slavic=True)
    assert contains("كلمة المرور", "وكلمة المرور الخاصة بي")
    assert contains("بالغ", "شخصًا بالغًا")
    assert contains("temps d’écran", "Le temps d'écran")
    assert not contains("paramètres de confidentialité", "les réglages de vie privée")
    assert contains("隐私设置", "打开**隐私设置**")


# --- configuration --------------------------------------------------------------------------------------

def test_rules_change_severity_and_switch_checks_off() -> None:
    project = config.load(_fixture_root() / "cop-docs.yaml")
    project.checks.rules.update({
        "terminology": CheckRule("error"),
        "numbers": CheckRule("off"),
        "chinese-punctuation": CheckRule(None, ("zh",)),
    })
    found = _found(check_project(project))
    assert ("fr.po", 36, "terminology", "error") in found
    assert not {f for f in found if f[2] in ("numbers", "chinese-punctuation")}
    assert ("ar.po", 84, "arabic-punctuation", "warning") in found


def test_unknown_rule_is_a_config_error_with_file_and_line(tmp_path: Path) -> None:
    root = copy_root("checks", tmp_path)
    path = root / "cop-docs.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    identical:", "    frnech-spacing: {severity: off}\n    identical:"), encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("    frnech-spacing: {severity: off}") + 1
    with pytest.raises(ConfigError) as info:
        check_project(config.load(path))
    assert str(info.value).startswith(f"{path}:{line}: checks.rules.frnech-spacing: unknown check 'frnech-spacing' "
                                      "(known: links, markup, syntax,")
    assert "french-spacing" in str(info.value)


def test_glossary_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text("terms:\n  - source: app\n    xx-Nope: foo\n  - source: Weblate\n    keep: true\n"
                    "    fr: Weblate\n  - fr: x\n  - source: risk\n    match-case: maybe\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_glossary(path)
    assert str(info.value).startswith(f"{path}:3: terms[0].xx-Nope: unknown key")
    assert [(p.line, p.message.split(":")[0]) for p in info.value.problems] == [  # type: ignore[attr-defined]
        (3, "terms[0].xx-Nope"), (4, "terms[1]"), (7, "terms[2]"), (9, "terms[3].match-case")]
    path.write_text("terms: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_glossary(path)


# --- catalogs -------------------------------------------------------------------------------------------

def test_plural_forms_each_checked_at_their_own_line(tmp_path: Path) -> None:
    path = tmp_path / "fr.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                    '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
                    'msgid "{n} file"\nmsgid_plural "{n} files"\nmsgstr[0] "{n} fichier"\nmsgstr[1] "fichiers"\n',
                    encoding="utf-8")
    problems = check_catalog(path, _language("fr"), CheckSettings(), shown_path="fr.po")
    assert [(p.line, p.check, p.msgid) for p in problems] == [(9, "placeholders", "{n} file")]


def test_a_format_flag_mismatch_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "fr.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    '#, python-format\nmsgid "Hello %(name)s"\nmsgstr "Bonjour %(nom)s"\n', encoding="utf-8")
    problems = check_catalog(path, _language("fr"), CheckSettings(), shown_path="fr.po")
    assert [(p.line, p.check) for p in problems] == [(7, "placeholders")]


def test_snowball_stems_match_inflections_the_prefix_rule_misses() -> None:
    from cop_docs.checks.terminology import stemmer

    russian = stemmer("ru")
    assert not contains("дети", "Помогите защитить детей", slavic=True)  # the prefix rule alone: дете ≠ дети
    assert contains("дети", "Помогите защитить детей", slavic=True, stem=russian)
    assert contains("enfant", "Parlez avec vos enfants", stem=stemmer("fr"))
    assert not contains("enfant", "Parlez avec vos parents", stem=stemmer("fr"))
    assert stemmer("zh") is None and stemmer("xx") is None  # no Snowball stemmer: the script's rules alone
