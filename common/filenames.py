"""Names of downloaded files: Latin letters from any Uzbek or Russian name (slug), bounded length,
and the Content-Disposition header that carries them. Pure functions."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

# Uzbek Cyrillic and Russian letters in the official Uzbek Latin spelling (1995), without the
# apostrophes (o‘ → o, g‘ → g, ъ → nothing), which file names do not need.
CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ў": "o", "қ": "q",
    "ғ": "g", "ҳ": "h",
}  # fmt: skip
VOWELS = set("аеёиоуэюяўыaeiou")
# Room for the id, year, quarter, version and extension within any file system's 255 bytes.
NAME_LIMIT = 80


def transliterate(text: str) -> str:
    """`text` in Latin letters: Cyrillic as Uzbek Latin writes it, other letters without accents.

    Uzbek writes е as "ye" at the start of a word and after a vowel (Елена → Yelena, поезд →
    poyezd). Letters of other scripts are dropped.
    """
    letters = []
    previous = ""
    for char in text:
        lower = char.lower()
        if lower in CYRILLIC:
            latin = CYRILLIC[lower]
            if lower == "е" and (not previous.isalpha() or previous.lower() in VOWELS or previous in "ъь"):
                latin = "ye"
            if char != lower and latin:
                latin = latin[0].upper() + latin[1:]
            letters.append(latin)
        else:
            letters.append(char)
        previous = char
    folded = unicodedata.normalize("NFKD", "".join(letters))
    return folded.encode("ascii", "ignore").decode("ascii")


def slug(text: str, limit: int = NAME_LIMIT) -> str:
    """Lowercase Latin words joined by hyphens, cut at a word boundary to at most `limit` characters."""
    words = re.sub(r"[^a-z0-9]+", "-", transliterate(text).lower()).strip("-")
    if len(words) > limit:
        cut = words[:limit]
        words = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return words


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """An attachment header (or, `inline`, one for showing in the browser) naming `filename`: plain
    (ASCII, quoted) and as RFC 6266 `filename*`."""
    plain = transliterate(filename).replace("\\", "_").replace('"', "_")
    plain = "".join(char if " " <= char < "\x7f" else "_" for char in plain)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
