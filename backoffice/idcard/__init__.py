"""ID-card extraction (CCCD, thẻ căn cước, CMND): photos in, verified fields out. No Flask here.

`extract(front, back)` returns the JSON of DESIGN.md §10; `compare(declared, extracted)` says,
field by field, whether a declaration matches it. Bad uploads raise `ImageError`.
"""

from .compare import compare
from .images import ImageError, open_image, reencode
from .pipeline import extract

__all__ = ("ImageError", "compare", "extract", "open_image", "reencode")
