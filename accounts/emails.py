"""One form of an e-mail address per mailbox, so one account is found however it is typed.

Sign-up and sign-in compared addresses lowered, which finds "Ada@Example.COM"
as "ada@example.com", but the domain has other spellings the mail system
takes for the same one, and the shop did not:

* the ASCII form of an international domain: ``x@xn--bcher-kva.de`` is
  ``x@bücher.de``, yet it signed up as a second account and did not sign in
  to the first;
* characters IDNA drops or folds (a zero-width space or soft hyphen pasted
  with the address, full-width letters from a phone's keyboard): Django's
  validator checks the domain's IDNA form, so ``x@example.com\\u200b``
  signed up as an account no one could sign in to by typing the address,
  whose mail went to ``x@example.com``.

The domain is put through IDNA's mapping (Python's ``idna`` codec, the one
Django's validator and its mail sending use) and kept in its Unicode form;
the local part, ASCII to Django's validator, is lowered as before.
"""

from __future__ import annotations

from kernel.mail_domains import idna_form


def canonical_email(address: str) -> str:
    """``address`` trimmed and lowered, its domain in IDNA's Unicode form; an address
    IDNA cannot map (``kernel.mail_domains.validate_mailable`` refuses it) only trimmed
    and lowered."""
    address = address.strip()
    local, at, domain = address.rpartition("@")
    if not at:
        return address.lower()
    return f"{local.lower()}@{(idna_form(domain) or domain).lower()}"
