"""The monthly entry form as a browser sends it back, read from the page's HTML."""

from html.parser import HTMLParser

ROW_FIELDS = {"value", "note", "was", "was_note"}


class _RowInputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name") or ""
        if tag == "input" and name.split("-")[0] in ROW_FIELDS:
            self.data[name] = attrs.get("value") or ""


def row_inputs(html: str) -> dict[str, str]:
    """The entry form's row fields (value-, note-, was-, was_note-<id>) as the page filled them."""
    parser = _RowInputs()
    parser.feed(html)
    if not parser.data:
        raise AssertionError("The page shows no entry form.")
    return parser.data
