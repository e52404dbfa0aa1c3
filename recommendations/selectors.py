"""Read queries of recommendations, with constant query counts."""
