"""The project's URLs: each app's pages under its own prefix, the admin, and language switching."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

handler500 = "akm_plan.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("plan/", include("plans.urls")),
    path("plan/", include("region.urls")),
    path("reports/", include("reports.urls")),
    path("evidence/", include("evidence.urls")),
    path("", include("notices.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
