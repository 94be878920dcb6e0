"""URLs of the region's dashboard (its districts), the nation's (its regions), and the template sent
down to them, beside the plan's pages."""

from django.urls import path

from . import template_views, views

app_name = "region"

urlpatterns = [
    path("region/", views.region_dashboard, name="dashboard"),
    path("nation/", views.nation_dashboard, name="nation"),
    path("template/<int:year>/", template_views.choose, name="template-choose"),
    path("template/<int:year>/preview/", template_views.preview_page, name="template-preview"),
    path("template/<int:year>/send/", template_views.send_view, name="template-send"),
]
