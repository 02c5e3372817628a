"""cop-docs: multilingual documents from one master per audience, through gettext catalogs, to PDF and EPUB.

The package follows the data: :mod:`.config` → :mod:`.sources` / :mod:`.segments` → :mod:`.catalogs` →
:mod:`.localization` → :mod:`.renderers`, tied together by :mod:`.pipeline` and driven by :mod:`.cli`.
"""

__version__ = "0.1.0"
