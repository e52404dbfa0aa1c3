"""The cart: what a shopper is about to buy, priced fresh by pricing on every read."""
