"""Draw mlsd's own glyph icons into src/mlsd/icons/.

These cover the component kinds for which `diagrams` ships no fitting generic
icon. Each glyph is a flat, single-colour symbol on a transparent 256x256
canvas. It is drawn as an alpha mask at 4x size and then scaled down, which
gives anti-aliased edges. Details are cut out of the mask rather than painted
in a second colour, so a glyph reads the same on light and dark backgrounds.

Run:  .venv/bin/python tools/make_glyphs.py [--out DIR] [--preview FILE]

The output is deterministic: the same Pillow version writes the same bytes.
Pillow is a dev-only dependency; the mlsd package only ships the PNGs.
"""

from __future__ import annotations

import argparse
import itertools
import math
import pathlib
from collections.abc import Callable, Sequence

from PIL import Image, ImageDraw

SIZE = 256
SS = 4  # supersampling factor
COLOUR = (0x60, 0x7D, 0x8B)  # Material blue-grey 500: readable on white and on dark grey
W = 14  # standard stroke width, in 256-px units
ON, OFF = 255, 0

Point = tuple[float, float]
OUT_DIR = pathlib.Path(__file__).resolve().parents[1] / "src" / "mlsd" / "icons"


class Canvas:
    """An alpha mask in 256-px coordinates, drawn at SS times the size."""

    def __init__(self) -> None:
        self.img = Image.new("L", (SIZE * SS, SIZE * SS), OFF)
        self.d = ImageDraw.Draw(self.img)

    @staticmethod
    def _s(v: float) -> int:
        return round(v * SS)

    def _pts(self, pts: Sequence[Point]) -> list[tuple[int, int]]:
        return [(self._s(x), self._s(y)) for x, y in pts]

    def _box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
        return (self._s(x0), self._s(y0), self._s(x1), self._s(y1))

    def rect(self, x0, y0, x1, y1, r=0.0, w=None, ink=ON) -> None:
        box = self._box(x0, y0, x1, y1)
        if w is None:
            self.d.rounded_rectangle(box, radius=self._s(r), fill=ink)
        else:
            self.d.rounded_rectangle(box, radius=self._s(r), outline=ink, width=self._s(w))

    def ellipse(self, x0, y0, x1, y1, w=None, ink=ON) -> None:
        box = self._box(x0, y0, x1, y1)
        if w is None:
            self.d.ellipse(box, fill=ink)
        else:
            self.d.ellipse(box, outline=ink, width=self._s(w))

    def circle(self, cx, cy, r, w=None, ink=ON) -> None:
        self.ellipse(cx - r, cy - r, cx + r, cy + r, w=w, ink=ink)

    def poly(self, pts: Sequence[Point], ink=ON) -> None:
        self.d.polygon(self._pts(pts), fill=ink)

    def line(self, pts: Sequence[Point], w=W, ink=ON, caps=True) -> None:
        self.d.line(self._pts(pts), fill=ink, width=self._s(w), joint="curve")
        if caps:
            for x, y in (pts[0], pts[-1]):
                self.circle(x, y, w / 2, ink=ink)

    def outline(self, pts: Sequence[Point], w=W, ink=ON) -> None:
        """A closed polyline with rounded joins everywhere, including the seam."""
        closed = list(pts) + [pts[0], pts[1]]
        self.d.line(self._pts(closed), fill=ink, width=self._s(w), joint="curve")
        for x, y in pts:
            self.circle(x, y, w / 2, ink=ink)

    def arc(self, cx, cy, rx, ry, start, end, w=W, ink=ON, caps=True) -> None:
        """Arc of an ellipse; angles in degrees, 0 = east, growing clockwise."""
        self.d.arc(self._box(cx - rx, cy - ry, cx + rx, cy + ry), start, end, fill=ink, width=self._s(w))
        if caps:
            for a in (start, end):
                t = math.radians(a)
                self.circle(cx + rx * math.cos(t), cy + ry * math.sin(t), w / 2, ink=ink)

    def arrow(self, x0, y0, x1, y1, w=W, head=None, ink=ON) -> None:
        """A straight arrow from (x0, y0) with a solid head at (x1, y1)."""
        head = head or w * 2.4
        ang = math.atan2(y1 - y0, x1 - x0)
        bx, by = x1 - head * math.cos(ang), y1 - head * math.sin(ang)
        self.line([(x0, y0), (bx, by)], w=w, ink=ink, caps=False)
        self.circle(x0, y0, w / 2, ink=ink)
        px, py = -math.sin(ang), math.cos(ang)
        half = head * 0.62
        wing1, wing2 = (bx + px * half, by + py * half), (bx - px * half, by - py * half)
        self.poly([(x1, y1), wing1, wing2], ink=ink)

    def image(self) -> Image.Image:
        alpha = self.img.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
        out = Image.new("RGBA", (SIZE, SIZE), COLOUR + (0,))
        out.putalpha(alpha)
        return out


# ---------------------------------------------------------------- motifs


def cylinder(c: Canvas, x0, y0, x1, y1, eh=40.0, bands=2) -> None:
    """A solid database cylinder with the rim and bands cut out."""
    c.rect(x0, y0 + eh / 2, x1, y1 - eh / 2)
    c.ellipse(x0, y1 - eh, x1, y1)
    c.ellipse(x0, y0, x1, y0 + eh)
    cx, rx, ry = (x0 + x1) / 2, (x1 - x0) / 2, eh / 2
    c.arc(cx, y0 + eh / 2, rx - 1, ry, 0, 180, w=8, ink=OFF, caps=False)
    step = (y1 - y0 - eh) / (bands + 1)
    for i in range(1, bands + 1):
        c.arc(cx, y0 + eh / 2 + step * i, rx + 2, ry, 0, 180, w=8, ink=OFF, caps=False)


def badge(c: Canvas, cx, cy, r) -> None:
    """A solid disc with a transparent gap around it, for overlaying a symbol."""
    c.circle(cx, cy, r + 9, ink=OFF)
    c.circle(cx, cy, r)


def check(c: Canvas, cx, cy, s, w=W, ink=ON) -> None:
    c.line([(cx - s, cy), (cx - s * 0.3, cy + s * 0.7), (cx + s, cy - s * 0.7)], w=w, ink=ink)


def bolt(c: Canvas, cx, cy, s, ink=ON) -> None:
    shape = [(0.15, -1), (-0.55, 0.12), (-0.02, 0.12), (-0.2, 1), (0.55, -0.15), (0.02, -0.15)]
    c.poly([(cx + x * s, cy + y * s) for x, y in shape], ink=ink)


def sparkle(c: Canvas, cx, cy, s, ink=ON) -> None:
    """A four-pointed star with concave sides."""
    pts = []
    for i in range(16):
        a = math.radians(i * 22.5 - 90)
        k = i % 4
        r = s if k == 0 else (s * 0.22 if k == 2 else s * 0.3)
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    c.poly(pts, ink=ink)


def gear(c: Canvas, cx, cy, r, teeth=8, hole=0.42, ink=ON) -> None:
    pts = []
    n = teeth * 4
    for i in range(n):
        a = 2 * math.pi * (i + 0.5) / n
        rr = r if i % 4 in (0, 1) else r * 0.78
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    c.poly(pts, ink=ink)
    c.circle(cx, cy, r * hole, ink=OFF if ink == ON else ON)


def table(c: Canvas, x0, y0, x1, y1, rows=3, cols=3, w=12) -> None:
    """A grid with a solid header row."""
    c.rect(x0, y0, x1, y1, r=12, w=w)
    hh = (y1 - y0) / (rows + 1)
    c.rect(x0, y0, x1, y0 + hh, r=12)
    c.rect(x0, y0 + hh / 2, x1, y0 + hh)
    for i in range(2, rows + 1):
        y = y0 + hh * i
        c.line([(x0, y), (x1, y)], w=w * 0.75, caps=False)
    for j in range(1, cols):
        x = x0 + (x1 - x0) * j / cols
        c.line([(x, y0 + hh), (x, y1)], w=w * 0.75, caps=False)


def page(c: Canvas, x0, y0, x1, y1, fold=36, w=W) -> None:
    """A sheet of paper outline with a folded top-right corner."""
    c.outline([(x0, y0), (x1 - fold, y0), (x1, y0 + fold), (x1, y1), (x0, y1)], w=w)
    c.line([(x1 - fold, y0), (x1 - fold, y0 + fold), (x1, y0 + fold)], w=w * 0.8)


def cube(c: Canvas, cx, cy, s) -> None:
    """A solid isometric cube with its edges cut out."""
    h = s * 0.5
    top, left, right = (cx, cy - s), (cx - s * 0.87, cy - h), (cx + s * 0.87, cy - h)
    bl, br, bottom, mid = (cx - s * 0.87, cy + h), (cx + s * 0.87, cy + h), (cx, cy + s), (cx, cy)
    c.poly([top, right, br, bottom, bl, left])
    c.line([left, mid, right], w=7, ink=OFF, caps=False)
    c.line([mid, bottom], w=7, ink=OFF, caps=False)


def bubble(c: Canvas, x0, y0, x1, y1, r=34) -> None:
    """A solid speech bubble with a tail at the bottom left."""
    c.rect(x0, y0, x1, y1, r=r)
    c.poly([(x0 + 34, y1 - 10), (x0 + 22, y1 + 34), (x0 + 78, y1 - 10)])


def person(c: Canvas, cx, top, s) -> None:
    c.circle(cx, top + s * 0.42, s * 0.42)
    c.rect(cx - s * 0.85, top + s * 1.02, cx + s * 0.85, top + s * 2.1, r=s * 0.75)
    c.rect(cx - s * 0.85, top + s * 1.6, cx + s * 0.85, top + s * 2.1)


def wave(c: Canvas, x0, x1, y, amp, periods=1.5, w=W, ink=ON) -> None:
    n = 60
    pts = [(x0 + (x1 - x0) * i / n, y - amp * math.sin(2 * math.pi * periods * i / n)) for i in range(n + 1)]
    c.line(pts, w=w, ink=ink)


# ---------------------------------------------------------------- glyphs, one per kind


def _portal(c: Canvas) -> None:
    c.line([(64, 222), (64, 104)], w=20, caps=False)
    c.line([(192, 222), (192, 104)], w=20, caps=False)
    c.arc(128, 104, 64, 64, 180, 360, w=20, caps=False)
    c.rect(40, 214, 88, 232, r=6)
    c.rect(168, 214, 216, 232, r=6)


def g_api_gateway(c: Canvas) -> None:
    # an arched portal with a request passing through it
    _portal(c)
    c.line([(12, 150), (244, 150)], w=40, ink=OFF, caps=False)
    c.arrow(20, 150, 240, 150, w=16)


def g_load_balancer(c: Canvas) -> None:
    c.circle(56, 128, 30)
    for y in (52, 128, 204):
        c.line([(80, 128), (138, 128 + (y - 128) * 0.35), (192, y)], w=12, caps=False)
        c.arrow(168, y, 236, y, w=12)


def g_data_source(c: Canvas) -> None:
    cylinder(c, 56, 28, 200, 228, eh=48, bands=2)


def g_event_stream(c: Canvas) -> None:
    c.rect(16, 84, 204, 172, r=20, w=12)
    for i in range(4):
        x = 36 + i * 40
        c.rect(x, 104, x + 28, 152, r=6)
    c.arrow(196, 128, 244, 128, w=12, head=30)


def g_stream_processor(c: Canvas) -> None:
    # a stream with a processing window over part of it
    wave(c, 20, 236, 128, 40, periods=2)
    # Pillow strokes outlines inside the box, so the gap box is grown by half the gap
    c.rect(78, 30, 178, 226, r=20, w=24, ink=OFF)
    c.rect(84, 36, 172, 220, r=14, w=12)


def g_batch_etl(c: Canvas) -> None:
    for y in (150, 180, 210):
        c.rect(24, y, 176, y + 22, r=8)
    gear(c, 176, 80, 58, teeth=8)


def g_data_lake(c: Canvas) -> None:
    # a basin filled with water
    c.line([(24, 60), (52, 220), (204, 220), (232, 60)], w=W)
    for i, y in enumerate((110, 150, 188)):
        inset = 34 + i * 6
        wave(c, 24 + inset, 232 - inset, y, 8, periods=2, w=11)


def g_data_validation(c: Canvas) -> None:
    table(c, 20, 28, 196, 196, rows=3, cols=2)
    badge(c, 186, 186, 50)
    check(c, 186, 188, 24, w=14, ink=OFF)


def _tag(c: Canvas, cx, cy, s, angle=-45.0, ink=ON) -> None:
    pts = [(-1.0, 0.0), (-0.55, -0.5), (1.0, -0.5), (1.0, 0.5), (-0.55, 0.5)]
    a = math.radians(angle)
    ca, sa = math.cos(a), math.sin(a)
    rot = [(cx + s * (x * ca - y * sa), cy + s * (x * sa + y * ca)) for x, y in pts]
    c.poly(rot, ink=ink)
    hx, hy = -0.5, 0.0
    c.circle(cx + s * (hx * ca - hy * sa), cy + s * (hx * sa + hy * ca), s * 0.13, ink=OFF if ink == ON else ON)


def g_labeling(c: Canvas) -> None:
    _tag(c, 128, 128, 112, angle=-45)
    c.line([(110, 146), (160, 96)], w=10, ink=OFF)


def g_label_store(c: Canvas) -> None:
    cylinder(c, 28, 24, 164, 212, eh=44, bands=2)
    c.circle(184, 184, 64, ink=OFF)
    _tag(c, 186, 184, 58, angle=-45)


def g_graph_store(c: Canvas) -> None:
    nodes = [(60, 60), (196, 76), (128, 136), (52, 196), (200, 200)]
    for a, b in ((0, 2), (1, 2), (2, 3), (2, 4), (0, 1), (3, 4)):
        c.line([nodes[a], nodes[b]], w=10)
    for i, (x, y) in enumerate(nodes):
        c.circle(x, y, 34 if i == 2 else 26)


def g_document_parser(c: Canvas) -> None:
    page(c, 72, 56, 184, 200, fold=30, w=12)
    for y in (110, 136, 162):
        c.line([(96, y), (160, y)], w=10)
    # corner brackets of a scanner frame
    for x, y, dx, dy in ((24, 24, 1, 1), (232, 24, -1, 1), (24, 232, 1, -1), (232, 232, -1, -1)):
        c.line([(x, y + dy * 44), (x, y), (x + dx * 44, y)], w=W)


def g_chunker(c: Canvas) -> None:
    # a page cut into three pieces that drift apart
    for i, y in enumerate((28, 100, 172)):
        x = 44 + i * 22
        c.rect(x, y, x + 140, y + 58, r=10)
        c.line([(x + 20, y + 29), (x + 120 - i * 20, y + 29)], w=10, ink=OFF)


def g_feature_pipeline(c: Canvas) -> None:
    for y in (70, 128, 186):
        c.arrow(16, y, 100, y, w=12, head=26)
    c.line([(104, 40), (104, 216)], w=10)
    table(c, 124, 48, 240, 208, rows=3, cols=2, w=10)


def g_feature_store_offline(c: Canvas) -> None:
    table(c, 16, 28, 200, 204, rows=3, cols=3)
    badge(c, 188, 188, 52)
    c.line([(188, 160), (188, 190), (208, 204)], w=11, ink=OFF)


def g_feature_store_online(c: Canvas) -> None:
    table(c, 16, 28, 200, 204, rows=3, cols=3)
    badge(c, 188, 188, 52)
    bolt(c, 188, 188, 34, ink=OFF)


def g_embedding_service(c: Canvas) -> None:
    # an input square turned into a column vector
    c.rect(16, 92, 88, 164, r=10)
    c.arrow(98, 128, 146, 128, w=12, head=28)
    c.line([(172, 28), (160, 28), (160, 228), (172, 228)], w=10)
    c.line([(228, 28), (240, 28), (240, 228), (228, 228)], w=10)
    for i, frac in enumerate((0.95, 0.55, 0.8, 0.35)):
        y = 44 + i * 46
        c.rect(176, y, 176 + 48 * frac, y + 30, r=6)


def g_orchestrator(c: Canvas) -> None:
    boxes = {"a": (16, 106), "b": (108, 40), "c": (108, 172), "d": (200, 106)}
    s = 44
    for a, b in (("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")):
        (x0, y0), (x1, y1) = boxes[a], boxes[b]
        c.arrow(x0 + s, y0 + s / 2, x1 - 2, y1 + s / 2, w=10, head=24)
    for x, y in boxes.values():
        c.rect(x, y, x + s, y + s, r=10)


def g_hpo(c: Canvas) -> None:
    for x, y in ((60, 160), (128, 84), (196, 132)):
        c.line([(x, 28), (x, 228)], w=10)
        c.rect(x - 26, y - 18, x + 26, y + 18, r=10)


def g_experiment_tracking(c: Canvas) -> None:
    c.line([(28, 24), (28, 228), (236, 228)], w=W)
    runs = [[(56, 196), (104, 150), (152, 132), (210, 72)], [(56, 200), (104, 184), (152, 164), (210, 146)]]
    for pts in runs:
        c.line(pts, w=10)
        for x, y in pts:
            c.circle(x, y, 13)


def g_model_registry(c: Canvas) -> None:
    cube(c, 82, 128, 68)
    for y in (72, 128, 184):
        c.circle(168, y, 11)
        c.line([(192, y), (236, y)], w=12)


def g_evaluation_gate(c: Canvas) -> None:
    # two gate posts with a barrier bar and a pass mark
    c.rect(24, 40, 52, 232, r=8)
    c.rect(204, 40, 232, 232, r=8)
    c.rect(40, 64, 216, 88, r=8)
    check(c, 128, 158, 48, w=18)


def g_model_compression(c: Canvas) -> None:
    cube(c, 128, 128, 56)
    c.arrow(16, 128, 62, 128, w=12, head=26)
    c.arrow(240, 128, 194, 128, w=12, head=26)
    c.arrow(128, 16, 128, 62, w=12, head=26)
    c.arrow(128, 240, 128, 194, w=12, head=26)


def g_llm_eval(c: Canvas) -> None:
    # a clipboard with a sparkle and ticked lines
    c.rect(36, 36, 220, 236, r=18, w=W)
    c.rect(92, 20, 164, 52, r=10)
    sparkle(c, 128, 100, 34)
    for y in (158, 200):
        check(c, 76, y, 14, w=10)
        c.line([(108, y), (188, y)], w=10)


def g_inference_server(c: Canvas) -> None:
    # a small neural network inside a server frame
    c.rect(16, 28, 240, 228, r=24, w=W)
    layers = [[(64, 96), (64, 160)], [(128, 72), (128, 128), (128, 184)], [(192, 128)]]
    for la, lb in itertools.pairwise(layers):
        for a in la:
            for b in lb:
                c.line([a, b], w=7, caps=False)
    for layer in layers:
        for x, y in layer:
            c.circle(x, y, 17)


def g_batch_scoring(c: Canvas) -> None:
    # a score dial above a stack of records
    c.arc(128, 118, 92, 92, 180, 360, w=18, caps=True)
    c.line([(128, 118), (184, 66)], w=12)
    c.circle(128, 118, 16)
    for y in (152, 184, 216):
        c.rect(36, y, 220, y + 20, r=8)


def g_vector_index(c: Canvas) -> None:
    # stored vectors, a query point and the circle of its nearest neighbours
    far = [(36, 48), (96, 28), (212, 40), (232, 132), (28, 150), (56, 222), (200, 224)]
    near = [(104, 114), (158, 116), (108, 164), (156, 162)]
    for x, y in far + near:
        c.circle(x, y, 13)
    c.circle(130, 138, 66, w=10)
    c.circle(130, 138, 16)
    c.circle(130, 138, 7, ink=OFF)


def g_search_index(c: Canvas) -> None:
    for i, y in enumerate((40, 80, 120, 160)):
        c.line([(24, y), (200 - (i % 2) * 50, y)], w=12)
    c.circle(150, 150, 56, ink=OFF)
    c.circle(150, 150, 46, w=W)
    c.line([(184, 184), (228, 228)], w=22)


def g_candidate_generation(c: Canvas) -> None:
    items = [(40, 28), (84, 20), (128, 32), (172, 22), (216, 30), (62, 60), (150, 58), (194, 62)]
    for x, y in items:
        c.circle(x, y, 11)
    c.poly([(20, 88), (236, 88), (150, 168), (150, 232), (106, 206), (106, 168)])


def g_ranking_service(c: Canvas) -> None:
    for i, length in enumerate((150, 112, 74)):
        y = 44 + i * 66
        c.rect(20, y, 62, y + 42, r=10)
        c.rect(76, y, 76 + length, y + 42, r=10)
    c.arrow(232, 36, 232, 220, w=12, head=30)


def g_reranker(c: Canvas) -> None:
    for i, length in enumerate((120, 96, 120)):
        y = 44 + i * 66
        c.rect(20, y, 20 + length, y + 42, r=10)
    # a pair of swap arrows
    c.arrow(180, 200, 180, 52, w=12, head=28)
    c.arrow(224, 52, 224, 200, w=12, head=28)


def g_rules_engine(c: Canvas) -> None:
    # a decision with three outcomes
    c.poly([(128, 20), (204, 96), (128, 172), (52, 96)])
    c.circle(128, 96, 14, ink=OFF)
    c.line([(52, 96), (28, 96), (28, 200)], w=12)
    c.line([(204, 96), (228, 96), (228, 200)], w=12)
    for x in (28, 128, 228):
        c.arrow(x, 170 if x != 128 else 172, x, 240, w=12, head=28)


def g_cache(c: Canvas) -> None:
    # a memory chip with a lightning bolt
    c.rect(52, 52, 204, 204, r=20)
    for i in range(4):
        x = 72 + i * 37.5
        c.rect(x - 7, 20, x + 7, 52, r=4)
        c.rect(x - 7, 204, x + 7, 236, r=4)
        c.rect(20, x - 7, 52, x + 7, r=4)
        c.rect(204, x - 7, 236, x + 7, r=4)
    bolt(c, 128, 128, 56, ink=OFF)


def g_prediction_store(c: Canvas) -> None:
    cylinder(c, 28, 24, 164, 212, eh=44, bands=2)
    badge(c, 186, 186, 56)
    c.circle(186, 186, 36, w=10, ink=OFF)
    c.circle(186, 186, 13, ink=OFF)


def g_ab_testing(c: Canvas) -> None:
    # traffic splitting into two variants
    c.line([(128, 236), (128, 160)], w=W)
    c.line([(128, 160), (60, 96)], w=W)
    c.line([(128, 160), (196, 96)], w=W)
    c.circle(56, 62, 42)
    c.circle(200, 62, 36, w=W)


def g_prompt_builder(c: Canvas) -> None:
    # a template whose slots are being filled
    c.rect(20, 28, 236, 228, r=18, w=W)
    rows = [((48, 120), (136, 208)), ((48, 90), (106, 208)), ((48, 150), (166, 208))]
    for i, (solid, slot) in enumerate(rows):
        y = 64 + i * 50
        c.rect(solid[0], y, solid[1], y + 26, r=13)
        if i == 1:
            c.rect(slot[0], y, slot[1], y + 26, r=13, w=8)
        else:
            c.rect(slot[0], y, slot[1], y + 26, r=13)


def g_guardrails(c: Canvas) -> None:
    c.poly([(128, 16), (224, 52), (220, 124), (200, 178), (128, 240), (56, 178), (36, 124), (32, 52)])
    check(c, 128, 124, 46, w=20, ink=OFF)


def g_llm_gateway(c: Canvas) -> None:
    _portal(c)
    sparkle(c, 128, 146, 50)


def g_llm(c: Canvas) -> None:
    bubble(c, 16, 28, 240, 196)
    sparkle(c, 128, 112, 62, ink=OFF)


def g_monitoring(c: Canvas) -> None:
    c.rect(16, 28, 240, 184, r=16, w=W)
    c.line([(40, 110), (86, 110), (108, 62), (140, 158), (162, 92), (178, 110), (216, 110)], w=12)
    c.rect(112, 184, 144, 220)
    c.rect(72, 214, 184, 232, r=8)


def g_drift_detection(c: Canvas) -> None:
    # the same distribution before and after a shift
    def bell(cx, sigma, h):
        return [(cx + x, 212 - h * math.exp(-((x / sigma) ** 2) / 2)) for x in range(-90, 91, 6)]

    c.poly([(20, 218)] + [p for p in bell(92, 28, 150) if p[0] >= 20] + [(182, 218)])
    c.line([p for p in bell(164, 28, 150) if p[0] <= 236], w=11)
    c.line([(12, 220), (244, 220)], w=10)
    c.arrow(92, 30, 170, 30, w=12, head=28)


def g_logging(c: Canvas) -> None:
    # a terminal window full of log lines
    c.rect(16, 28, 240, 228, r=18, w=W)
    c.rect(16, 28, 240, 68, r=18)
    c.rect(16, 50, 240, 68)
    for i, length in enumerate((130, 96, 150, 80)):
        y = 96 + i * 34
        c.circle(48, y, 8)
        c.line([(70, y), (70 + length, y)], w=11)


def g_human_review(c: Canvas) -> None:
    person(c, 100, 24, 76)
    badge(c, 196, 186, 46)
    check(c, 196, 188, 22, w=13, ink=OFF)


GLYPHS: dict[str, Callable[[Canvas], None]] = {
    name.removeprefix("g_").replace("_", "-") + ".png": fn
    for name, fn in sorted(globals().items())
    if name.startswith("g_") and callable(fn)
}


def render(fn: Callable[[Canvas], None]) -> Image.Image:
    c = Canvas()
    fn(c)
    return c.image()


def preview(images: dict[str, Image.Image], path: pathlib.Path) -> None:
    """A contact sheet on a light and a dark background, for eyeballing."""
    cell, cols = 112, 8
    rows = (len(images) + cols - 1) // cols
    sheet = Image.new("RGB", (cols * cell * 2, rows * (cell + 14)), "white")
    d = ImageDraw.Draw(sheet)
    d.rectangle((cols * cell, 0, 2 * cols * cell, sheet.height), fill=(0x26, 0x32, 0x38))
    for i, (name, img) in enumerate(images.items()):
        small = img.resize((96, 96), Image.Resampling.LANCZOS)
        x, y = (i % cols) * cell, (i // cols) * (cell + 14)
        for off in (0, cols * cell):
            sheet.paste(small, (x + off + 8, y + 4), small)
        d.text((x + 4, y + cell - 6), name[:-4][:18], fill="black")
    sheet.save(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=pathlib.Path, default=OUT_DIR)
    ap.add_argument("--preview", type=pathlib.Path, help="also write a contact sheet here")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    images = {name: render(fn) for name, fn in GLYPHS.items()}
    for name, img in images.items():
        img.save(args.out / name, format="PNG", optimize=True)
    if args.preview:
        preview(images, args.preview)
    print(f"wrote {len(images)} glyphs to {args.out}")


if __name__ == "__main__":
    main()
