"""``changepassword``, on the users' database by default (backoffice/management/staff_users.py)."""

from django.contrib.auth.management.commands import changepassword

from backoffice.management.staff_users import default_to_the_users_database


class Command(changepassword.Command):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        default_to_the_users_database(parser)
