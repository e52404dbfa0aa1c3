"""Data that crosses the recommendations boundary: frozen, slotted dataclasses. Stdlib only."""
