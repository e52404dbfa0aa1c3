"""The warehouse stock lands in when nobody named one.

Shared by the data migration that moved the skeleton's single-location
stock into a warehouse and by ``services.stock_set`` (when no warehouse
exists yet), so both agree on what "the main warehouse" is. Rename or
relocate it in the admin.
"""

MAIN_WAREHOUSE = {"code": "main", "name": "Main warehouse", "country": "DE", "priority": 10}
