"""Hangul syllables -> basic jamo, so fuzzy matching sees 저 and 자 as one letter apart.

A modern syllable is U+AC00 + (initial * 21 + medial) * 28 + final. Compound vowels and
consonant clusters are split into their basic letters (ㅘ -> ㅗㅏ, ㄳ -> ㄱㅅ), which is how
a typo on a Korean keyboard happens: one key, one basic letter.
"""

import unicodedata

_BASE = 0xAC00
_LAST = 0xD7A3
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_MEDIALS = [
    "ㅏ",
    "ㅐ",
    "ㅑ",
    "ㅒ",
    "ㅓ",
    "ㅔ",
    "ㅕ",
    "ㅖ",
    "ㅗ",
    "ㅗㅏ",
    "ㅗㅐ",
    "ㅗㅣ",
    "ㅛ",
    "ㅜ",
    "ㅜㅓ",
    "ㅜㅔ",
    "ㅜㅣ",
    "ㅠ",
    "ㅡ",
    "ㅡㅣ",
    "ㅣ",
]
# index 0 is "no final consonant"
_FINALS = [
    "",
    *[
        "ㄱ",
        "ㄲ",
        "ㄱㅅ",
        "ㄴ",
        "ㄴㅈ",
        "ㄴㅎ",
        "ㄷ",
        "ㄹ",
        "ㄹㄱ",
        "ㄹㅁ",
        "ㄹㅂ",
        "ㄹㅅ",
        "ㄹㅌ",
        "ㄹㅍ",
        "ㄹㅎ",
        "ㅁ",
        "ㅂ",
        "ㅂㅅ",
        "ㅅ",
        "ㅆ",
        "ㅇ",
        "ㅈ",
        "ㅊ",
        "ㅋ",
        "ㅌ",
        "ㅍ",
        "ㅎ",
    ],
]
# compatibility jamo typed on their own (e.g. "ㅅㅅ" chat shorthand) split the same way
_LOOSE = dict(
    pair.split(":")
    for pair in [
        "ㅘ:ㅗㅏ",
        "ㅙ:ㅗㅐ",
        "ㅚ:ㅗㅣ",
        "ㅝ:ㅜㅓ",
        "ㅞ:ㅜㅔ",
        "ㅟ:ㅜㅣ",
        "ㅢ:ㅡㅣ",
        "ㄳ:ㄱㅅ",
        "ㄵ:ㄴㅈ",
        "ㄶ:ㄴㅎ",
        "ㄺ:ㄹㄱ",
        "ㄻ:ㄹㅁ",
        "ㄼ:ㄹㅂ",
        "ㄽ:ㄹㅅ",
        "ㄾ:ㄹㅌ",
        "ㄿ:ㄹㅍ",
        "ㅀ:ㄹㅎ",
        "ㅄ:ㅂㅅ",
    ]
)


def decompose(text: str) -> str:
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        code = ord(char)
        if _BASE <= code <= _LAST:
            index = code - _BASE
            out.append(_INITIALS[index // 588])
            out.append(_MEDIALS[(index % 588) // 28])
            out.append(_FINALS[index % 28])
        else:
            out.append(_LOOSE.get(char, char))
    return "".join(out)
