"""A photo shaken while it was taken: the streak's length and direction, and the photo steadied.

A hand that moves while the shutter is open drags every point of the card along a short line: the photo is
the card convolved with that line. Its spectrum is the card's times the line's, a sinc with evenly spaced
zeros across the streak's direction, so the log spectrum's own spectrum (the cepstrum) has a sharp negative
peak at the streak's length in its direction. Focus blur and a steady photo give none: their cepstrum
near the centre is the same all round. The peak is judged against the ring at its own radius. A JPEG's
8-pixel blocks leave peaks at whole blocks across and down; those places are not looked at.

A photo out of focus is measured too (`defocus`), by how much its edges soften when blurred again.

The steadied photo is the Wiener deconvolution of the streak (its noise allowance keeps the JPEG's noise
from being amplified where the streak's spectrum is small), in grey: all that is read once the card's
outline is found (on the photo as taken) is grey.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

_SHORTEST, _LONGEST = 4.0, 24.0  # streaks (px) worth undoing, and the longest looked for
_ALONE = 4.0  # how far the peak stands below the ring at its radius (in the ring's deviations)
UNMISTAKABLE = 8.0  # a peak standing out this far is a shake's (none of 768 steady photos came near 6)
_BLOCK = 8  # a JPEG's blocks: their grid leaves peaks at whole blocks across and down, not a shake's
_NOISE = 0.02  # the Wiener filter's noise-to-signal allowance
_REBLUR = 1.0  # px: the second blur of the defocus estimate
_FEWEST_EDGES = 100  # edge pixels: fewer say nothing of the focus
_LARGEST = 768  # the side of the crop measured (the card's box; its centre when larger): as sure as 1024, half the time


@dataclass(frozen=True)
class Streak:
    """A straight streak: its length in pixels and its direction in degrees (0 = along x, y down)."""

    length: float
    angle: float
    alone: float  # how far its cepstral peak stands out from its ring


def _cepstrum(gray: np.ndarray) -> np.ndarray:
    picture = gray.astype(np.float32)
    picture -= picture.mean()
    picture *= np.outer(np.hanning(picture.shape[0]), np.hanning(picture.shape[1])).astype(np.float32)
    # numpy's FFT, not scipy's (twice as fast in float32, but its import costs `idcard extract` 0.2 s)
    spectrum = np.fft.rfft2(picture)
    return np.fft.fftshift(np.fft.irfft2(np.log(np.abs(spectrum) + np.float32(1e-3)), s=picture.shape))


def streak(gray: np.ndarray) -> Streak | None:
    """The streak a shake left in this picture (a card's box, grey), or None when there is none to undo."""
    h, w = gray.shape[:2]
    reach = int(_LONGEST)
    if min(h, w) < 8 * reach:
        return None
    top, left = max(0, (h - _LARGEST) // 2), max(0, (w - _LARGEST) // 2)
    cepstrum = _cepstrum(gray[top:top + _LARGEST, left:left + _LARGEST])
    cy, cx = cepstrum.shape[0] // 2, cepstrum.shape[1] // 2
    patch = cepstrum[cy - reach:cy + reach + 1, cx - reach:cx + reach + 1]
    ys, xs = np.mgrid[-reach:reach + 1, -reach:reach + 1]
    radius = np.hypot(xs, ys)
    ring = (radius >= _SHORTEST) & (radius <= _LONGEST) & ((xs % _BLOCK != 0) | (ys % _BLOCK != 0))
    y, x = np.unravel_index(np.argmin(np.where(ring, patch, np.inf)), patch.shape)
    dy, dx = int(y) - reach, int(x) - reach
    length = float(np.hypot(dx, dy))
    # the same radius elsewhere, away from the peak and its mirror image
    around = (np.abs(radius - length) < 1.0) & (np.hypot(xs - dx, ys - dy) > 2) & (np.hypot(xs + dx, ys + dy) > 2)
    spread = float(patch[around].std())
    alone = (float(patch[around].mean()) - float(patch[y, x])) / spread if spread > 0 else 0.0
    if alone < _ALONE:
        return None
    return Streak(length, float(np.degrees(np.arctan2(dy, dx)) % 180), alone)


def _kernel(length: float, angle: float) -> np.ndarray:
    """A straight streak as a blur kernel, drawn at 8x and shrunk (its ends anti-aliased), summing to 1."""
    side = int(np.ceil(length)) | 1
    fine = 8 * side
    kernel = np.zeros((fine, fine), np.float32)
    half = 8 * length / 2
    dx, dy = half * np.cos(np.radians(angle)), half * np.sin(np.radians(angle))
    centre = fine / 2
    cv2.line(kernel, (round(centre - dx), round(centre - dy)), (round(centre + dx), round(centre + dy)), 1.0, 8)
    kernel = cv2.resize(kernel, (side, side), interpolation=cv2.INTER_AREA)
    return kernel / kernel.sum()


def defocus(gray: np.ndarray) -> float:
    """How soft this picture's edges are: the sigma (px) of the Gaussian blur they show, 0 without edges.

    Zhuo and Sim's estimate (Defocus map estimation from a single image, 2011): an edge blurred by sigma,
    blurred again by `_REBLUR`, keeps sigma / sqrt(sigma² + reblur²) of its gradient's height; the
    median over the stronger half of the Canny edges (the print's, mostly) is the picture's."""
    picture = gray.astype(np.float32)
    height = _gradient(picture)
    edges = cv2.Canny(gray, 40, 100) > 0
    if edges.sum() < _FEWEST_EDGES:
        return 0.0
    strong = edges & (height >= np.percentile(height[edges], 50))
    ratio = height[strong] / np.maximum(_gradient(cv2.GaussianBlur(picture, (0, 0), _REBLUR))[strong], 1e-3)
    ratio = ratio[ratio > 1.01]
    return float(np.median(_REBLUR / np.sqrt(ratio ** 2 - 1))) if ratio.size else 0.0


def _gradient(picture: np.ndarray) -> np.ndarray:
    return cv2.magnitude(cv2.Sobel(picture, cv2.CV_32F, 1, 0, ksize=3), cv2.Sobel(picture, cv2.CV_32F, 0, 1, ksize=3))


def steadied(bgr: np.ndarray, shake: Streak) -> np.ndarray:
    """The photo with the streak undone, in grey (what is read after the card is found is grey): the
    Wiener deconvolution of the streak, the edges mirrored first."""
    kernel = _kernel(shake.length, shake.angle)
    k = kernel.shape[0]
    pad = 2 * k
    gray = cv2.copyMakeBorder(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), pad, pad, pad, pad, cv2.BORDER_REFLECT)
    h, w = gray.shape
    psf = np.zeros((h, w), np.float32)
    psf[:k, :k] = kernel
    psf = np.roll(psf, (-(k // 2), -(k // 2)), axis=(0, 1))  # the kernel's centre at the origin
    transfer = np.fft.rfft2(psf)
    wiener = np.conj(transfer) / (np.abs(transfer) ** 2 + np.float32(_NOISE))
    sharp = np.fft.irfft2(np.fft.rfft2(gray.astype(np.float32)) * wiener, s=(h, w))
    sharp = sharp[pad:h - pad, pad:w - pad]
    return cv2.cvtColor(np.clip(sharp, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2BGR)
