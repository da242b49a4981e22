"""Where QR generation time goes: qrcode (stock and tuned) against segno, stage by stage.

Prints the median time per call over a set of typical URLs. Pure CPU; no network.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import qrcode
import segno
from qrcode.image.pure import PyPNGImage
from qrcode.image.svg import SvgPathImage

from qr_service import images
from qr_service.encoding import encode


def sample_urls(count: int) -> list[str]:
    return [f"https://example.com/products/{i}/details?ref=campaign-{i * 7}" for i in range(count)]


def median_ms(work: Callable[[str], Any], inputs: Sequence[str]) -> float:
    times = []
    for data in inputs:
        started = time.perf_counter()
        work(data)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _qrcode(data: str, mask: int | None = None) -> qrcode.QRCode:
    symbol = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=mask)
    symbol.add_data(data)
    symbol.make(fit=True)
    return symbol


def _save(image: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def _segno(data: str) -> segno.QRCode:
    return segno.make(data, error="m", boost_error=False, micro=False)


def _segno_save(data: str, kind: str) -> bytes:
    buffer = io.BytesIO()
    _segno(data).save(buffer, kind=kind, scale=10, border=4)
    return buffer.getvalue()


def stages() -> list[tuple[str, Callable[[str], Any]]]:
    matrix = encode(sample_urls(1)[0], "M")
    stock = _qrcode(sample_urls(1)[0])
    return [
        ("qrcode: encode, mask chosen (8 x lost_point)", _qrcode),
        ("qrcode: encode, fixed mask 0", lambda d: _qrcode(d, 0)),
        ("qrcode: Pillow image + PNG save (drawing only)", lambda d: _save(stock.make_image())),
        ("qrcode: stock PNG total (Pillow)", lambda d: _save(_qrcode(d).make_image())),
        (
            "qrcode: stock PNG total (PyPNG)",
            lambda d: _save(_qrcode(d).make_image(image_factory=PyPNGImage)),
        ),
        (
            "qrcode: stock SVG total (SvgPath)",
            lambda d: _save(_qrcode(d).make_image(image_factory=SvgPathImage)),
        ),
        ("segno: encode, mask chosen", _segno),
        ("segno: PNG total", lambda d: _segno_save(d, "png")),
        ("segno: SVG total", lambda d: _segno_save(d, "svg")),
        ("ours: encode (qrcode + numpy mask scoring)", lambda d: encode(d, "M")),
        ("ours: PNG writer only (numpy + zlib)", lambda d: images.png(matrix, 10)),
        ("ours: SVG writer only", lambda d: images.svg(matrix, 10)),
        ("ours: PNG total", lambda d: images.png(encode(d, "M"), 10)),
        ("ours: SVG total", lambda d: images.svg(encode(d, "M"), 10)),
    ]


def report(count: int) -> list[tuple[str, float]]:
    inputs = sample_urls(count)
    rows = [(name, median_ms(work, inputs)) for name, work in stages()]
    print(f"QR generation, median ms per call over {count} URLs (~60 chars, EC M, 10 px/module)")
    for name, ms in rows:
        print(f"  {name:<50} {ms:8.3f}")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200, help="URLs per stage (default 200)")
    args = parser.parse_args(argv)
    report(args.count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
