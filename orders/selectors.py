"""Read queries of orders, with constant query counts."""
