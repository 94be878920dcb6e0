"""Authentication: Django's password login, refusing demo accounts where settings do not allow them."""
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser

# Demo accounts (made by `manage.py load_demo`) belong to this group.
DEMO_GROUP = "demo"


def is_demo_account(user: AbstractBaseUser) -> bool:
    return user.groups.filter(name=DEMO_GROUP).exists()


class AccountBackend(ModelBackend):
    """ModelBackend that also refuses members of the demo group unless DEMO_ACCOUNTS_ALLOWED.

    The check sits in user_can_authenticate, which Django asks both at login and when it
    loads the user of a session, so a demo session left over from before is refused too.
    """

    def user_can_authenticate(self, user: AbstractBaseUser) -> bool:
        if not super().user_can_authenticate(user):
            return False
        # Checked first so that where demo accounts are allowed no query is added per request.
        if settings.DEMO_ACCOUNTS_ALLOWED:
            return True
        return not is_demo_account(user)
