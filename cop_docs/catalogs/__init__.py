"""Catalogs: the gettext side of the pipeline.

- :mod:`.po` is the PO format: the catalog model, the one reader every command uses (GNU gettext's reading),
  and the writer (GNU gettext's layout);
- :mod:`.pofiles` puts catalogs on disk: written atomically, and only when what they say changes;
- :mod:`.extract` turns the units of a document's sources into a POT template;
- :mod:`.merge` brings a language's PO file up to date with its template (msgmerge semantics);
- :mod:`.messages` reads message text as Markdown, and decides whether a translation may stand in for its source;
- :mod:`.coverage` measures each language's catalogs against their templates: the states the gate, the build and
  the reports share.

Layout on disk: ``translations/<document>/<document>.pot`` beside ``translations/<document>/<lang>.po``,
the monolingual-with-template layout that Weblate and Poedit open as it is.
"""
