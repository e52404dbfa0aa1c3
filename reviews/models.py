"""Reviews's tables. Private: no other context reads them."""
