"""Uzbek Latin → Uzbek Cyrillic, by Uzbek's own rules, in one pure module (no Django, no database).

Used for the Cyrillic interface catalogue (`manage.py cyrillic_catalogue`, run by `make messages`),
for the plan's own text shown to a reader who chose Ўзбекча (plans.cyrillic prefers a correction
an administrator stored), for the quarterly report's table, and backwards (`to_latin`) for search.

The rules:
- oʻ → ў, gʻ → ғ, whichever apostrophe is typed (' ‘ ’ ʻ ʼ `); sh → ш, ch → ч, but sʼh → сҳ;
  ng stays н + г; q → қ, h → ҳ, x → х, j → ж, y → й.
- yo, yu, ya, ye → ё, ю, я, е (yoʻ is й + ў); e at a word's start or after a vowel → э.
- ts → ц where it is one sound: at a word's start, and before -iya/-io- (kommunikatsiya,
  innovatsion); elsewhere it is т + с (ketsa, oʻtsa).
- the tutuq belgisi (an apostrophe between two letters: masʼul, shuʼba) → ъ; an apostrophe that
  is not between letters is a quotation mark and stays.
- Russian loans that the Latin spelling cannot tell (sentabr → сентябр, aksiya → акция,
  kompyuter → компьютер, obyekt → объект): a short list of stems, `LOANS`.
- a number joined to yil or a month by a hyphen is written with a space: 2024-yil → 2024 йил.
- left as they are: printf and format placeholders (%(name)s, %s, {name}), template tags
  ({{ }}, {% %}), HTML tags and entities, URLs, e-mail addresses, and a few Latin-script
  technical words (PDF, XLSX, Excel…). Other capitals are Uzbek abbreviations: AKT → АКТ,
  PQ-380 → ПҚ-380.
- a word with c (but in ch) or w is not Uzbek (Control, Unicode) and stays as written, and so
  do identifiers (class_name.allow_empty).
- case is kept: SH → Ш, Sh → Ш, ShAROF → ШАРОФ.
"""
from __future__ import annotations

import re

APOSTROPHES = "'\u2018\u2019\u02bb\u02bc`"
_APOS = f"[{APOSTROPHES}]"
# The turned commas: after o or g they are always the letter's mark, never a closing quote.
_TURNED = "\u2018\u02bb"

# Spans copied unchanged: URLs, e-mail addresses, template syntax, HTML, placeholders.
_PROTECTED = re.compile(
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}"
    r"|<[^<>]*>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);"
    r"|%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[-#0 +]*\d*(?:\.\d+)?[sdifrx%]"
    r"|\{[A-Za-z_0-9][\w.]*(?:![rsa])?(?::[^{}]*)?\}"
    # Identifiers and file names: class_name.allow_empty, settings.py, lex.uz.
    r"|\b(?=[\w.]*_)[A-Za-z_]\w*(?:\.\w+)*\b|\b[a-z][a-z0-9]+(?:\.[a-z][a-z0-9]+)+\b",
    re.S,
)
# A word: Latin letters, with apostrophes inside (or after o/g: a word may end in gʻ: togʻ).
_WORD = re.compile(rf"[A-Za-z](?:[A-Za-z]|{_APOS}(?=[A-Za-z])|(?<=[oOgG]){_APOS})*")
# A number joined by a hyphen to "yil" or a month: Cyrillic writes a space.
_NUMBER_YEAR = re.compile(
    r"(\d|^)[-\u2010\u2011](?=(?:yil|yanvar|fevral|mart|aprel|may|iyun|iyul|avgust|sentabr|sentyabr"
    r"|oktabr|oktyabr|noyabr|dekabr)(?![a-z]*\d))",
    re.I,
)

# Latin-script words Uzbek Cyrillic text keeps in Latin (file formats, products, protocols).
KEPT_LATIN = frozenset(
    "PDF XLSX XLS DOCX DOC CSV URL HTML HTTP HTTPS ID API QR JSON UTF IP SMS Excel Word "
    "LibreOffice OpenOffice WeasyPrint Chromium Django DEBUG True False None www".split()
)

_FOREIGN = re.compile(r"[cC](?![hH])|[wW]")
_KEPT_UPPER = frozenset(word for word in KEPT_LATIN if word.isupper())
_KEPT_PREFIX = re.compile(rf"^({'|'.join(sorted(KEPT_LATIN, key=len, reverse=True))})([a-z]+)$")

# Russian loans whose Cyrillic the Latin spelling does not tell; stems, matched at a word's start
# (lower case, apostrophes as '). The rest of the word follows the rules.
LOANS = {
    "sentabr": "сентябр",
    "sentyabr": "сентябр",
    "oktabr": "октябр",
    "oktyabr": "октябр",
    "yanvar": "январ",
    "aksiya": "акция",
    "aksiyalar": "акциялар",
    "konsert": "концерт",
    "konferensiya": "конференция",
    "konsepsiya": "концепция",
    "konsepsi": "концепци",
    "prinsip": "принцип",
    "litsey": "лицей",
    "litsenziya": "лицензия",
    "distansion": "дистанцион",
    "distansiya": "дистанция",
    "sentr": "центр",
    "ensiklopedi": "энциклопеди",
    "sirk": "цирк",
    "ssenariy": "сценарий",
    "stansiya": "станция",
    "kompyuter": "компьютер",
    "obyekt": "объект",
    "subyekt": "субъект",
    "ob'yekt": "объект",
    "sub'yekt": "субъект",
    "aktyor": "актёр",
    "rayon": "район",
    "shveysariya": "Швейцария",
    "sex": "цех",
    "pyesa": "пьеса",
    "potensial": "потенциал",
    "renessans": "ренессанс",
}
# Only these loans match a whole word and not a stem (a stem would catch Uzbek words).
_WHOLE_WORD_LOANS = frozenset({"sex", "sirk", "rayon"})

# Roman numerals (quarters, sections) stay Latin in Cyrillic text too.
_ROMAN = re.compile(r"^(?=[IVXLC]+$)(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")

# An initial just before: a capital (or Sh, Ch…) and a full stop, then spaces.
_INITIAL_BEFORE = re.compile(r"(?:^|[\s(])[A-Z][a-z]?\.\s*$")

_SIMPLE = {
    "a": "а", "b": "б", "c": "ц", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "ҳ", "i": "и",
    "j": "ж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "қ", "r": "р",
    "s": "с", "t": "т", "u": "у", "v": "в", "w": "в", "x": "х", "y": "й", "z": "з",
}
_Y_PAIRS = {"o": "ё", "u": "ю", "a": "я", "e": "е"}
_VOWELS = set("aeiouAEIOU")


def _is_apostrophe(char: str) -> bool:
    return char != "" and char in APOSTROPHES


def _takes_mark(low: str, nxt: str, after: str) -> bool:
    """Whether o or g followed by `nxt` is oʻ/gʻ: a turned comma always; another apostrophe
    before a letter, or after g (togʻ); after o at a word's end it is a closing quote."""
    return low in "og" and _is_apostrophe(nxt) and (nxt in _TURNED or after.isalpha() or low == "g")


def _cased(cyrillic: str, upper: bool) -> str:
    return cyrillic.upper() if upper else cyrillic


def _word_is_upper(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _letters(word: str) -> str:
    """One word (Latin letters and apostrophes) by the letter rules, case kept."""
    all_upper = _word_is_upper(word)
    out = []
    i = 0
    n = len(word)
    while i < n:
        char = word[i]
        low = char.lower()
        nxt = word[i + 1] if i + 1 < n else ""
        after = word[i + 2] if i + 2 < n else ""
        # The second letter of a digraph is upper in SH, lower in Sh; either way a capital Ш.
        upper = char.isupper()
        if _is_apostrophe(char):
            # Between two letters: the tutuq belgisi.
            prev = word[i - 1] if i else ""
            if prev.isalpha() and nxt.isalpha():
                out.append(_cased("ъ", all_upper))
            else:
                out.append(char)
            i += 1
            continue
        if _takes_mark(low, nxt, after):
            out.append(_cased("ў" if low == "o" else "ғ", upper))
            i += 2
            continue
        if low == "s" and _is_apostrophe(nxt) and after.lower() == "h":
            out.append(_cased("с", upper))
            out.append(_cased("ҳ", after.isupper()))
            i += 3
            continue
        if low == "s" and nxt.lower() == "h":
            out.append(_cased("ш", upper))
            i += 2
            continue
        if low == "c" and nxt.lower() == "h":
            out.append(_cased("ч", upper))
            i += 2
            continue
        if low == "y" and nxt.lower() in _Y_PAIRS:
            # yoʻ is й + ў, not ё + apostrophe.
            if not _takes_mark(nxt.lower(), after, word[i + 3] if i + 3 < n else ""):
                out.append(_cased(_Y_PAIRS[nxt.lower()], upper))
                i += 2
                continue
        if low == "t" and nxt.lower() == "s" and after.lower() != "h":
            rest = word[i + 2:].lower()
            if i == 0 or rest.startswith(("iya", "io", "iy", "ia")):
                out.append(_cased("ц", upper))
                i += 2
                continue
        if low == "e":
            prev = word[i - 1] if i else ""
            if i == 0 or prev in _VOWELS:
                out.append(_cased("э", upper))
                i += 1
                continue
        if low in _SIMPLE:
            out.append(_cased(_SIMPLE[low], upper))
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _apply_case(cyrillic: str, model: str) -> str:
    if _word_is_upper(model):
        return cyrillic.upper()
    if model[:1].isupper():
        return cyrillic[:1].upper() + cyrillic[1:]
    return cyrillic


def _after_initial(text: str, start: int) -> bool:
    """Whether the word at `start` follows an initial ("F. I. Sh."): then a lone I is a letter."""
    return bool(_INITIAL_BEFORE.search(text, 0, start))


def _word(word: str, initial: bool = False) -> str:
    if initial and len(word) <= 2:
        return _letters(word)
    if _ROMAN.match(word) or word in KEPT_LATIN or word.upper() in _KEPT_UPPER:
        return word
    kept = _KEPT_PREFIX.match(word)
    if kept:  # Excelda → Excelда: the product's name stays, the Uzbek ending is transliterated
        return kept.group(1) + _letters(kept.group(2))
    if _FOREIGN.search(word):  # not an Uzbek word: Uzbek Latin has no c but in ch, no w
        return word
    key = word.lower()
    for variant in APOSTROPHES[1:]:
        key = key.replace(variant, "'")
    for stem, cyrillic in LOANS.items():
        if key == stem or (stem not in _WHOLE_WORD_LOANS and key.startswith(stem)):
            head = _apply_case(cyrillic, word[: len(stem)])
            return head + _letters(word[len(stem):]) if len(word) > len(stem) else head
    return _letters(word)


def _plain(text: str, after_placeholder: bool = False) -> str:
    """Text without protected spans; `after_placeholder` when it follows one (%(year)s-yil)."""
    text = _NUMBER_YEAR.sub(
        lambda m: m.group(1) + " " if m.group(1) or after_placeholder else m.group(), text
    )
    return _WORD.sub(lambda match: _word(match.group(), initial=_after_initial(text, match.start())), text)


def to_cyrillic(text: str) -> str:
    """`text` in Uzbek Cyrillic; protected spans (placeholders, tags, URLs) unchanged."""
    if not text:
        return text
    out = []
    position = 0
    placeholder = False
    for match in _PROTECTED.finditer(text):
        out.append(_plain(text[position:match.start()], placeholder and match.start() > position))
        out.append(match.group())
        placeholder = match.group().startswith(("%", "{"))
        position = match.end()
    out.append(_plain(text[position:], placeholder))
    return "".join(out)


# Backwards, for search: the Cyrillic letters as the Latin text in the database spells them,
# apostrophes as the plain ' (plans.search makes the column's apostrophes plain too).
_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ё": "yo", "ж": "j", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "x", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "'",
    "ы": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ў": "o'", "қ": "q", "ғ": "g'", "ҳ": "h",
}
_CYRILLIC_VOWELS = set("аеёиоуэюяўАЕЁИОУЭЮЯЎ")


def has_cyrillic(text: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in text)


def to_latin(text: str) -> str:
    """Uzbek Cyrillic back to Latin (е at a word's start or after a vowel is ye)."""
    out = []
    for i, char in enumerate(text):
        low = char.lower()
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if low == "е":
            prev = text[i - 1] if i else ""
            latin = "ye" if not prev.isalpha() or prev in _CYRILLIC_VOWELS or prev in "ъЪ" else "e"
        elif low == "ъ" and nxt.lower() in "еёюя":
            latin = ""  # объект: obyekt
        elif low in _TO_LATIN:
            latin = _TO_LATIN[low]
        else:
            out.append(char)
            continue
        if char.isupper() and latin:
            latin = latin.upper() if nxt.isupper() else latin[0].upper() + latin[1:]
        out.append(latin)
    return "".join(out)
