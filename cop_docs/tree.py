"""The pandoc JSON tree: walking it, and reading its metadata as text.

In: a pandoc document (``{"blocks": …, "meta": …}``), or any part of one. Out: its elements (the objects with a
``"t"``), depth-first in document order, those of some types only if asked; and metadata values as plain text.
Every walk over the tree in the package goes through :func:`elements`, so a new kind of element or a new
container is one change here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from .segments import stringify

Json = dict[str, Any]


def elements(root: object, types: Collection[str] | None = None) -> Iterator[Json]:
    """Every element under ``root`` (itself included), depth-first in document order; with ``types``, only
    elements of those types. An element may be changed in place when it is yielded: its children are read after."""
    stack: list[object] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            kind = node.get("t")
            if kind is not None and (types is None or kind in types):
                yield node
            stack.extend(reversed([v for v in node.values() if isinstance(v, dict | list)]))
        elif isinstance(node, list):
            stack.extend(reversed([v for v in node if isinstance(v, dict | list)]))


def meta_text(value: Json | None) -> str:
    """A metadata value as plain text: a string as it is, inlines or blocks stringified."""
    if not value:
        return ""
    kind, content = value.get("t"), value.get("c", "")
    if kind == "MetaString":
        return str(content)
    if kind == "MetaInlines":
        return stringify(content)
    if kind == "MetaBlocks":
        return " ".join(stringify(block.get("c", [])) for block in content if isinstance(block.get("c"), list))
    return str(content)
