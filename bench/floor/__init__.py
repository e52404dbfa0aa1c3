"""The floor: the least a Django page can cost on this machine (bench/surge.py).

One template view and one JSON view, no database, no sessions, served
like the shop (gunicorn, 2 sync workers, DEBUG off). The shop's pages are
reported as a share of its requests per second, measured in the same run,
so a slow or busy machine moves both and the share stays comparable.
"""
