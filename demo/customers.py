"""Demo customer accounts: plain user accounts with unusable passwords.

They write the demo's reviews and place its orders; nobody signs in as
them. Created like seed_demo's staff user (accounts.api has no sign-up
function to call), the first time they are asked for.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

#: (username, first name, last name) of each person, e-mail ``<username>@example.com``.
Person = tuple[str, str, str]


def ensure_customers(people: list[Person]) -> list[int]:
    """The ids of ``people``'s accounts, in their order, creating those that are missing."""
    User = get_user_model()
    emails = [f"{username}@example.com" for username, _, _ in people]
    existing = dict(User.objects.filter(username__in=emails).values_list("username", "pk"))
    ids = []
    for email, (_, first, last) in zip(emails, people, strict=True):
        if email not in existing:
            user = User(username=email, email=email, first_name=first, last_name=last)
            user.set_unusable_password()
            user.save()
            existing[email] = user.pk
        ids.append(existing[email])
    return ids
