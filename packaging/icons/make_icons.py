"""Draw the Stepwise icon with Qt and write every format the builds need.

    python packaging/icons/make_icons.py

Writes ``resources/icons/stepwise.png`` (512 px: the window icon, shipped in the bundle),
``packaging/icons/stepwise.ico`` (Windows: the executables and the NSIS installer) and
``packaging/icons/stepwise.icns`` (macOS: the .app bundle). The outputs are committed; run this
only when the drawing changes. Each size is drawn afresh rather than scaled down from the big one,
so the 16 px icon stays crisp.

The ICO holds 32-bit DIB images up to 48 px (what every Windows shell and makensis read) and PNG
images from 64 px (Vista and later); the ICNS holds PNG images only (macOS 10.7 and later).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QLinearGradient, QPainter

ROOT = Path(__file__).resolve().parents[2]
PNG_OUT = ROOT / "resources" / "icons" / "stepwise.png"
ICO_OUT = ROOT / "packaging" / "icons" / "stepwise.ico"
ICNS_OUT = ROOT / "packaging" / "icons" / "stepwise.icns"

ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_PNG_FROM = 64  # smaller entries are DIBs
# ICNS types that hold PNG data, by pixel size (Apple's "icns" format, macOS 10.7+).
ICNS_TYPES = (
    (b"ic11", 32),  # 16 pt @2x
    (b"ic12", 64),  # 32 pt @2x
    (b"ic07", 128),
    (b"ic13", 256),  # 128 pt @2x
    (b"ic08", 256),
    (b"ic14", 512),  # 256 pt @2x
    (b"ic09", 512),
    (b"ic10", 1024),  # 512 pt @2x
)


def draw(size: int) -> QImage:
    """Four rising steps on a blue tile; the last, amber, is the reply the agent sends."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / 64, size / 64)  # drawn on a 64-unit grid
    tile = QRectF(2, 2, 60, 60)
    gradient = QLinearGradient(QPointF(0, 2), QPointF(0, 62))
    gradient.setColorAt(0, QColor("#4c6ef5"))
    gradient.setColorAt(1, QColor("#2b3fa8"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(gradient)
    painter.drawRoundedRect(tile, 13, 13)
    colors = ("#dbe4ff", "#edf2ff", "#ffffff", "#ffd43b")
    for index, color in enumerate(colors):
        height = 12 + index * 9
        painter.setBrush(QColor(color))
        painter.drawRoundedRect(QRectF(11 + index * 11, 52 - height, 8, height), 2.5, 2.5)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode a PNG")
    return bytes(data.data())


def dib_bytes(image: QImage) -> bytes:
    """A 32-bit BGRA DIB as ICO stores it: bottom-up rows, height doubled, an empty AND mask."""
    size = image.width()
    argb = image.convertToFormat(QImage.Format.Format_ARGB32)
    row = size * 4
    bits = bytes(argb.constBits())[: row * size]  # little-endian ARGB32 is B, G, R, A in memory
    pixels = b"".join(bits[y * row : (y + 1) * row] for y in reversed(range(size)))
    mask = b"\0" * (((size + 31) // 32) * 4 * size)
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, len(pixels), 0, 0, 0, 0)
    return header + pixels + mask


def ico_bytes() -> bytes:
    images = []
    for size in ICO_SIZES:
        image = draw(size)
        images.append((size, png_bytes(image) if size >= ICO_PNG_FROM else dib_bytes(image)))
    offset = 6 + 16 * len(images)
    directory, payload = b"", b""
    for size, data in images:
        side = size % 256  # 0 means 256 in an ICO directory
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        payload += data
        offset += len(data)
    return struct.pack("<HHH", 0, 1, len(images)) + directory + payload


def icns_bytes() -> bytes:
    rendered: dict[int, bytes] = {}
    body = b""
    for kind, size in ICNS_TYPES:
        data = rendered.setdefault(size, png_bytes(draw(size)))
        body += kind + struct.pack(">I", 8 + len(data)) + data
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display needed
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # Qt's PNG writer
    PNG_OUT.parent.mkdir(parents=True, exist_ok=True)
    PNG_OUT.write_bytes(png_bytes(draw(512)))
    ICO_OUT.write_bytes(ico_bytes())
    ICNS_OUT.write_bytes(icns_bytes())
    for path in (PNG_OUT, ICO_OUT, ICNS_OUT):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
