"""Pages made from templates: the reports, contact sheets, badges and covers written as HTML or SVG.

In: the name of a template under ``cop_docs/themes/`` and the values to put in it. Out: the page as text.
Jinja2 escapes every value it inserts (autoescaping is on for every template), so a title, a file name or a
translated label can never become markup; a name the template uses but is not given is an error
(``StrictUndefined``) rather than an empty string. Text that is meant to be markup must be made so explicitly,
with :func:`markupsafe.Markup`, in the code that builds it.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

THEMES = Path(__file__).resolve().parent / "themes"

_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.FileSystemLoader(THEMES), autoescape=True, undefined=jinja2.StrictUndefined,
    trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render(name: str, **values: object) -> str:
    """The template ``themes/<name>`` filled with ``values``, every value escaped."""
    return _ENVIRONMENT.get_template(name).render(**values)
