"""Shared setup of the fault tests: cheap password hashing for the demo's accounts."""

import pytest


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """The demo hashes its password once per test; the slow default hasher would dominate setup."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
