"""The labelled complaint corpus, its fixed split by author, and officers' re-route corrections.

The test split holds out whole authors, never random lines: an author's register, spelling and
abbreviations would otherwise leak from training into the test. The rule was fixed before any
result was looked at, when the corpus had three authors: every author whose number is a multiple
of 4 is held out. On the finished corpus (41 authors) that is the ten below, 412 of 1,850 texts; the
list is now fixed, so authors added later go to training and the test split never moves.
"""
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

CORPUS_PATH = Path(__file__).parent / "corpus" / "complaints.jsonl"

CATEGORIES = ("personal_info", "contribution_history", "health_card_info", "benefits", "medical_care",
              "app_technical")

# Author ids look like "p07-<style>"; the number alone decides the split.
_AUTHOR_NUMBER = re.compile(r"^p(\d+)")
HELD_OUT_AUTHORS = frozenset({4, 8, 12, 16, 20, 24, 28, 32, 36, 40})


@dataclass(frozen=True)
class Example:
    """One labelled text: the complaint, the topic the citizen picked (or None) and the true category."""

    text: str
    hint: str | None
    category: str
    author: str = ""


class CorpusError(ValueError):
    """A corpus or corrections line that cannot be used (names the file and line)."""


def is_held_out(author: str) -> bool:
    """Whether an author's texts belong to the fixed test split."""
    match = _AUTHOR_NUMBER.match(author)
    return bool(match) and int(match.group(1)) in HELD_OUT_AUTHORS


def _example(record, where: str, author_required: bool) -> Example:
    if not isinstance(record, dict):
        raise CorpusError(f"{where}: expected a JSON object")
    text, hint, category = record.get("text"), record.get("hint"), record.get("category")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{where}: 'text' must be a non-empty string")
    if category not in CATEGORIES:
        raise CorpusError(f"{where}: unknown category {category!r}")
    if hint is not None and hint not in CATEGORIES:
        raise CorpusError(f"{where}: unknown hint {hint!r}")
    author = record.get("author", "")
    if author_required and not (isinstance(author, str) and author):
        raise CorpusError(f"{where}: 'author' is required")
    return Example(text=text, hint=hint, category=category, author=author if isinstance(author, str) else "")


def read_jsonl(path: Path, author_required: bool = False) -> list[Example]:
    """Examples of a JSONL file (one object per line, blank lines skipped); CorpusError on a bad line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise CorpusError(f"{path}: cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise CorpusError(f"{path}: not UTF-8") from None
    examples = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise CorpusError(f"{where}: invalid JSON ({error.msg})") from None
        examples.append(_example(record, where, author_required))
    return examples


def load_corpus(path: Path | None = None) -> list[Example]:
    """The labelled corpus shipped with the package (or the one at `path`)."""
    return read_jsonl(path or CORPUS_PATH, author_required=True)


def split(examples: Iterable[Example]) -> tuple[list[Example], list[Example]]:
    """(train, test): the fixed split by author."""
    train, test = [], []
    for example in examples:
        (test if is_held_out(example.author) else train).append(example)
    return train, test


# Officers' re-routes. The complaints workflow registers a reader of its table here; the command
# adds a JSONL file. Each source yields Examples whose category is the officer's choice.
_sources: list[Callable[[], Iterable[Example]]] = []


def register_corrections_source(source: Callable[[], Iterable[Example]]) -> None:
    """Add a reader of stored re-route corrections (called at each training)."""
    if source not in _sources:
        _sources.append(source)


def corrections(extra: Iterable[Example] = ()) -> Iterator[Example]:
    """Every officer's correction: those of the registered sources, then `extra`."""
    for source in _sources:
        yield from source()
    yield from extra


def read_corrections(path: Path) -> list[Example]:
    """Corrections from a JSONL file of {"text", "category", optional "hint"} objects."""
    return [Example(text=e.text, hint=e.hint, category=e.category, author="correction")
            for e in read_jsonl(path)]
