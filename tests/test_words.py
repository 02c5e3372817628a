"""One definition of a word, by Unicode properties: counts for translators, letter runs for terms."""

from __future__ import annotations

import pytest

from cop_docs import words


@pytest.mark.parametrize("text, expected", [
    ("Talk with your child about what they do online.", 9),
    ("Don't share well-known passwords: 3.14 or 1,000 times.", 8),
    ("Поговорите с ребёнком о том, что он делает в сети.", 10),
    ("تحدَّث مع طفلك عمّا يفعله على الإنترنت.", 7),  # vowel marks and shadda stay inside their words
    ("和孩子谈谈上网的事。", 9),  # each Han character is a word
    ("インターネットを安全に", 11),  # each kana and Han character too, the prolonged-sound mark included
    ("हिन्दी पाठ", 2),  # virama and vowel signs inside words
    ("", 0),
])
def test_words_are_counted_by_unicode_properties(text: str, expected: int) -> None:
    assert words.count(text) == expected


def test_markdown_is_not_counted() -> None:
    assert words.count_markdown("See [the **guide**](https://example.org/a-b \"Title\")[^1] <b>now</b> &amp; here") == 5
    assert words.count_markdown("![A green shield](images/shield.svg){.wide #fig}") == 3
    assert words.count_markdown("snake_case `code`{.x}") == 3


def test_letter_runs_are_the_letters_of_words() -> None:
    text = "Child-online 3 protection’s"
    assert [text[a:b] for a, b in words.letter_runs(text)] == ["Child", "online", "protection", "s"]
    arabic = "حمايةُ الأطفال"
    assert [arabic[a:b] for a, b in words.letter_runs(arabic)] == ["حمايةُ", "الأطفال"]

