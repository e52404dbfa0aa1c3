"""Write use cases of recommendations, each in one transaction.

- ``profiles``: this context's copy of the catalog, stock and prices it hears of;
- ``baskets``: orders' baskets and the co-purchase counts learnt from them;
- ``visits``: what each visitor looked at recently.

Recommendations publishes no events: nobody needs to hear what it suggests.
"""
