"""The composition layer: pages and endpoints built from several contexts.

Like an API gateway aggregating services, it calls only the contexts'
``api`` modules and reads their ``dtos``/``events`` (import-linter holds it
to that, in the same independence contract as the contexts).
"""
