"""HTML to PDF with Vietnamese text rendered correctly (xhtml2pdf, Noto Sans embedded): every domain's printouts."""
import io
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from xhtml2pdf import pisa
from xhtml2pdf.default import DEFAULT_FONT

# Noto Sans (Debian fonts-noto-core) carries every Vietnamese diacritic; embedded in the PDF.
FONT_DIR = Path("/usr/share/fonts/truetype/noto")


@cache
def _register_fonts():
    # xhtml2pdf's @font-face does not load TTF files here; registering with ReportLab does.
    pdfmetrics.registerFont(TTFont("NotoSans", FONT_DIR / "NotoSans-Regular.ttf"))
    pdfmetrics.registerFont(TTFont("NotoSans-Bold", FONT_DIR / "NotoSans-Bold.ttf"))
    addMapping("NotoSans", 0, 0, "NotoSans")
    addMapping("NotoSans", 1, 0, "NotoSans-Bold")
    DEFAULT_FONT["notosans"] = "NotoSans"


def html_to_pdf(html):
    """The PDF bytes of an HTML document whose font-family is `notosans`."""
    _register_fonts()
    output = io.BytesIO()
    result = pisa.CreatePDF(html, dest=output, encoding="utf-8")
    if result.err:
        raise RuntimeError(f"PDF rendering failed with {result.err} errors")
    return output.getvalue()
