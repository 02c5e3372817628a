"""The pandoc JSON tree: walking it, and reading its metadata as text.

In: a pandoc document (``{"blocks": …, "meta": …}``), or any part of one. Out: its nodes, or its elements (the
objects with a ``"t"``), depth-first in document order, those of some types only if asked; and metadata values
as plain text.
Every walk over the tree in the package goes through :func:`elements`, so a new kind of element or a new
container is one change here.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from .segments import stringify

Json = dict[str, Any]


_CONTAINERS = (dict, list)


def nodes(root: object) -> Iterator[Json | list]:
    """Every object and list under ``root`` (itself included), depth-first in document order. A node may be
    changed in place when it is yielded: its children are read after."""
    if not isinstance(root, _CONTAINERS):
        return
    stack: list = [root]
    pop, extend = stack.pop, stack.extend  # the build walks the tree thousands of times: kept tight
    while stack:
        node = pop()
        yield node
        extend([v for v in reversed(node.values() if isinstance(node, dict) else node) if isinstance(v, _CONTAINERS)])


def elements(root: object, types: Collection[str] | None = None) -> Iterator[Json]:
    """Every element (object with a ``"t"``) under ``root``, itself included, depth-first in document order;
    with ``types``, only elements of those types. An element may be changed in place when it is yielded."""
    for node in nodes(root):
        if isinstance(node, dict) and "t" in node and (types is None or node["t"] in types):
            yield node


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
