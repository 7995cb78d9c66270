"""How the router reads a complaint: Vietnamese words segmented, with and without diacritics.

Citizens often type without diacritics or in chat shorthand, so each text is read three ways:
the segmented words as written, the same words folded to plain letters, and the folded text as
character n-grams (the vectorisers in `routing` pick their part of the tuple made here).
"""
import re
import unicodedata
from functools import lru_cache

from backoffice.idcard.normalise import fold

# Chat shorthand common in Vietnamese writing in general (not drawn from the corpus); only
# abbreviations with one reading are expanded: "bh" may be "bảo hiểm" or "bao giờ", so it stays.
_SHORTHAND = {
    "ko": "không", "k": "không", "kg": "không", "kh": "không", "hk": "không", "hok": "không", "khg": "không",
    "dc": "được", "đc": "được", "dk": "được", "đk": "được", "ng": "người", "j": "gì", "vs": "với",
    "mk": "mình", "mik": "mình", "ntn": "như thế nào", "sdt": "số điện thoại", "sđt": "số điện thoại",
}
_TOKEN = re.compile(r"\w+", re.UNICODE)
_SPACES = re.compile(r"\s+")

HINT_NONE = "none"


def _expand(text: str) -> str:
    return _TOKEN.sub(lambda m: _SHORTHAND.get(m.group(0), m.group(0)), text)


@lru_cache(maxsize=1)
def _tokenizer():
    # pyvi loads its CRF model (shipped inside the package, no network) on import: about 2 s, once.
    from pyvi import ViTokenizer

    return ViTokenizer


def segment(text: str) -> str:
    """Words of the text joined by spaces, the syllables of one word joined by '_' (pyvi)."""
    return _tokenizer().tokenize(text)


def read(text: str, hint: str | None) -> tuple[str, str, str, str]:
    """(segmented words, folded segmented words, folded text, hint) of a complaint: the model's input."""
    clean = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip().lower()
    words = segment(_expand(clean))
    return words, fold(words), fold(clean), hint or HINT_NONE


def words_part(doc):
    """The segmented words of a `read` tuple."""
    return doc[0]


def folded_words_part(doc):
    """The folded segmented words of a `read` tuple."""
    return doc[1]


def folded_text_part(doc):
    """The folded text of a `read` tuple (for character n-grams)."""
    return doc[2]


def hint_feature(doc):
    """The citizen's topic as one token ('hint=benefits', or 'hint=none')."""
    return ["hint=" + doc[3]]
