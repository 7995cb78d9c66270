"""Synthetic ID cards for tests, demo data and the benchmark: identities, renders and photos."""

import random
from dataclasses import dataclass

from .identity import Identity, random_identity

# the generator's conditions, as photo.py applies them (kept here: importing photo.py loads OpenCV)
CONDITIONS = ("clean", "phone", "rotation", "blur", "jpeg40", "light", "combined")

__all__ = ("CONDITIONS", "Sample", "expected_fields", "make_sample")

_PRINTED = {
    "cccd_chip": ("id_number", "old_id_number", "full_name", "date_of_birth", "sex", "nationality",
                  "place_of_origin", "place_of_residence", "date_of_issue", "date_of_expiry"),
    "cccd_barcode": ("id_number", "full_name", "date_of_birth", "sex", "nationality", "place_of_origin",
                     "place_of_residence", "date_of_issue", "date_of_expiry"),
    "cmnd": ("id_number", "full_name", "date_of_birth", "place_of_origin", "place_of_residence",
             "date_of_issue"),
}
_PRINTED["can_cuoc"] = _PRINTED["cccd_chip"]


@dataclass(frozen=True)
class Sample:
    """One generated card: the truth and the two photos (JPEG bytes)."""

    identity: Identity
    condition: str
    front: bytes
    back: bytes


def make_sample(doc_type: str, condition: str, seed: int, turn: int = 0) -> Sample:
    """Generate a card of a type, photographed under a condition, reproducibly from a seed."""
    from .photo import photograph  # OpenCV and the renderer load when a card is first made
    from .render import render

    rng = random.Random(f"{doc_type}/{condition}/{seed}")
    ident = random_identity(rng, doc_type)
    front = photograph(render(ident, "front", rng), condition, rng, turn)
    back = photograph(render(ident, "back", rng), condition, rng, turn)
    return Sample(ident, condition, front, back)


def expected_fields(ident: Identity) -> dict[str, str | None]:
    """The field values `extract` should return for this identity, in JSON form."""
    out = {}
    for name in _PRINTED[ident.doc_type]:
        value = getattr(ident, name)
        if name == "old_id_number" and value is None:
            continue
        out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return out
