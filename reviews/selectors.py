"""Read queries of reviews, with constant query counts."""
