"""URLs of the plan's pages: monthly entry and progress dashboards."""
from django.urls import path

from .views import dashboards

app_name = "plans"

urlpatterns = [
    path("dashboard/", dashboards.centre_dashboard, name="centre-dashboard"),
    path("dashboard/service/<int:service>/", dashboards.service_dashboard, name="service-dashboard"),
    path("indicator/<int:indicator>/", dashboards.indicator_page, name="indicator"),
]
