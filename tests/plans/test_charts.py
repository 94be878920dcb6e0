"""SVG charts: well-formed, labelled for screen readers and print, sized for PDF, translated."""

import io
import xml.etree.ElementTree as ET

import pypdf
import pytest
from django.utils import translation

from plans import charts
from plans.pacing import Status

SVG = "{http://www.w3.org/2000/svg}"

MONTHS_DONE = [5, 0, 480, None, None, None, None, None, None, None, None, None]
PACE = [426] * 12
CUMULATIVE = [5, 5, 485, None, None, None, None, None, None, None, None, None]
EXPECTED = [426 * m for m in range(1, 13)]
COUNTS = {Status.DONE: 12, Status.ON_TRACK: 11, Status.BEHIND: 15, Status.OVERDUE: 2, Status.NO_TARGET: 8}


def parse(svg):
    return ET.fromstring(str(svg))


def texts(root):
    return [t.text for t in root.iter(f"{SVG}text")]


ALL_CHARTS = [
    lambda: charts.monthly_bars(MONTHS_DONE, PACE),
    lambda: charts.cumulative_line(CUMULATIVE, EXPECTED, 5114),
    lambda: charts.status_summary(COUNTS),
    lambda: charts.progress_bar(40.0, 25.0, Status.ON_TRACK),
]


@pytest.mark.parametrize("make", ALL_CHARTS)
def test_every_chart_is_sized_for_pdf_and_labelled(make):
    root = parse(make())
    width, height = root.get("width"), root.get("height")
    assert root.get("viewBox") == f"0 0 {width} {height}"
    assert "DejaVu Sans" in root.get("font-family")
    assert root.get("role") == "img"
    assert root.get("aria-label")
    assert root.find(f"{SVG}title").text == root.get("aria-label")


def test_monthly_bars_label_each_month_with_a_bar_and_name_every_month():
    root = parse(charts.monthly_bars(MONTHS_DONE, PACE))
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == charts.ACCENT and r.get("y") != "0"]
    assert len(bars) == 3  # January, February (empty bar) and March; later months not reached
    labels = texts(root)
    assert "480" in labels
    assert [charts.month_label(m) for m in range(1, 13)] == [
        t for t in labels if t in {charts.month_label(m) for m in range(1, 13)}
    ]
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray") == "4 2"]
    assert len(dashed) == 12 + 1  # a pace step per month, and its legend sample


def test_cumulative_line_labels_the_target_and_the_latest_total():
    root = parse(charts.cumulative_line(CUMULATIVE, EXPECTED, 5114))
    labels = texts(root)
    assert any("5114" in label for label in labels)
    assert "485" in labels
    points = root.find(f"{SVG}polyline[@stroke='{charts.ACCENT}']").get("points").split()
    assert len(points) == 3


def test_cumulative_line_without_target_has_no_target_line():
    root = parse(charts.cumulative_line(CUMULATIVE, [None] * 12, None))
    assert not [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray") == "1 3"]


def test_status_summary_tells_statuses_apart_without_colour():
    root = parse(charts.status_summary(COUNTS, prefix="x"))
    labels = texts(root)
    for status, count in COUNTS.items():
        assert f"{status.label}: {count}" in labels
    pattern_ids = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    fills = {r.get("fill") for r in root.iter(f"{SVG}rect") if (r.get("fill") or "").startswith("url(")}
    assert {f"url(#{pid})" for pid in pattern_ids} >= fills
    assert len(fills) == len(COUNTS)


def test_status_summary_pattern_ids_carry_the_prefix():
    root = parse(charts.status_summary(COUNTS, prefix="service"))
    assert all(p.get("id").startswith("service-") for p in root.iter(f"{SVG}pattern"))


def test_status_summary_of_nothing_says_so():
    with translation.override("en"):
        root = parse(charts.status_summary({}))
    assert texts(root) == ["No indicators"]


def test_progress_bar_marks_the_expected_share():
    root = parse(charts.progress_bar(40.0, 50.0, Status.BEHIND))
    fill = [r for r in root.iter(f"{SVG}rect")][1]
    assert float(fill.get("width")) == pytest.approx(60.0)  # 40 % of 150
    marker = root.find(f"{SVG}path").get("d")
    assert marker.startswith("M75.0,")  # 50 % of 150


def test_progress_bar_caps_at_the_full_width():
    root = parse(charts.progress_bar(250.0, 100.0, Status.DONE))
    assert float([r for r in root.iter(f"{SVG}rect")][1].get("width")) == 150


@pytest.mark.parametrize(("language", "word"), [("uz", "Mar"), ("ru", "Мар"), ("en", "Mar")])
def test_month_names_follow_the_language(language, word):
    with translation.override(language):
        assert word in texts(parse(charts.monthly_bars(MONTHS_DONE, PACE)))


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_legend_is_translated(language):
    with translation.override(language):
        expected = translation.gettext("Monthly pace")
        assert expected in texts(parse(charts.monthly_bars(MONTHS_DONE, PACE)))


def test_weasyprint_draws_the_charts_with_their_text():
    weasyprint = pytest.importorskip("weasyprint")
    html = "<html><body>" + "".join(str(make()) for make in ALL_CHARTS) + "</body></html>"
    pdf = weasyprint.HTML(string=html).write_pdf()
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "480" in text
    assert "5114" in text
    assert f"{Status.BEHIND.label}: 15" in text


def test_cumulative_line_draws_last_years_line_and_names_it():
    last_year = [10 * m for m in range(1, 13)]
    root = parse(charts.cumulative_line(CUMULATIVE, EXPECTED, 5114, last_year=last_year))
    [line] = [p for p in root.iter(f"{SVG}polyline") if p.get("stroke-dasharray") == "8 3 2 3"]
    assert len(line.get("points").split()) == 12
    assert "O‘tgan yil" in texts(root)
    without = parse(charts.cumulative_line(CUMULATIVE, EXPECTED, 5114))
    assert not [p for p in without.iter(f"{SVG}polyline") if p.get("stroke-dasharray") == "8 3 2 3"]
    assert "O‘tgan yil" not in texts(without)
