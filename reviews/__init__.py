"""Reviews bounded context.

Shoppers' ratings and reviews, and their moderation.
"""
