"""Catalogs: the gettext side of the pipeline.

- :mod:`.extract` turns the units of a document's sources into a POT template;
- :mod:`.merge` brings a language's PO file up to date with its template (msgmerge semantics);
- :mod:`.pofiles` reads and writes PO/POT files (stable, atomic, accepted by ``msgfmt -c``).

Layout on disk: ``translations/<document>/<document>.pot`` beside ``translations/<document>/<lang>.po``,
the monolingual-with-template layout that Weblate and Poedit open as it is.
"""
