"""URLs of the plan's pages: monthly entry, progress dashboards (a centre's and a service's),
the plan itself (approval, amendments, next year's plan, the year view), the plan from a Word file."""

from django.urls import path

from .views import dashboards, entry, month_sheet, plan, word_import

app_name = "plans"

urlpatterns = [
    path("entry/<int:year>/<int:month>/<int:service>/", entry.entry, name="entry"),
    path("entry/<int:year>/<int:month>/<int:service>/complete/", entry.complete, name="entry-complete"),
    path("entry/<int:year>/<int:month>/<int:service>/sheet/", month_sheet.download, name="entry-sheet"),
    path(
        "entry/<int:year>/<int:month>/<int:service>/sheet/upload/",
        month_sheet.upload,
        name="entry-sheet-upload",
    ),
    path(
        "entry/<int:year>/<int:month>/<int:service>/sheet/confirm/",
        month_sheet.confirm,
        name="entry-sheet-confirm",
    ),
    path("entry/<int:year>/<int:month>/", entry.overview, name="entry-overview"),
    path("entry/<int:year>/<int:month>/lock/", entry.month_lock, name="entry-month-lock"),
    path("entry/history/<int:indicator>/", entry.history, name="entry-history"),
    path("dashboard/", dashboards.centre_dashboard, name="centre-dashboard"),
    path("dashboard/service/<int:service>/", dashboards.service_dashboard, name="service-dashboard"),
    path("indicator/<int:indicator>/", dashboards.indicator_page, name="indicator"),
    path("import/", word_import.upload, name="word-import"),
    path("import/preview/", word_import.preview, name="word-import-preview"),
    path("<int:plan>/", plan.plan_page, name="plan"),
    path("<int:plan>/approve/", plan.approve, name="plan-approve"),
    path("<int:plan>/next-year/", plan.next_year, name="next-year"),
    path("<int:plan>/year/", plan.year_view, name="plan-year"),
    path("amendments/", plan.amendments, name="amendments"),
]
