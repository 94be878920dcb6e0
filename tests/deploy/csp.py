"""What in a page the Content-Security-Policy would block: inline script, handlers, inline style."""
from html.parser import HTMLParser

# Script types a browser does not execute, so CSP does not apply to them (data blocks).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


class _InlineFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._open_script: str | None = None
        self._script_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…> event handler")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:…>")
            if name == "style":
                self.found.append(f"<{tag} style={value!r}>")
        if tag == "style":
            self.found.append("<style> element")
        if tag == "script" and "src" not in attributes:
            script_type = (attributes.get("type") or "").lower()
            if script_type not in DATA_SCRIPT_TYPES:
                self._open_script = str(self.getpos())
                self._script_text = ""

    def handle_data(self, data: str) -> None:
        if self._open_script is not None:
            self._script_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open_script is not None:
            if self._script_text.strip():
                self.found.append(f"inline <script> at {self._open_script}: {self._script_text.strip()[:60]}")
            self._open_script = None


def csp_violations(html: str) -> list[str]:
    """The pieces of `html` that `script-src 'self'; style-src 'self'` would refuse."""
    finder = _InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.found
