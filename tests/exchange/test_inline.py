"""The inline-code model of a message: which Markdown is a code, the round trip, and the code checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cop_docs.exchange.inline import Code, markdown, mismatch, parts, text_of

ROOT = Path(__file__).resolve().parents[2]
LAW = settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

#: Markdown's own characters, weighted so that generated strings are full of would-be markup.
MARKUP = st.sampled_from(["*", "**", "_", "__", "~~", "`", "[", "]", "(", ")", "![", "](", "[^", "<", ">", "</b>",
                          "<b>", "\\", "\n", "  \n", "&", "&amp;", ";", "{", "}", "$", "#", "http://x", " ", '"',
                          "a", "word", "é", "\u202e", "\x00", "\r"])
HOSTILE = st.lists(st.one_of(MARKUP, st.text(max_size=4)), max_size=40).map("".join)


def codes_of(m: str) -> list[tuple[str, str, str]]:
    return [(p.role, p.kind, p.markdown) for p in parts(m) if isinstance(p, Code)]


@LAW
@given(HOSTILE)
def test_round_trip_holds_for_hostile_strings(m: str) -> None:
    ps = parts(m)
    assert markdown(ps) == m
    assert all(p for p in ps if isinstance(p, str))  # no empty text runs
    assert mismatch(ps, ps) is None  # the source's own codes are well formed: unique ids, pairs nested


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text())
def test_round_trip_holds_for_any_text(m: str) -> None:
    assert markdown(parts(m)) == m


def test_round_trip_holds_for_every_message_of_the_project() -> None:
    import polib

    count = 0
    for pot in sorted((ROOT / "translations").glob("*/*.pot")):
        for entry in polib.pofile(str(pot)):
            assert markdown(parts(entry.msgid)) == entry.msgid
            count += 1
    assert count > 1000


@pytest.mark.parametrize(("message", "expected"), [
    ("Hello **bold** and _em_", [("open", "fmt", "**"), ("close", "fmt", "**"), ("open", "fmt", "_"),
                                 ("close", "fmt", "_")]),
    ('See [the guide](https://x.org "Guide"){.ext} now', [("open", "link", "["),
                                                          ("close", "link", '](https://x.org "Guide"){.ext}')]),
    ("Read [the terms][terms] first", [("open", "link", "["), ("close", "link", "][terms]")]),
    ("Read [terms][] first", [("standalone", "link", "[terms][]")]),
    ("Mail <help@example.org> or <https://example.org>", [("standalone", "link", "<help@example.org>"),
                                                          ("standalone", "link", "<https://example.org>")]),
    ("A fact.[^privacy]", [("standalone", "note", "[^privacy]")]),
    ("Type `ls -la` now", [("standalone", "code", "`ls -la`")]),
    ("An ![icon](icon.svg) inline", [("standalone", "image", "![icon](icon.svg)")]),
    ("<b>bold</b> and <br> line", [("open", "html", "<b>"), ("close", "html", "</b>"), ("standalone", "html", "<br>")]),
    ("one\\\ntwo  \nthree", [("standalone", "other", "\\\n"), ("standalone", "other", "  \n")]),
    ("\\#AskBeforeYouShare", [("standalone", "other", "\\#")]),
    ("~~old~~ and $x^2$", [("open", "fmt", "~~"), ("close", "fmt", "~~"), ("standalone", "other", "$x^2$")]),
    ("Fish &amp; chips, a\\b, x_y_z, 2 * 3", []),
    ("[not a link] and [^undefined note", []),
])
def test_codes_are_the_markup(message: str, expected: list) -> None:
    assert codes_of(message) == expected


def test_link_text_is_text_and_targets_are_not() -> None:
    ps = parts('Visit **[our help page](https://www.example.org/help "Help")** today.')
    assert text_of(ps) == "Visit our help page today."
    assert [p.id for p in ps if isinstance(p, Code)] == ["1", "2", "2", "1"]


def test_a_shortcut_reference_is_a_link_only_when_its_label_is_known() -> None:
    assert codes_of("See [ISO 8601] here") == []
    assert [(c.role, c.markdown) for c in parts("See [ISO 8601] here", references=["iso 8601"])
            if isinstance(c, Code)] == [("standalone", "[ISO 8601]")]


def test_raw_html_that_does_not_nest_stands_alone() -> None:
    ps = parts("<span><b>x</span></b>")
    assert [(p.role, p.markdown) for p in ps if isinstance(p, Code)] == [
        ("standalone", "<span>"), ("open", "<b>"), ("standalone", "</span>"), ("close", "</b>")]
    assert mismatch(ps, ps) is None


def test_deep_nesting_and_long_input_stay_linear() -> None:
    import time

    hostile = "[" * 5000 + "x" + "](u)" * 5000 + "*_" * 5000 + "<a>" * 3000 + "`" * 2000
    start = time.perf_counter()
    assert markdown(parts(hostile)) == hostile
    assert time.perf_counter() - start < 5


SOURCE = parts("Use **strong [passwords](https://x.org/pw)** and a `manager`.")


@pytest.mark.parametrize(("target", "reason"), [
    ("Utilisez un `manager` et des **mots de passe [forts](https://x.org/pw)**.", None),
    ("Utilisez [des **mots de passe forts**](https://x.org/pw) et un `manager`.", None),
    ("Utilisez **des mots de passe forts** et un `manager`.", "code 2 missing"),
    ("Utilisez **[des mots](https://x.org/pw) `manager` `manager`**.", "code 3 appears twice"),
    ("Utilisez **[des mots](https://x.org/other)** et `manager`.", "code 2 was changed"),
])
def test_mismatch_by_markdown(target: str, reason: str | None) -> None:
    # a translation parsed on its own numbers its codes in its own order: map them back by their Markdown
    ids = {(c.role, c.markdown): c.id for c in SOURCE if isinstance(c, Code)}
    renumbered = [p if isinstance(p, str) else Code(ids.get((p.role, p.markdown), p.id), p.role, p.markdown, p.kind)
                  for p in parts(target)]
    assert mismatch(SOURCE, renumbered) == reason


def test_mismatch_order_and_nesting() -> None:
    o1, c1 = Code("1", "open", "**", "fmt"), Code("1", "close", "**", "fmt")
    o2, c2 = Code("2", "open", "[", "link"), Code("2", "close", "](u)", "link")
    source = ["a ", o1, "b ", o2, "c", c2, c1]
    assert mismatch(source, [o2, "c", c2, " ", o1, "b", c1]) is None  # the link moved out: still nested
    assert mismatch(source, [o2, o1, "c", c2, c1]) == "code 2 closed inside code 1"
    assert mismatch(source, [c1, "x", o1, o2, c2]) == "code 1 closed before opened"
    assert mismatch(source, [o1, o2, c2]) == "code 1 not closed"
    assert mismatch(source, [o1, c1, o2, c2, Code("9", "standalone", "<br>", "html")]) == "code 9 is not in the source"
    assert mismatch(source, [o1, c1, o2, c2, Code("2", "standalone", "](u)", "link")]) \
        == "code 2 is not a standalone code in the source"
