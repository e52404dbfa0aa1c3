"""Write use cases of pricing, each in one transaction, publishing events via the outbox.

One module per sub-domain: ``prices`` (base prices and the price history),
``price_lists`` (customer-group prices), ``promotions``, ``vouchers``,
``tax``, ``experiments`` and ``placements`` (pricing's copy of where each
SKU sits in the catalog, kept from catalog events).
"""
