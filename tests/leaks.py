"""Nothing of the code shows through: the one check every pack test uses.

Python's words for nothing, true and false (and JavaScript's) never belong in the text
a reader sees. "None:" opening a sentence is English ("None: every line matched the
reference data"), so it is allowed.
"""

from __future__ import annotations

import re
from html import unescape

CODE_WORDS = re.compile(r"\b(?:None(?!:)|True|False|nan|NaN|null|undefined)\b")


def page_text(html: str) -> str:
    """What a reader sees of an HTML page: no style sheet, script, tags or entities."""
    text = re.sub(r"(?s)<(style|script)\b.*?</\1>", " ", html)
    return unescape(re.sub(r"<[^>]+>", " ", text))


def leaks(text: str, *, html: bool = True) -> list[str]:
    """The code words a reader would see in `text` (an HTML page unless html=False),
    each with a little of the text around it."""
    if html:
        text = page_text(text)
    return [text[max(0, m.start() - 40):m.end() + 40].strip()
            for m in CODE_WORDS.finditer(text)]
