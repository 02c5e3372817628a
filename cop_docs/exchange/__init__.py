"""Exchange formats for translation tools: inline codes of a message, XLIFF, TMX, Weblate."""
