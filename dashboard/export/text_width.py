"""How wide a text is on a slide, estimated without fonts (issue 10): for table column widths.

PowerPoint, LibreOffice and Keynote each draw the pack with the fonts they have (Calibri,
Carlito, Liberation Sans or, failing those, DejaVu Sans). The estimate is an upper bound: the
advance widths of DejaVu Sans Bold, the widest of them, rounded up into a few classes of
characters, so a column wide enough by this estimate is wide enough in every one of them.
"""

from __future__ import annotations

import re

# Widths in em (the font size), each at least DejaVu Sans Bold's widest character of the class.
NARROW, NARROW_EM = set("ijlIft.,:;!|'()[]/- \u00a0"), 0.48
WIDE, WIDE_EM = set("mwMW%"), 1.11
CAPITAL_EM = 0.88  # other capitals, and the status marks ● ○ × (0.87 em)
OTHER_EM = 0.72  # lower case, digits, å ä ö
POINTS_PER_INCH = 72


def text_em(text: str) -> float:
    """The width of ``text`` on one line, in em."""
    return sum(_char_em(c) for c in text)


def _char_em(char: str) -> float:
    if char in NARROW:
        return NARROW_EM
    if char in WIDE:
        return WIDE_EM
    if char.isupper() or not char.isalnum():
        return CAPITAL_EM
    return OTHER_EM


def text_inches(text: str, size: float) -> float:
    """The width of ``text`` on one line at ``size`` points, in inches."""
    return text_em(text) * size / POINTS_PER_INCH


def longest_word_inches(text: str, size: float) -> float:
    """The width of the widest word of ``text`` at ``size`` points (0 for no words)."""
    # Split at spaces and line breaks only: a no-break space ("100 %") never breaks a line.
    return max((text_inches(word, size) for word in re.split(r"[ \t\n]+", text)), default=0.0)
