"""Spell an OCR'd name as valid name syllables, tone marks chosen by what the recogniser saw.

Tesseract's fast `vie` model reads the letters of an uppercase name well but confuses its
diacritics (HẰNG read as HÀNG, NGUYỄN as NGUYÊN, THÙY as THỦY). Names are built from a closed set
of syllables (names.py) and a surname opens the name, so each word is spelled as the syllable with
its letters that Tesseract's own alternatives favour, summed over the looks at the crop: a look
that hesitated between two marks tips the choice less than one that was sure. When valid spellings
of the same letters are left that the looks listed (THÙY and THỦY), a judge that draws each of them
over the word (marks.py) chooses, and the choice is doubtful where recogniser and judge are unsure.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .marks import Verdict
from .names import GIVEN_SYLLABLES, SURNAMES
from .normalise import clean_name, fold, nfc

ABSENT = 80.0  # the cost of a character Tesseract did not list among a position's alternatives
# below this cost gap per look, a syllable's rival spelling was nearly as likely (calibrated on
# the benchmark: right choices lead their rival by ~20 per look, wrong ones by less than 15)
CLEAR_LEAD = 15.0
# the likeliest rival of the leader's letters goes to the judge when it costs at most this much more
# per look: one that no look listed (a cost of ABSENT) is not judged
JUDGED = 60.0
# the judge's clarity (marks.Verdict) above which it overrides the recogniser, and above which its
# choice is sure; on generated cards its wrong verdicts stayed below 0.17, its right ones mostly above 0.5
OVERRIDE, SURE = 0.3, 0.6
_LEADING = 3  # words before the surname that may be dropped (the tail of the name's label)


@dataclass(frozen=True)
class Word:
    """One recognised word: its text and, per character, the alternatives with their costs."""

    text: str
    choices: tuple[dict[str, float], ...] = ()
    box: tuple[int, int, int, int] | None = None  # x0, y0, x1, y1 on the card, when known


@dataclass(frozen=True)
class Spelling:
    """A spelled name and how many of its syllables had a rival spelling nearly as likely."""

    text: str
    doubtful: int


@lru_cache(maxsize=2)
def _by_letters(opening: bool) -> dict[str, tuple[str, ...]]:
    """Uppercase syllables by their letters without diacritics; an opening syllable is a surname."""
    syllables = SURNAMES if opening else SURNAMES | GIVEN_SYLLABLES
    table: dict[str, list[str]] = {}
    for syllable in sorted(syllables):
        upper = nfc(syllable).upper()
        table.setdefault(fold(upper), []).append(upper)
    return {letters: tuple(spellings) for letters, spellings in table.items()}


def cost(spelling: str, word: Word) -> float:
    """How much Tesseract's alternatives for a word speak against a spelling (near 0: its first choice)."""
    if len(word.choices) != len(spelling):
        return 0.0 if spelling == word.text else ABSENT * len(spelling)
    return sum(options.get(char, ABSENT) for char, options in zip(spelling, word.choices))


def _candidates(words: list[Word], opening: bool) -> list[str]:
    """What the looks read and the valid syllables with the letters of any of them."""
    found = dict.fromkeys(w.text for w in words)
    valid = [s for w in words for s in _by_letters(opening).get(fold(w.text), ())]
    return list(dict.fromkeys(valid)) or list(found)


def _uppercase(word: Word) -> Word:
    text = clean_name(word.text)
    return Word(text, word.choices if len(text) == len(word.choices) else (), word.box)


def _box(words: list[Word]) -> tuple[int, int, int, int] | None:
    """Where the looks found a word: each side's median over their boxes."""
    boxes = [w.box for w in words if w.box]
    if not boxes:
        return None
    return tuple(sorted(b[i] for b in boxes)[len(boxes) // 2] for i in range(4))


# given a word's box and its rival spellings, which is printed there and how clearly (marks.judge)
Judge = Callable[[tuple[int, int, int, int], list[str]], Verdict | None]


def _settle(ranked: list[tuple[float, str]], words: list[Word], judge: Judge | None) -> tuple[str, bool]:
    """A syllable's spelling and whether it is doubtful.

    The recogniser's choice is the least costly spelling, doubtful when a rival is nearly as
    likely. The judge, shown the choice and its likeliest rival of the same letters (when a look
    listed it), confirms the choice (sure when clearly) or overrides it when the rival fits the
    photo clearly better; overridden, the syllable stays doubtful unless the judge was sure and
    the recogniser was not.
    """
    choice = ranked[0][1]
    unsure = len(ranked) > 1 and ranked[1][0] - ranked[0][0] < CLEAR_LEAD * len(words)
    rival = next((s for c, s in ranked[1:] if fold(s) == fold(choice)
                  and c - ranked[0][0] <= JUDGED * len(words)), None)
    box = _box(words)
    verdict = judge(box, [choice, rival]) if judge and box and rival else None
    if verdict is None:
        return choice, unsure
    if verdict.spelling == choice:
        return choice, unsure and verdict.clarity < SURE
    if verdict.clarity >= OVERRIDE:
        choice = verdict.spelling
    return choice, not (unsure and verdict.clarity >= SURE)


def spell(looks: list[tuple[Word, ...]], judge: Judge | None = None) -> Spelling | None:
    """The name most of the looks segment alike, each syllable spelled at the least summed cost.

    With a judge, spellings of a syllable's letters that differ only in their marks are settled
    by it (see _settle).
    """
    looks = [tuple(w for w in map(_uppercase, words) if w.text and " " not in w.text) for words in looks]
    opened = [_from_surname(words) for words in looks]
    trimmed = any(len(a) != len(b) for a, b in zip(opened, looks))
    looks = opened
    sizes = Counter(len(words) for words in looks if words)
    if not sizes:
        return None
    size = sizes.most_common(1)[0][0]
    agreeing = [words for words in looks if len(words) == size]
    spelled, doubtful = [], 0
    for position in range(size):
        words = [words[position] for words in agreeing]
        ranked = sorted((sum(cost(s, w) for w in words), s) for s in _candidates(words, position == 0))
        choice, unsure = _settle(ranked, words, judge)
        spelled.append(choice)
        doubtful += unsure
    # words dropped before the surname (a label's tail read with the name) make the name doubtful:
    # a surname missing from the list would have been dropped too
    return Spelling(" ".join(spelled), doubtful + trimmed)


def _from_surname(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """The words from the first that can be a surname, when a word or more before it cannot (`NON`,
    `VÀ TÊN`: the end of the label `Họ và tên`) and two words at least are left."""
    for start, word in enumerate(words[:_LEADING + 1]):
        if fold(word.text) in _by_letters(True):
            return words[start:] if len(words) - start >= 2 else words
    return words
