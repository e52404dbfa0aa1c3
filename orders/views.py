"""Orders's storefront pages."""
