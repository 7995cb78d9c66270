"""Spell an OCR'd name as valid name syllables, tone marks chosen by what the recogniser saw.

Tesseract's fast `vie` model reads the letters of an uppercase name well but confuses its
diacritics (HẰNG read as HÀNG, NGUYỄN as NGUYÊN, THÙY as THỦY). Names are built from a closed set
of syllables (names.py) and a surname opens the name, so each word is spelled as the syllable with
its letters that Tesseract's own alternatives favour, summed over the looks at the crop: a look
that hesitated between two marks tips the choice less than one that was sure. When valid spellings
of the same letters are left that the looks listed (THÙY and THỦY), a judge that draws each of them
over the word (marks.py) chooses, and the choice is doubtful where recogniser and judge are unsure.
"""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .marks import Verdict
from .names import GIVEN_SYLLABLES, SURNAMES
from .normalise import DOT_BELOW, fold, nfc, tones_apart

ABSENT = 80.0  # the cost of a character Tesseract did not list among a position's alternatives
DROPPED = 30.0  # the cost of a character read that a spelling does not have (a broken letter's stroke)
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
_APART = 1.2  # a gap after the name's last word, in its words' heights, past which a word is no part of it
_LETTER_FOR = 2 * CLEAR_LEAD  # cost up to which a letter listed for a mark is read instead
_LETTERS = re.compile(r"[^\W\d_]+")
_LABEL, _LABEL_MATCH = "HOVATEN", 85  # the label `Họ và tên` without marks or spaces, and how alike

# The shape of a Vietnamese syllable without its marks (onset, rime): a word read in a name that
# cannot be one (`VNH`, `THYNH`, `MIXH`) is a misread, while one that can (`KHẢM`) may be a rare
# name and is kept. Permissive: it only has to refuse what no syllable spells.
_ONSET = "(?:NGH|NG|NH|CH|GH|GI|KH|PH|QU|TH|TR|[BCDGHKLMNPRSTVX])?"
_OPEN = "(?:A|E|I|O|U|Y|AI|AO|AU|AY|EO|EU|IA|IU|OA|OE|OI|UA|UE|UI|UO|UU|UY|IEU|YEU|OAI|OAY|OEO|UAY|UOI|UOU|UYA|UYU)"
_CLOSED = "(?:(?:A|E|I|O|U|IE|YE|UO|OA|OE|UA|UE|UY|UYE)(?:C|M|N|NG|P|T)|(?:A|E|I|OA|UE|UY)(?:CH|NH))"
_SYLLABLE = re.compile(f"{_ONSET}(?:{_OPEN}|{_CLOSED})|QUY(?:CH|NH|N|T)")  # QU + UY: quỳnh
# a word of a Central Highlands name (Ê Đê, Jrai, M'Nông: `KSOR`, `KĐĂM`, `MLÔ`): two consonants
# that open no Vietnamese syllable, then a vowel; kept as read, never respelled
_VOWELS = frozenset("AEIOUY")
_CLUSTER_WORD = re.compile("(?!CH|GH|GI|KH|NG|NH|PH|QU|TH|TR)[BCDGHKLMNPRSTVXY]{2}[AEIOUY][A-Z]*")


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
    boxes: tuple = ()  # each syllable's box on the card (Word.box, the looks' median), or None


@lru_cache(maxsize=2)
def _by_letters(opening: bool) -> dict[str, tuple[str, ...]]:
    """Uppercase syllables by their letters without diacritics; an opening syllable is a surname."""
    syllables = SURNAMES if opening else SURNAMES | GIVEN_SYLLABLES
    table: dict[str, list[str]] = {}
    for syllable in sorted(syllables):
        upper = nfc(syllable).upper()
        table.setdefault(fold(upper), []).append(upper)
    return {letters: tuple(spellings) for letters, spellings in table.items()}


def _listed(options: dict[str, float], char: str, read: str | None) -> float:
    """What a position's alternatives say against a character. The character the word's text holds there
    is listed at the position's best cost at worst: Tesseract's text and its alternatives come from two
    passes over the line, and the alternatives can lack a mark the text has (`THỊ` read, only `I` listed)."""
    best = min(options.values(), default=ABSENT)
    return options.get(char, best if char == read else ABSENT)


def _read_at(word: Word) -> str | list[None]:
    """The word's text character by character, where it holds one per position of its alternatives."""
    return word.text if len(word.text) == len(word.choices) else [None] * len(word.choices)


def cost(spelling: str, word: Word) -> float:
    """How much Tesseract's alternatives for a word speak against a spelling (near 0: its first choice)."""
    if len(word.choices) != len(spelling):
        return 0.0 if spelling == word.text else ABSENT * len(spelling)
    return sum(_listed(options, char, read) for char, options, read in zip(spelling, word.choices, _read_at(word)))


def _candidates(words: list[Word], opening: bool) -> list[str]:
    """What the looks read and the valid syllables with the letters of any of them."""
    found = dict.fromkeys(w.text for w in words)
    valid = [s for w in words for s in _by_letters(opening).get(fold(w.text), ())]
    return list(dict.fromkeys(valid)) or list(found)


def dotted(syllable: str, opening: bool) -> str | None:
    """The one valid spelling of a syllable's letters and hats (circumflex, breve, horn) whose tone is the
    dot below (`PHƯƠNG` → `PHƯỢNG`), if there is one; an opening syllable is a surname."""
    letters = tones_apart(syllable)[0]
    same = [s for s in _by_letters(opening).get(fold(syllable), ())
            if tones_apart(s) == (letters, DOT_BELOW)]
    return same[0] if len(same) == 1 else None


def could_be_syllable(text: str) -> bool:
    """Whether a word's letters (marks aside) spell a Vietnamese syllable at all."""
    return _SYLLABLE.fullmatch(fold(text).upper()) is not None


def _cluster_word(word: Word) -> bool:
    """Whether a word read is a Central Highlands name's (`_CLUSTER_WORD`) with its second letter
    read surely: no vowel listed for it (`GLÁNG` with `I` listed for its `L` is `GIANG` misread)."""
    if not _CLUSTER_WORD.fullmatch(fold(word.text).upper()):
        return False
    second = word.choices[1] if len(word.choices) == len(word.text) else {}
    return not any(fold(option).upper() in _VOWELS and c <= _LETTER_FOR for option, c in second.items())


def _aligned_cost(spelling: str, word: Word, letters_only: bool = False) -> float:
    """`cost` of a spelling of any length against the word read, aligned at least cost: its letters
    set against the read ones, a letter it lacks at the cost of one not listed, a letter read that
    it does not have at `DROPPED` (a stroke of a broken letter read as one: `THLANH`), unless read
    before its first (a minority name's cluster: `KĐĂM`, `KSOR`, kept as read). With
    `letters_only`, a letter costs what its likeliest listed form with any marks costs."""
    if len(word.choices) != len(word.text):
        return 0.0 if spelling == word.text else ABSENT * len(spelling)

    def letter(options: dict[str, float], char: str, read: str | None) -> float:
        if not letters_only:
            return _listed(options, char, read)
        return min((c for option, c in options.items() if fold(option) == fold(char)), default=ABSENT)

    # the least costly alignment: read letters against spelt ones, dropped or lacking
    previous = [ABSENT * j for j in range(len(spelling) + 1)]
    for i, (options, read) in enumerate(zip(word.choices, word.text), 1):
        row = [ABSENT * i]  # not a letter before the syllable: `KĐĂM` (Ê Đê) is no `ĐÀM` misread
        for j, char in enumerate(spelling, 1):
            row.append(min(previous[j - 1] + letter(options, char, read), previous[j] + DROPPED, row[j - 1] + ABSENT))
        previous = row
    return previous[-1]


def _respelled(words: list[Word], opening: bool) -> list[tuple[float, str]]:
    """The valid spellings of the name syllable's letters nearest what the looks read (`VNH` ->
    `ANH`, `ÁNH`), ranked by cost, when no look read a word that could be a syllable and
    Tesseract's alternatives single those letters out (marks aside: `_settle` chooses them): else
    none. Letters one edit away, two for a word of three letters or more; on average a look may
    not have listed one of them at most. An opening word whose letters spell no surname is the one
    surname one letter from them, where only one is, though they could spell a syllable."""
    read = {fold(w.text) for w in words}
    if opening and read and not read & _by_letters(True).keys() and not any(map(_cluster_word, words)):
        # a surname opens the name, and the list of them is closed: letters that spell none, one letter from
        # one alone, are that one misread (`RUYÑH`, an `H` at a thumb's edge), though they could be a syllable
        near = [letters for letters in _by_letters(True) if any(_near(letters, text, 1) for text in read)]
        if len(near) == 1:
            return sorted((sum(_aligned_cost(s, w) for w in words), s) for s in _by_letters(True)[near[0]])
    if not read or any(could_be_syllable(text) for text in read) or any(map(_cluster_word, words)):
        return []
    near = [(letters, spellings) for letters, spellings in _by_letters(opening).items()
            if any(_near(letters, text) for text in read)]
    ranked = sorted((min(sum(_aligned_cost(s, w, True) for w in words) for s in spellings), letters)
                    for letters, spellings in near)
    if not ranked or ranked[0][0] >= ABSENT * len(words):
        return []
    if len(ranked) > 1 and ranked[1][0] - ranked[0][0] < CLEAR_LEAD * len(words):
        return []
    spellings = dict(near)[ranked[0][1]]
    return sorted((sum(_aligned_cost(s, w) for w in words), s) for s in spellings)


def _near(letters: str, read: str, edits: int | None = None) -> bool:
    """Whether letters are one edit from those read (two for a word of three letters or more)."""
    edits = edits if edits is not None else (2 if len(read) >= 3 else 1)
    return Levenshtein.distance(letters, read, score_cutoff=edits) <= edits


def _uppercase(word: Word) -> list[Word]:
    """A word's runs of letters in capitals, each a word with its characters' alternatives (`KIM.VXH`
    is `KIM` and `VXH`: a stop read between two words joins them in Tesseract's segmentation)."""
    text = nfc(word.text).upper()
    aligned = len(word.choices) == len(text)
    # a mark read for a letter (`B\\O`: the hairline of a display face's `A`) takes the likeliest letter
    # among its alternatives, when one was nearly as likely; a word of marks alone is specks (noise)
    if aligned and any(char.isalpha() for char in text):
        text = "".join(char if char.isalpha() else _letter_for(char, options)
                       for char, options in zip(text, word.choices))
    pieces = []
    for run in _LETTERS.finditer(text):
        choices = word.choices[run.start():run.end()] if aligned else ()
        pieces.append(Word(run.group(), choices, word.box))
    if len(pieces) > 1:  # the box holds them all: not one to judge a piece's marks in
        pieces = [Word(p.text, p.choices) for p in pieces]
    return pieces


def _letter_for(char: str, options: dict[str, float]) -> str:
    letters = [(c, option) for option, c in options.items() if option.isupper() and c <= _LETTER_FOR]
    return min(letters)[1] if letters else char


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
    looks = [tuple(piece for w in _apart_dropped(words) for piece in _uppercase(w)) for words in looks]
    opened = [_voiced_end(_from_surname(_fragments_joined(_runs_parted(words)))) for words in looks]
    trimmed = any(len(a) != len(b) for a, b in zip(opened, looks))
    looks = opened
    sizes = Counter(len(words) for words in looks if words)
    if not sizes:
        return None
    size = sizes.most_common(1)[0][0]
    agreeing = [words for words in looks if len(words) == size]
    spelled, doubtful, boxes = [], 0, []
    for position in range(size):
        words = [words[position] for words in agreeing]
        boxes.append(_box(words))
        ranked = sorted((sum(cost(s, w) for w in words), s) for s in _candidates(words, position == 0))
        choice, unsure = _settle(ranked, words, judge)
        respelled = _respelled(words, position == 0)
        if respelled:
            choice, unsure = _settle(respelled, words, judge)[0], True  # a letter changed: never sure
        spelled.append(choice)
        doubtful += unsure
    # words dropped before the surname (a label's tail read with the name) make the name doubtful:
    # a surname missing from the list would have been dropped too; so do words joined
    return Spelling(" ".join(spelled), doubtful + trimmed, tuple(boxes))


def _apart_dropped(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """The words without those after the name, apart from its last word on the same line by more than
    _APART of the words' height: what the crop took in past the name (specks of noise, the strokes of a
    card's security print) is read as words; the words of a name are a space apart."""
    if len(words) < 2 or any(w.box is None for w in words):
        return words
    height = sorted(w.box[3] - w.box[1] for w in words)[len(words) // 2]
    end = len(words)
    while end > 1:
        before, last = words[end - 2].box, words[end - 1].box
        same_line = min(before[3], last[3]) > max(before[1], last[1])
        if not (same_line and last[0] - before[2] > _APART * height):
            break
        end -= 1
    return words[:end]


def _runs_parted(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """A word that cannot be a syllable parted after its first letters where they spell a name's
    syllable and the rest is one, or one letter from one (`KIMLAX`: `KIM` `LAX`; `KIMWQUỲNH`: `KIM`
    `QUỲNH`, the space read as `W`): Tesseract joins two words whose space the blur or a display
    face's spacing narrowed."""
    known = _by_letters(False)
    parted = []
    for word in words:
        letters = fold(word.text)
        whole = could_be_syllable(word.text) or _cluster_word(word)  # a syllable, or a word of its own
        cuts = [] if whole else [(_cut_cost(letters, at, known), at) for at in range(2, len(letters) - 1)
                                 if letters[:at] in known]
        cost, cut = min(((c, at) for c, at in cuts if c is not None), default=(None, None))
        if cut is None:
            parted.append(word)
            continue
        # the space read as a letter (`KIMWQUỲNH`): dropped where the rest after it is a name's syllable
        rest = cut + 1 if cost == _SPACE_READ else cut
        choices = (word.choices[:cut], word.choices[rest:]) if word.choices else ((), ())
        parted += [Word(word.text[:cut], choices[0]), Word(word.text[rest:], choices[1])]
    return tuple(parted)


_WHOLE_REST, _SPACE_READ, _NEAR_REST = 0, 1, 2  # how a cut's rest spells a name syllable, best first


def _cut_cost(letters: str, at: int, known: dict) -> int | None:
    """How well the letters after a cut spell a name syllable: as they are, once the letter read for the
    space is dropped, or one letter from one; None when not at all. `THANHNGÂN` is cut after `THANH`
    (`NGÂN` whole), not after `THÂN` (its rest `HNGÂN` one letter from `NGÂN`)."""
    rest = letters[at:]
    if rest in known:
        return _WHOLE_REST
    if rest[1:] in known:
        return _SPACE_READ
    return _NEAR_REST if any(_near(syllable, rest, 1) for syllable in known) else None


def _fragments_joined(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """Two neighbour words, neither a name's syllable and one no syllable at all, joined where their
    letters spell a name's syllable (`PH AM` -> `PHẠM`, not `TH ANH` -> `THANH`: `ANH` is a name's, and
    `TH` more likely `THU` cut): Tesseract parts a word of widely spaced or blurred capitals."""
    joined, known = list(words), _by_letters(False)
    at = 0
    while at < len(joined) - 1:
        first, second = joined[at], joined[at + 1]
        letters = fold(first.text + second.text)
        if (not (could_be_syllable(first.text) and could_be_syllable(second.text))
                and fold(first.text) not in known and fold(second.text) not in known and letters in known):
            choices = first.choices + second.choices if first.choices and second.choices else ()
            boxes = [w.box for w in (first, second) if w.box]
            box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                   max(b[3] for b in boxes)) if boxes else None
            joined[at:at + 2] = [Word(first.text + second.text, choices, box)]
        else:
            at += 1
    return tuple(joined)


def _from_surname(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """The words from the first that can be a surname, when a word or more before it cannot (`NON`,
    `VÀ TÊN`: the end of the label `Họ và tên`) and two words at least are left; the label read
    whole before the name (`HỒ VÀTÊN`, whose `HỒ` is a surname) is dropped first."""
    words = _after_label(words)
    for start, word in enumerate(words[:_LEADING + 1]):
        if fold(word.text) in _by_letters(True):
            return words[start:] if len(words) - start >= 2 else words
    return words


_SHORT_JUNK = 2  # letters: a word this short with no vowel, after the name, is no syllable misread


def _voiced_end(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """The name without the short words after it that hold no vowel (`KS`, `ZZ`: the strokes of a
    security print or specks read past the name), while two words at least are left: every Vietnamese
    syllable has a vowel, and the one that need not (the `H` of an Ê Đê name, `KSOR H BLIÊ`) never ends
    a name. A longer one is a syllable misread (`VXH` for `ANH`), and is respelled."""
    end = len(words)
    while end > 2 and len(words[end - 1].text) <= _SHORT_JUNK and not _VOWELS & set(fold(words[end - 1].text)):
        end -= 1
    return words[:end]


def _after_label(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """The words after the name's label `Họ và tên` read with them (its letters, a few wrong), when
    two words at least are left."""
    alike = [(fuzz.ratio("".join(fold(w.text) for w in words[:count]), _LABEL), -count)
             for count in range(1, min(_LEADING, len(words) - 2) + 1)]
    best, count = max(alike, default=(0, 0))
    return words[-count:] if best >= _LABEL_MATCH else words
