"""Tell the document type and which photo is the front from title words, QR and MRZ."""

from .layout import DOC_TYPES, PRINTED, SIDE_CAPTIONS, SIDE_MARKERS
from .normalise import fuzzy_contains, key

_MATCH = 80  # partial_ratio at which a marker counts as printed
QR_BONUS = 40  # a QR code is printed on the chip card's front and the căn cước's back only
QR_SIDES = {("cccd_chip", "front"), ("can_cuoc", "back")}
MRZ_BONUS = 40  # three MRZ lines are printed on the chip card's and the căn cước's backs only
MRZ_SIDES = {("cccd_chip", "back"), ("can_cuoc", "back")}
LABEL_WEIGHT = 2  # per field label found that the side prints (less, for one it does not print)


def side_scores(text: str, has_qr: bool, has_mrz: bool = False, fields=()) -> dict[tuple[str, str], float]:
    """How well the words read on a side fit each document side (longer markers weigh more), and the
    field labels found on it (`fields`) and its captions seen: a title washed out by glare or under a
    thumb leaves them."""
    text = key(text, diacritics=False)
    scores = {}
    for side, markers in SIDE_MARKERS.items():
        score = 0.0
        for marker in markers:
            seen = fuzzy_contains(marker, text) >= _MATCH
            score += len(marker) if seen else -len(marker) / 2
        score += sum(len(caption) for caption in SIDE_CAPTIONS.get(side, ()) if fuzzy_contains(caption, text) >= _MATCH)
        score += sum(LABEL_WEIGHT if f in PRINTED.get(side, ()) else -LABEL_WEIGHT for f in set(fields))
        score += QR_BONUS if has_qr and side in QR_SIDES else 0
        scores[side] = score + (MRZ_BONUS if has_mrz and side in MRZ_SIDES else 0)
    return scores


def best_score(scores: dict[tuple[str, str], float]) -> float:
    """The score of the best-fitting side."""
    return max(scores.values())


def classify(first: dict, second: dict | None) -> tuple[str, bool]:
    """The document type and whether the first photo is the back (the sides were swapped)."""
    options = []
    for doc in DOC_TYPES:
        front, back = first.get((doc, "front"), 0), first.get((doc, "back"), 0)
        if second is None:
            options.append((max(front, back), doc, back > front))
            continue
        options.append((front + second[(doc, "back")], doc, False))
        options.append((back + second[(doc, "front")], doc, True))
    score, doc, swapped = max(options)
    return (doc if score > 0 else "unknown"), swapped
