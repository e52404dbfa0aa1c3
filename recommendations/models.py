"""Recommendations's tables. Private: no other context reads them."""
