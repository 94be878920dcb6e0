"""URLs of evidence: a figure's files, and each file (through a checked view only)."""

from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("<int:indicator>/<int:month>/<int:service>/", views.figure, name="figure"),
    path("file/<int:file>/", views.download, name="file"),
    path("file/<int:file>/thumbnail/", views.thumbnail, name="thumbnail"),
    path("file/<int:file>/remove/", views.remove, name="remove"),
]
