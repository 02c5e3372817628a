"""The one walk over the pandoc tree, and metadata read as text."""

from __future__ import annotations

from cop_docs import pandoc, tree


def test_elements_in_document_order_and_by_type() -> None:
    doc = pandoc.read_markdown("---\ntitle: The *title*\n---\n\n# One ![a](x.svg)\n\n- two ![b][ref]\n\n[ref]: y.svg\n",
                               path="t.md")
    assert [i["c"][2][0] for i in tree.elements(doc, {"Image"})] == ["x.svg", "y.svg"]
    kinds = [e["t"] for e in tree.elements(doc["blocks"])]
    assert kinds[:2] == ["Header", "Str"] and "BulletList" in kinds
    assert tree.meta_text(doc["meta"]["title"]) == "The title"
    assert tree.meta_text({"t": "MetaString", "c": "plain"}) == "plain" and tree.meta_text(None) == ""


def test_an_element_changed_when_yielded_is_walked_as_changed() -> None:
    root = {"t": "Div", "c": [["", [], []], [{"t": "Str", "c": "old"}]]}
    for element in tree.elements(root, {"Div"}):
        element["c"][1] = [{"t": "Emph", "c": [{"t": "Str", "c": "new"}]}]
    assert [e["c"] for e in tree.elements(root, {"Str"})] == ["new"]
