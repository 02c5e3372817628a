"""What makes a translation unusable before it is even read: its size, control characters.

``length`` (error)
    A msgstr longer than ``translation-length-factor`` × its msgid + ``translation-length-extra`` characters
    (``limits:`` in cop-docs.yaml; 10 and 1,000 by default). Such a text is a paste gone wrong, or an attack on
    the build's time and memory; it is not parsed by the other checks, and the outputs show the source instead.
``control-characters`` (error)
    A C0 control character (other than tab and line breaks) the msgid does not have: no page can show it and an
    e-book (XML) cannot hold it. The outputs show the source instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..catalogs.messages import too_long
from ..sources import CONTROL_CHARACTERS
from .base import Check, Context, Finding, Message, visible

__all__ = ["CHECKS", "run", "too_long"]

CHECKS = {"length": Check("length", "error", "a translation at most factor × its source's length + extra characters"),
          "control-characters": Check("control-characters", "error", "no control characters the source does not have")}


def run(messages: list[Message], ctx: Context) -> Iterator[Finding]:
    for m in messages:
        found = CONTROL_CHARACTERS.search(m.msgstr)
        if ctx.on("control-characters") and found and not CONTROL_CHARACTERS.search(m.msgid):
            yield Finding(m.index, "control-characters",
                          f"control character U+{ord(found.group()):04X} in “{visible(m.msgstr[:40])}”",
                          "An invisible control character, pasted from another program: no page can show it and an "
                          "e-book cannot hold it, so the translation is not used. Delete it.")
        if ctx.on("length") and too_long(m.msgid, m.msgstr, ctx.limits):
            yield Finding(m.index, "length", f"the translation has {len(m.msgstr):,} characters, its source "
                          f"{len(m.msgid):,}: more than {ctx.limits.translation_factor} × the source + "
                          f"{ctx.limits.translation_extra}",
                          "A translation this long is a paste gone wrong; it is not used. The limit is set with "
                          "limits: translation-length-factor and translation-length-extra in cop-docs.yaml.")
