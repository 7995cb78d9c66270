"""`idcard extract FRONT [--back BACK]`: print the §10 JSON of a card's photos.

A plain click group (no Flask import); the app factory registers it as `flask idcard`. The pipeline
(OpenCV, Tesseract) is imported when the command runs, not when the app registers the group.
"""

import json
import sys
import threading

import click

from .images import ImageError, read_file

EXIT_BAD_INPUT = 2


@click.group("idcard")
def idcard_cli():
    """ID-card extraction."""


@idcard_cli.command("extract")
@click.argument("front", type=click.Path(dir_okay=False))
@click.option("--back", type=click.Path(dir_okay=False), help="Photo of the back of the card.")
def extract_command(front: str, back: str | None):
    """Read the fields of an ID card from its front (and back) photos and print them as JSON."""
    warming = threading.Thread(target=_warm_colour_tables, daemon=True)
    warming.start()  # while the pipeline imports
    try:
        from .pipeline import extract

        result = extract(read_file(front), read_file(back) if back else None)
    except ImageError as error:
        click.echo(json.dumps(error.as_dict(), ensure_ascii=False))
        sys.exit(EXIT_BAD_INPUT)
    finally:
        # a process leaving while that thread is still inside OpenCV's import aborts (SIGABRT, exit 134):
        # a photo refused at once must still exit with EXIT_BAD_INPUT
        warming.join()
    click.echo(json.dumps(result, ensure_ascii=False))


def _warm_colour_tables():
    """OpenCV fills its 8-bit Lab tables on its first conversion (0.1 s or more), which the card finder
    makes first of all (rectify._table_mask): done here on a thread of its own, on the other core, while
    the pipeline's modules import (0.3 s), it costs one card's read nothing."""
    import cv2
    import numpy as np

    cv2.cvtColor(np.zeros((1, 1, 3), np.uint8), cv2.COLOR_BGR2LAB)


if __name__ == "__main__":
    idcard_cli()
