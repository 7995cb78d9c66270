"""Photograph a rendered card: place it on a table at phone scale and degrade the picture."""

import random

import cv2
import numpy as np
from PIL import Image

PHOTO_W, PHOTO_H = 1600, 1200


def _table(rng: random.Random) -> np.ndarray:
    """A wood-like table top (BGR), darker than the card so the card's edges show."""
    ys, xs = np.mgrid[0:PHOTO_H, 0:PHOTO_W].astype(np.float32)
    grain = np.sin(xs / rng.uniform(9, 25) + 3 * np.sin(ys / rng.uniform(60, 200)))
    base = np.array([rng.randint(40, 90), rng.randint(60, 110), rng.randint(90, 150)], np.float32)
    return (base + 12 * grain[..., None]).clip(0, 255)


def _place(card: np.ndarray, rng: random.Random, angle: float) -> np.ndarray:
    """Warp the card onto the table with a random scale, position, tilt and perspective."""
    h, w = card.shape[:2]
    width = rng.uniform(1000, 1250)
    height = width * h / w
    centre = np.array([PHOTO_W / 2 + rng.uniform(-80, 80), PHOTO_H / 2 + rng.uniform(-60, 60)])
    corners = np.array([[-width / 2, -height / 2], [width / 2, -height / 2],
                        [width / 2, height / 2], [-width / 2, height / 2]])
    theta = np.deg2rad(angle)
    rotation = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    jitter = np.array([[rng.uniform(-0.03, 0.03) * width, rng.uniform(-0.03, 0.03) * height] for _ in range(4)])
    target = (corners + jitter) @ rotation.T + centre
    source = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    matrix = cv2.getPerspectiveTransform(source, target.astype(np.float32))
    size = (PHOTO_W, PHOTO_H)
    warped = cv2.warpPerspective(card.astype(np.float32), matrix, size, flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((h, w), np.float32), matrix, size, flags=cv2.INTER_AREA)[..., None]
    return warped * mask + _table(rng) * (1 - mask)


def _uneven_light(image: np.ndarray, rng: random.Random) -> np.ndarray:
    """A light falling off across the picture, as from a window or a desk lamp."""
    ys, xs = np.mgrid[0:image.shape[0], 0:image.shape[1]].astype(np.float32)
    cx, cy = rng.uniform(0, image.shape[1]), rng.uniform(0, image.shape[0])
    distance = np.hypot(xs - cx, ys - cy) / max(image.shape[:2])
    gain = 1.1 - rng.uniform(0.45, 0.6) * distance
    return image * gain[..., None]


def _encode(image: np.ndarray, quality: int) -> bytes:
    ok, data = cv2.imencode(".jpg", image.clip(0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return data.tobytes()


def photograph(card: Image.Image, condition: str, rng: random.Random, turn: int = 0) -> bytes:
    """JPEG bytes of the card photographed under a condition; `turn` rotates by 90° steps."""
    image = cv2.cvtColor(np.asarray(card), cv2.COLOR_RGB2BGR).astype(np.float32)
    combined = condition == "combined"
    if condition != "clean":
        tilted = condition in ("rotation", "combined")
        angle = rng.uniform(3, 8) * rng.choice((-1, 1)) if tilted else rng.uniform(-1.5, 1.5)
        image = _place(image, rng, angle)
    if condition in ("light", "combined"):
        image = _uneven_light(image, rng)
    if condition in ("blur", "combined"):
        sigma = rng.uniform(1.2, 1.8) if not combined else rng.uniform(0.9, 1.3)
        image = cv2.GaussianBlur(image, (0, 0), sigma)
    if condition != "clean":
        image = image + np.random.default_rng(rng.randrange(2**32)).normal(0, 4, image.shape)
    image = np.rot90(image, k=turn).copy() if turn else image
    return _encode(image, 40 if condition in ("jpeg40", "combined") else 92)

