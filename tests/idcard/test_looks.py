import cv2
import numpy as np

from backoffice.idcard.looks import bolder, crisper, flattened, shrunk, vote


def _strip_with_stroke():
    """A 60 x 300 crop lit from the left (paper 240 falling to 120) with a dark 1-px vertical stroke."""
    paper = np.tile(np.linspace(240, 120, 300), (60, 1)).astype(np.uint8)
    paper[10:50, 150] = 30
    return paper


def test_flattened_evens_out_the_light_and_keeps_the_stroke():
    strip = _strip_with_stroke()
    flat = flattened(strip)
    paper = np.delete(flat[30], 150)
    assert int(strip[30, 0]) - int(strip[30, -1]) > 100
    assert int(paper.max()) - int(paper.min()) <= 10
    assert flat[30, 150] < 100


def test_bolder_thickens_a_stroke_by_a_pixel_on_each_side():
    bold = bolder(_strip_with_stroke())
    assert (bold[30, 148:153] < 100).tolist() == [False, True, True, True, False]


def test_shrunk_is_seventy_percent():
    assert shrunk(_strip_with_stroke()).shape == (42, 210)


def test_crisper_restores_the_contrast_of_a_blurred_stroke():
    stroke = np.full((60, 300), 230, np.uint8)
    stroke[10:50, 147:150] = 40
    blurred = cv2.GaussianBlur(stroke, (0, 0), 2)
    crisp = crisper(blurred)
    assert crisp.shape == (42, 210)
    assert int(crisp[21].min()) < int(shrunk(blurred)[21].min()) - 8
    assert abs(int(crisp[21, 0]) - 230) <= 2


def test_vote_takes_the_majority_then_the_earliest_look():
    assert vote(["ĐĂNG", "ĐẶNG", "ĐẶNG"]) == ("ĐẶNG", 2)
    assert vote(["A", "B", "C"]) == ("A", 1)
    assert vote([None, "B", None]) == ("B", 1)
    assert vote([None, None, None]) == (None, 0)


def test_the_column_paper_is_numpys_nanpercentile_of_the_pixels_shown():
    import warnings

    from backoffice.idcard.looks import _column_paper

    rng = np.random.default_rng(19)
    for _ in range(100):
        h, w = rng.integers(1, 50), rng.integers(1, 200)
        gray = rng.integers(0, 256, (h, w)).astype(np.uint8)
        hidden = rng.random((h, w)) < rng.random()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
            expected = np.nanpercentile(np.where(hidden, np.nan, gray.astype(np.float64)), 90, axis=0)
        expected = np.nan_to_num(expected, nan=float(np.percentile(gray, 90)))
        assert np.allclose(_column_paper(gray, hidden), expected)
