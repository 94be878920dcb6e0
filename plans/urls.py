"""URLs of the plan's pages: monthly entry and progress dashboards."""
from django.urls import path  # noqa: F401

app_name = "plans"

urlpatterns = []
