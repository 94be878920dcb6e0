"""URLs of the notices (the bell's list) and of the person's profile page."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "notices"

urlpatterns = [
    path("notices/", views.notice_list, name="list"),
    path("notices/read/", views.mark_all_read, name="read-all"),
    path("notices/<int:notice>/open/", views.open_notice, name="open"),
    path("profile/", views.profile, name="profile"),
    path("profile/telegram/code/", views.telegram_code, name="telegram-code"),
    path("profile/telegram/unlink/", views.telegram_unlink, name="telegram-unlink"),
    path(
        "profile/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="notices/password_change.html", success_url=reverse_lazy("notices:password-done")
        ),
        name="password",
    ),
    path(
        "profile/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="notices/password_done.html"),
        name="password-done",
    ),
]
