"""The publisher's addresses: the project file maps an address the masters link to (``links:``), per language;
``check`` warns while a document links to a domain reserved for examples."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from cop_docs import config, localized, sources
from cop_docs.checks import addresses, check_project
from cop_docs.errors import ConfigError
from cop_docs.tree import elements, stringify

MASTER = """# Help

Find a helpline at [www.example.org/help](https://www.example.org/help).

Read [the family guide](https://www.example.org/families/) too.
"""

LINKS = """
links:
  https://www.example.org/help:
    default: https://help.publisher.int/
    fr: https://help.publisher.int/fr/aide
"""


def links(root: Path, code: str) -> list[tuple[str, str]]:
    project = config.load(root / "cop-docs.yaml", remember=False)
    doc, lang = project.document("sample"), project.language(code)
    ast = localized.localized(project, doc, lang, sources.load(project, doc))
    return [(stringify(link["c"][1]), link["c"][2][0]) for link in elements(ast["blocks"], {"Link"})]


@pytest.fixture
def project(basic: Path) -> Path:
    (basic / "sources/sample.md").write_text(MASTER, encoding="utf-8")
    return basic


def test_an_address_is_the_publishers_in_each_language(project: Path) -> None:
    with (project / "cop-docs.yaml").open("a", encoding="utf-8") as f:
        f.write(LINKS)
    assert links(project, "en") == [("help.publisher.int", "https://help.publisher.int/"),
                                    ("the family guide", "https://www.example.org/families/")]
    assert links(project, "fr")[0] == ("help.publisher.int/fr/aide", "https://help.publisher.int/fr/aide")
    assert links(project, "zh-Hans")[0] == ("help.publisher.int", "https://help.publisher.int/")


def test_check_warns_on_placeholder_addresses_until_they_are_mapped(project: Path) -> None:
    found = [p for p in check_project(config.load(project / "cop-docs.yaml", remember=False))
             if p.check == "placeholder-address"]
    assert [(p.path, p.line, p.severity) for p in found] == [("sources/sample.md", 3, "warning"),
                                                            ("sources/sample.md", 5, "warning")]
    assert "https://www.example.org/help" in found[0].message and "fr" in found[0].message
    with (project / "cop-docs.yaml").open("a", encoding="utf-8") as f:
        f.write(LINKS)
    result = run_cli("-C", str(project), "check")
    assert result.returncode == 0  # a warning does not fail the check
    assert "sample.md:3:" not in result.stdout and "sample.md:5: warning: [placeholder-address]" in result.stdout


@pytest.mark.parametrize("url", ["https://example.com", "http://www.example.org/x", "https://a.b.example.net/",
                                 "https://site.test/", "https://x.invalid", "http://localhost:8000/", "https://shop.example/"])
def test_reserved_domains_are_placeholders(url: str) -> None:
    assert addresses.placeholder(url)


@pytest.mark.parametrize("url", ["https://www.itu.int/cop", "https://example.org.evil.com/", "https://myexample.org/",
                                 "mailto:help@publisher.int"])
def test_real_domains_are_not(url: str) -> None:
    assert not addresses.placeholder(url)


def test_a_link_table_names_configured_languages_and_real_addresses(project: Path) -> None:
    with (project / "cop-docs.yaml").open("a", encoding="utf-8") as f:
        f.write("links:\n  https://www.example.org/help:\n    de: https://x.int/\n")
    with pytest.raises(ConfigError) as err:
        config.load(project / "cop-docs.yaml", remember=False)
    assert "cop-docs.yaml:27: links.https://www.example.org/help.de: 'de' is neither a configured language" in str(err.value)
    text = (project / "cop-docs.yaml").read_text(encoding="utf-8").replace("de: https://x.int/", "fr: javascript:alert(1)")
    (project / "cop-docs.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        config.load(project / "cop-docs.yaml", remember=False)
    assert "'javascript:alert(1)' is not an http(s), mailto or tel address" in str(err.value)
