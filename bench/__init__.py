"""Benchmarks (``make bench``, bench/run.py) and the floor app they compare against."""
