"""ID-card extraction (CCCD, thẻ căn cước, CMND): photos in, verified fields out. No Flask here.

`extract(front, back)` returns the JSON of DESIGN.md §10; `compare(declared, extracted)` says,
field by field, whether a declaration matches it. Bad uploads raise `ImageError`.

`extract` is imported on first use: OpenCV, Tesseract and zxing cost a quarter of a second to load,
which the app and the `idcard` command need not pay before extracting (issue 19).
"""

from .compare import compare
from .images import ImageError, open_image, reencode

__all__ = ("ImageError", "compare", "extract", "open_image", "reencode")


def __getattr__(name: str):
    """`extract`, imported from the pipeline when first asked for."""
    if name != "extract":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from .pipeline import extract

    globals()["extract"] = extract
    return extract
