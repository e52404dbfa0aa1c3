"""Accounts signed up before addresses had one form (`accounts.emails`) get it, so they
are found by it: ``x@xn--bcher-kva.de`` becomes ``x@bücher.de``. An account whose one
form another account holds already is left as it is (staff decide which is whose)."""

from django.db import migrations


def _canonical(address: str) -> str:
    # A copy of accounts.emails.canonical_email as it was: a migration keeps its own.
    address = address.strip()
    local, at, domain = address.rpartition("@")
    if not at:
        return address.lower()
    try:
        domain = domain.encode("idna").decode("idna")
    except UnicodeError:
        pass
    return f"{local.lower()}@{domain.lower()}"


def canonical_emails(apps, schema_editor):
    User = apps.get_model("auth", "User")
    users = User.objects.using(schema_editor.connection.alias)
    for user in users.filter(username__contains="@").only("pk", "username", "email"):
        canonical = _canonical(user.username)
        if canonical == user.username:
            continue
        if users.filter(username__iexact=canonical).exclude(pk=user.pk).exists():
            continue
        users.filter(pk=user.pk).update(username=canonical, email=_canonical(user.email))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(canonical_emails, migrations.RunPython.noop)]
