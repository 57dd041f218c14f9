"""The app icons (static/icons/*.png), drawn from the same shapes as the site's mark
(static/favicon.svg: a teal disc with a yellow mountain line). They are committed, so running
the site needs no image library; `python -m atlas.offline.icons` redraws them (Pillow, from the
test extra) and a test checks that the committed files are what this code draws.

A maskable icon fills its square and keeps the mark inside the central 80 % "safe zone",
because launchers crop it to a circle or a rounded square.
"""

from pathlib import Path

TEAL, YELLOW = (11, 85, 99, 255), (242, 193, 78, 255)
MOUNTAIN = [(7, 22), (13, 12), (17, 18), (20, 14), (25, 22)]  # favicon.svg's path, in its 32-unit box
SIZES = (192, 512)
OVERSAMPLE = 4


def draw(size, maskable=False):
    """One icon as a Pillow image: drawn large and scaled down, for smooth edges."""
    from PIL import Image, ImageDraw

    big = size * OVERSAMPLE
    image = Image.new("RGBA", (big, big), TEAL if maskable else (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        scale, offset = big * 0.8 / 32, big * 0.1  # the mark within the safe zone
    else:
        scale, offset = big / 32, 0
        pen.ellipse([scale * 1, scale * 1, scale * 31, scale * 31], fill=TEAL)
    pen.polygon([(offset + x * scale, offset + y * scale) for x, y in MOUNTAIN], fill=YELLOW)
    return image.resize((size, size), Image.LANCZOS)


def icon_files():
    """{file name: (size, maskable)} of every icon the manifest names."""
    return {f"{kind}-{size}.png": (size, kind == "maskable") for kind in ("icon", "maskable") for size in SIZES}


def write(folder):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, (size, maskable) in icon_files().items():
        draw(size, maskable).save(folder / name, optimize=True)


if __name__ == "__main__":
    from ..paths import ROOT

    write(ROOT / "static" / "icons")
