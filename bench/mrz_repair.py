"""How the MRZ's check-digit repair (backoffice/idcard/mrz.py) fares on misread lines (issue 19).

Random valid CCCD MRZs (`mrz.build_td1`) are misread on purpose, then parsed:

- `one`, `two`, `three`: that many digits of lines 1 and 2 read as a digit the repair takes for them
  (`mrz._DIGIT_ALTERNATIVES`, its own model of Tesseract's confusions: it should mend these);
- `foreign`: one digit read as one the repair does not take for it (`0` read `9`);
- `foreign+one`: one of each;
- `composite`: only the composite check digit so misread.

For each, how many MRZs are read right, refused (None) and read wrong. Then, for the MRZs read with a
correction, what `pipeline._printed_number` does when the front's print was read right (a wrong
repair restored?) or read wrong by one digit, sure (a right repair broken?).

    PYTHONPATH=. .venv/bin/python bench/mrz_repair.py [--cards 6000] [--seed 7]

The misreads are drawn uniformly: real OCR errors cluster (a glare spot, a blurred end), so the rates
here are for comparing builds, not a forecast of a card's.
"""

import argparse
import random
import sys
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backoffice.idcard.fields import Candidate  # noqa: E402
from backoffice.idcard.merge import merge  # noqa: E402
from backoffice.idcard.mrz import _DIGIT_ALTERNATIVES, build_td1, parse_td1  # noqa: E402
from backoffice.idcard.pipeline import _printed_number  # noqa: E402

MODES = {"one": (False,), "two": (False, False), "three": (False, False, False), "foreign": (True,),
         "foreign+one": (True, False), "composite": ()}
PROVINCES = ("001", "033", "070", "079", "092")


def _misread(line: str, rng: random.Random, foreign: bool, first: int) -> str:
    at = rng.choice([i for i, c in enumerate(line) if c.isdigit() and i >= first])
    right = line[at]
    # a digit the repair can mend is one whose alternatives hold the right one
    options = [d for d in "0123456789" if d != right and (right in _DIGIT_ALTERNATIVES[d]) != foreign]
    return line[:at] + rng.choice(options) + line[at + 1:]


def _card(rng: random.Random) -> tuple[str, date, date]:
    while True:
        born = date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
        expiry = born.replace(year=born.year + rng.choice((25, 40, 60)))
        if expiry.year >= 2016:
            number = f"{rng.choice(PROVINCES)}{(born.year >= 2000) * 2 + 1}{born.year % 100:02d}" \
                     f"{rng.randrange(10**6):06d}"
            return number, born, expiry


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    read, printed = Counter(), Counter()
    for n in range(args.cards):
        mode = list(MODES)[n % len(MODES)]
        number, born, expiry = _card(rng)
        lines = build_td1(number, born, "Nữ", expiry, "TRAN THI B")
        got = [lines[0], lines[1]]
        for foreign in MODES[mode]:
            which = rng.randrange(2)
            got[which] = _misread(got[which], rng, foreign, 5 if which == 0 else 0)
        if mode == "composite":
            got[1] = _misread(got[1], rng, True, 29)
        result = parse_td1([*got, lines[2]])
        right = result is not None and (result.id_number, result.date_of_birth, result.date_of_expiry) == (
            number, born, expiry)
        read[mode, "right" if right else "refused" if result is None else "WRONG"] += 1
        if result is None or not result.corrections:
            continue
        at = rng.randrange(12)
        misprint = number[:at] + rng.choice([d for d in "0123456789" if d != number[at]]) + number[at + 1:]
        for print_read, label in ((number, "print right"), (misprint, "print wrong")):
            candidates = [("id_number", Candidate(result.id_number, "mrz", 0.95)),
                          ("id_number", Candidate(print_read, "ocr", 0.95))]
            fields, warnings = merge(candidates)
            _printed_number(fields, candidates, result, warnings)
            printed[label, "MRZ right" if right else "MRZ wrong",
                    "number right" if fields["id_number"].value == number else "number WRONG"] += 1
    print(f"{'misread':14}{'right':>8}{'refused':>9}{'WRONG':>7}")
    for mode in MODES:
        print(f"{mode:14}" + "".join(f"{read[mode, k]:>{w}}" for k, w in (("right", 8), ("refused", 9), ("WRONG", 7))))
    print("\nMRZs read with a correction, then the front's print (read sure) against them:")
    for key in sorted(printed):
        print(f"  {', '.join(key)}: {printed[key]}")


if __name__ == "__main__":
    main()
