"""Data that crosses the orders boundary: frozen, slotted dataclasses. Stdlib only."""
