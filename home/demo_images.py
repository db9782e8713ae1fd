"""Illustrations drawn with Pillow for the demo content: no photo of a real person is ever used."""

import io
import math
import random

from PIL import Image, ImageDraw, ImageFont

PALETTES = [
    ((11, 79, 108), (246, 185, 59), (255, 253, 248)),
    ((124, 45, 92), (255, 138, 101), (255, 244, 230)),
    ((24, 106, 59), (250, 215, 90), (240, 250, 240)),
    ((48, 52, 130), (120, 200, 230), (245, 245, 255)),
]


def _font(size):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow built without FreeType
        return ImageFont.load_default()


def draw_cityscape(seed, width=1600, height=900, label="Illustration fictive"):
    """A skyline of tower blocks under a rising sun: the cité, drawn, never photographed."""
    rng = random.Random(seed)
    dark, warm, light = PALETTES[seed % len(PALETTES)]
    image = Image.new("RGB", (width, height), light)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        colour = tuple(int(light[i] * (1 - t) + warm[i] * t * 0.6 + light[i] * t * 0.4) for i in range(3))
        draw.line([(0, y), (width, y)], fill=colour)
    sun_x, sun_y, radius = int(width * rng.uniform(0.55, 0.85)), int(height * 0.45), int(height * 0.22)
    draw.ellipse([sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius], fill=warm)
    x = 0
    while x < width:
        block_width = rng.randint(width // 14, width // 7)
        block_height = rng.randint(height // 4, int(height * 0.7))
        top = height - block_height
        draw.rectangle([x, top, x + block_width, height], fill=dark)
        for wy in range(top + 20, height - 30, 40):
            for wx in range(x + 12, x + block_width - 20, 30):
                if rng.random() < 0.45:
                    draw.rectangle([wx, wy, wx + 12, wy + 18], fill=warm)
        x += block_width + rng.randint(4, 24)
    _stamp(draw, label, width, height)
    return image


def draw_portrait_placeholder(seed, width=1200, height=1200, label="Illustration fictive"):
    """An abstract silhouette for a fictional person: shapes only, no face."""
    rng = random.Random(seed)
    dark, warm, light = PALETTES[seed % len(PALETTES)]
    image = Image.new("RGB", (width, height), light)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        r = rng.randint(width // 12, width // 4)
        cx, cy = rng.randint(0, width), rng.randint(0, height)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=tuple(min(255, c + 25) for c in warm))
    cx = width // 2
    head = width // 7
    draw.ellipse([cx - head, int(height * 0.28) - head, cx + head, int(height * 0.28) + head], fill=dark)
    points = [
        (cx + int(math.cos(a) * width * 0.32), int(height * 0.95) + int(math.sin(a) * height * 0.45))
        for a in [math.pi + i * math.pi / 20 for i in range(21)]
    ]
    draw.polygon(points, fill=dark)
    _stamp(draw, label, width, height)
    return image


def draw_logo(seed, initials, width=800, height=400, label="Logo fictif"):
    """A made-up company logo: a badge with initials on a flat colour, so it never imitates a real brand."""
    rng = random.Random(seed)
    dark, warm, light = PALETTES[seed % len(PALETTES)]
    image = Image.new("RGB", (width, height), light)
    draw = ImageDraw.Draw(image)
    # A few diagonal bands give each logo its own look while the badge stays readable.
    for _ in range(3):
        offset = rng.randint(-width // 2, width)
        band = rng.randint(width // 16, width // 8)
        draw.polygon(
            [(offset, height), (offset + band, height), (offset + band + height, 0), (offset + height, 0)],
            fill=tuple(min(255, c + 20) for c in warm),
        )
    radius = int(height * 0.36)
    cx, cy = width // 2, int(height * 0.44)
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=dark, outline=warm, width=radius // 8)
    font = _font(int(radius * 0.8))
    box = draw.textbbox((0, 0), initials, font=font)
    draw.text(
        (cx - (box[2] - box[0]) // 2 - box[0], cy - (box[3] - box[1]) // 2 - box[1]), initials, fill=light, font=font
    )
    _stamp(draw, label, width, height)
    return image


def _stamp(draw, label, width, height):
    # The label has no accent: Pillow's built-in font may lack them on a machine without system fonts.
    font = _font(max(18, width // 40))
    box = draw.textbbox((0, 0), label, font=font)
    pad = 12
    w, h = box[2] - box[0], box[3] - box[1]
    # Centred at the bottom so that the label survives the crops of every rendition.
    left = (width - w) // 2 - pad
    draw.rectangle([left, height - h - 3 * pad, left + w + 2 * pad, height - pad], fill=(28, 27, 34))
    draw.text((left + pad, height - h - 2 * pad - box[1]), label, fill=(255, 255, 255), font=font)


def to_jpeg_bytes(image, quality=88):
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()
