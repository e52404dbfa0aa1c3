"""How dates read on the shop's pages, per language (``FORMAT_MODULE_PATH``).

English is written the European way the shop's customers read it (``2 December
2026``, ``2 Dec 2026, 14:05``), not Django's American default (``Dec. 2,
2026, 2:05 p.m.``). German keeps Django's own formats (``2. Dezember 2026``,
``02.12.2026``). Templates name a format (``|date:"SHORT_DATE_FORMAT"``), never
a pattern, so each language writes its own.
"""
