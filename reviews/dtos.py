"""Data that crosses the reviews boundary: frozen, slotted dataclasses. Stdlib only."""
