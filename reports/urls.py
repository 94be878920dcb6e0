"""URLs of the quarterly reports."""
from django.urls import path  # noqa: F401

app_name = "reports"

urlpatterns = []
