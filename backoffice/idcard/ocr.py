"""Tesseract through its C API (tesserocr): one loaded engine per configuration, reused.

Spawning the tesseract command costs ~0.15 s per call (DESIGN.md §11); the API loads each model
once per process, so reading a dozen field strips costs only the recognition itself.
"""

import os
import threading
from dataclasses import dataclass
from pathlib import Path

# must be set before the library starts OpenMP: parallel workers thrash otherwise (DESIGN.md §11)
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import tesserocr  # noqa: E402
from PIL import Image  # noqa: E402

from .normalise import TONES, nfc  # noqa: E402
from .spelling import Word  # noqa: E402

TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata")
MRZ_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
# a name on every Vietnamese card is printed in capitals: Latin's (F, J, W, Z kept for names of other languages),
# Vietnamese's own letters, and each vowel with each of the five tone marks
NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZĐĂÂÊÔƠƯ " + "".join(
    nfc(vowel + tone) for vowel in "AĂÂEÊIOÔƠUƯY" for tone in TONES)
# kind -> (language, page segmentation mode, character whitelist)
ENGINES = {
    "digits": ("eng", tesserocr.PSM.SINGLE_LINE, "0123456789"),
    "date": ("eng", tesserocr.PSM.SINGLE_LINE, "0123456789/-"),
    "line": ("vie", tesserocr.PSM.SINGLE_LINE, ""),
    "name": ("vie", tesserocr.PSM.SINGLE_LINE, NAME_CHARS),
    "block": ("vie", tesserocr.PSM.SINGLE_BLOCK, ""),
    "mrz": ("eng", tesserocr.PSM.SINGLE_BLOCK, MRZ_CHARS),
}
_local = threading.local()


def tessdata_dir() -> str:
    """Where the traineddata files are: $TESSDATA_PREFIX, else Debian's tesseract-ocr packages."""
    configured = os.environ.get("TESSDATA_PREFIX")
    if configured:
        return configured
    return next((d for d in TESSDATA_DIRS if Path(d, "vie.traineddata").exists()), TESSDATA_DIRS[0])


def _engine(kind: str) -> tesserocr.PyTessBaseAPI:
    """The loaded engine of the kind's language, set to its segmentation mode and whitelist.

    One engine per language, not per kind: each loaded model costs ~15 MB of memory.
    """
    engines = _local.__dict__.setdefault("engines", {})
    lang, psm, whitelist = ENGINES[kind]
    if lang not in engines:
        engines[lang] = tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang=lang, oem=tesserocr.OEM.LSTM_ONLY)
    api = engines[lang]
    api.SetPageSegMode(psm)
    api.SetVariable("tessedit_char_whitelist", whitelist)
    return api


@dataclass(frozen=True)
class Reading:
    """Recognised text with the mean and the lowest confidence of its characters (0-1).

    `words` carries Tesseract's alternatives per character and the words' boxes (in the crop)
    when they were asked for.
    """

    text: str
    mean: float
    low: float
    words: tuple[Word, ...] = ()


_BORDER = 12


def _prepare(gray: np.ndarray) -> Image.Image:
    # a plain margin keeps Tesseract from treating characters at the crop edge as noise
    paper = int(np.median(gray))
    return Image.fromarray(cv2.copyMakeBorder(gray, *(_BORDER,) * 4, cv2.BORDER_CONSTANT, value=paper))


def _word(word) -> Word:
    """A recognised word with its alternatives per character (timesteps that read a space dropped)
    and its box in the crop."""
    text = word.GetUTF8Text(tesserocr.RIL.WORD)
    steps = [dict(step) for step in word.GetBestLSTMSymbolChoices() if step]
    steps = [s for s in steps if min(s, key=s.get) != " "]
    found = word.BoundingBox(tesserocr.RIL.WORD)
    box = tuple(v - _BORDER for v in found) if found else None
    return Word(text, tuple(steps) if len(steps) == len(text) else (), box)


def read(gray: np.ndarray, kind: str, alternatives: bool = False) -> Reading:
    """Recognise a grayscale crop with the engine configured for `kind`, optionally with alternatives."""
    api = _engine(kind)
    api.SetVariable("lstm_choice_mode", "2" if alternatives else "0")
    api.SetImage(_prepare(gray))
    text = api.GetUTF8Text().strip()
    confidences = []
    level = tesserocr.RIL.SYMBOL
    if text:
        confidences = [s.Confidence(level) / 100 for s in tesserocr.iterate_level(api.GetIterator(), level)]
    if not confidences:
        return Reading(text, 0.0, 0.0)
    words = ()
    if alternatives:
        words = tuple(_word(w) for w in tesserocr.iterate_level(api.GetIterator(), tesserocr.RIL.WORD))
    return Reading(text, sum(confidences) / len(confidences), min(confidences), words)


def read_lines(gray: np.ndarray, kind: str) -> list[str]:
    """The text lines of a block crop."""
    api = _engine(kind)
    api.SetImage(_prepare(gray))
    return [line for line in api.GetUTF8Text().splitlines() if line.strip()]


@dataclass(frozen=True)
class WordBox:
    """A word found on a whole card side: its text, its box in card pixels and its text line."""

    text: str
    box: tuple[int, int, int, int]
    line: int
    confidence: float


def read_words(gray: np.ndarray, scale: float = 1.0) -> list[WordBox]:
    """Every word Tesseract finds on a card side (automatic page layout), with boxes and lines.

    The picture is read at `scale`; boxes come back in the given picture's pixels.
    """
    api = _engine("block")
    api.SetPageSegMode(tesserocr.PSM.AUTO)
    seen = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale != 1 else gray
    api.SetImage(_prepare(seen))
    api.Recognize()
    words, line = [], -1
    iterator = api.GetIterator()
    level = tesserocr.RIL.WORD
    for word in tesserocr.iterate_level(iterator, level):
        if word.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
            line += 1
        try:
            text = (word.GetUTF8Text(level) or "").strip()
        except RuntimeError:  # a page without text still yields one empty element
            continue
        found = word.BoundingBox(level)
        if not text or not found:
            continue
        box = tuple(round((v - _BORDER) / scale) for v in found)
        words.append(WordBox(text, box, max(line, 0), word.Confidence(level) / 100))
    return words
