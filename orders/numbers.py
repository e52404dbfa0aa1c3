"""Human-friendly order numbers that reveal nothing: ``CM-7KQ4-X9PD``.

Eight characters drawn with a CSPRNG from 30 symbols that cannot be misread
(no 0/O, 1/I/L, U) give 30**8 ≈ 6.6·10^11 numbers: nobody can guess the next
order's number, count a shop's orders from two of them, or find another
customer's order by trying neighbours. Uniqueness is the database's job
(unique constraint); ``services.order_place`` draws again on a collision.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "CM"


def new_order_number() -> str:
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{PREFIX}-{chars[:4]}-{chars[4:]}"


def normalise(number: str) -> str:
    """What a shopper typed ("cm 7kq4x9pd") in the stored form ("CM-7KQ4-X9PD")."""
    compact = "".join(char for char in number.upper() if char.isalnum())
    if len(compact) == len(PREFIX) + 8 and compact.startswith(PREFIX):
        return f"{PREFIX}-{compact[2:6]}-{compact[6:]}"
    return number.strip().upper()
