"""Does each picture read on a slide? A layout-quality report for Graphviz SVGs.

Run:  .venv/bin/python tools/layout_quality.py [SVG_OR_DIR ...] [--specs specs] [--json] [--fail]
Default: every *.svg directly in output/ (not output/dark/ nor output/diff/).

Units. Graphviz writes `width`/`height` in pt and the `viewBox` in points, and
draws inside a top group whose `transform` may scale. A CSS px is 1/96 in and
a pt 1/72 in, so 1 pt = 96/72 px; the drawing's px size at 96 dpi is the
viewBox size times that (or width/viewBox when `width` is not in pt). On a
slide the drawing is fitted into 1920x1080 px keeping its aspect,
fit = min(1920 / width_px, 1080 / height_px), and a label shows at
font-size x transform scale x px-per-viewBox-unit x fit px. The pt/px choice
cancels out of that product; it only matters for the reported size.
Distances are measured in the drawing's own units (pt for Graphviz).

Per picture, and overall (median of the per-picture medians, minimum of the
minima, totals):
1. node- and edge-label px on the slide, median and minimum;
2. crossings: edge paths sampled to polylines (16 points a curve); proper
   intersections between different edges, and X-crossings at a point both pass
   through (Graphviz often routes two splines through one knot), not counting
   those within 8 px of where either edge ends at a node the two share;
3. edge labels "away": a label's box is estimated (0.6 em a character, 1 em
   high, its centre 0.35 em above the baseline, placed by text-anchor); it is
   away when the gap between the box and its own edge exceeds
   max(1.5 x font-size, 12 pt), or another edge is nearer (by gap, then by
   distance to the box centre). The gap, not the centre distance, is compared
   with the limit because a long label set beside a steep edge has its centre
   half its width from the edge yet reads as that edge's label;
4. broken words: a word of the component's label or tech whose letters run on
   across a line break not after '-', '/' or '_' (needs the spec:
   NAME.svg and NAME.VIEW.svg are drawn from SPECS/NAME.yaml);
5. size in px at 96 dpi and aspect ratio.
With --fail, exit 1 when any one picture misses a threshold (the px thresholds
apply to node labels).
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import math
import statistics
import sys
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path

SVG = "{http://www.w3.org/2000/svg}"
SLIDE_W, SLIDE_H = 1920, 1080
PX_PER_PT = 96 / 72
UNIT_PX = {"pt": PX_PER_PT, "px": 1.0, "": 1.0, "in": 96.0, "pc": 16.0, "cm": 96 / 2.54, "mm": 96 / 25.4}
SAMPLES = 16  # polyline points per curve segment
END_TOL_PX = 8  # crossings this close to a shared endpoint (px at 96 dpi) are where edges meet
CHAR_EM = 0.6  # estimated advance of a character, in ems
EPS = 1e-6  # points closer than this (drawing units) are one point
BREAK_OK = "-/_\u2010\u00ad"  # a line ending in one of these may split a word

Point = tuple[float, float]
Segment = tuple[Point, Point]


@dataclass
class Picture:
    """What the report says about one SVG."""

    name: str
    width_px: float
    height_px: float
    aspect: float
    fit: float
    node_px: list[float] = field(default_factory=list, repr=False)
    edge_px: list[float] = field(default_factory=list, repr=False)
    node_px_median: float | None = None
    node_px_min: float | None = None
    edge_px_median: float | None = None
    edge_px_min: float | None = None
    edges: int = 0
    crossings: int = 0
    crossings_per_edge: float = 0.0
    edge_labels: int = 0
    away: int = 0
    away_pct: float = 0.0
    away_labels: list[str] = field(default_factory=list)
    broken: int | None = None  # None: no spec to compare with
    broken_words: list[str] = field(default_factory=list)


# --- geometry -----------------------------------------------------------------


def _numbers_and_commands(d: str) -> list[str | float]:
    """Tokenise SVG path data into command letters and numbers."""
    tokens: list[str | float] = []
    i, n = 0, len(d)
    while i < n:
        c = d[i]
        if c.isalpha() and c not in "eE":
            tokens.append(c)
            i += 1
        elif c.isdigit() or c in "+-.":
            j, seen_dot = i + 1 if c in "+-" else i, False
            while j < n and (d[j].isdigit() or (d[j] == "." and not seen_dot)):
                seen_dot = seen_dot or d[j] == "."
                j += 1
            if j < n and d[j] in "eE" and j + 1 < n and (d[j + 1].isdigit() or d[j + 1] in "+-"):
                j += 2
                while j < n and d[j].isdigit():
                    j += 1
            tokens.append(float(d[i:j]))
            i = j
        else:  # separators: spaces and commas
            i += 1
    return tokens


def _bezier(points: list[Point], samples: int) -> list[Point]:
    """Points along a Bézier curve of any degree, without its first point."""
    out = []
    for k in range(1, samples + 1):
        t, pts = k / samples, points
        while len(pts) > 1:
            pts = [(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t) for a, b in itertools.pairwise(pts)]
        out.append(pts[0])
    return out


def path_polylines(d: str, samples: int = SAMPLES) -> list[list[Point]]:
    """Sample path data (M, L, H, V, C, S, Q, Z; absolute or relative) into polylines."""
    tokens, i = _numbers_and_commands(d), 0
    lines: list[list[Point]] = []
    cur: Point = (0.0, 0.0)
    start, last_ctrl, cmd = cur, None, ""
    arity = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "Z": 0}
    while i < len(tokens):
        if isinstance(tokens[i], str):
            cmd, i = str(tokens[i]), i + 1
        elif not cmd:
            raise ValueError(f"path data starts with a number: {d[:40]!r}")
        up = cmd.upper()
        if up not in arity:
            raise ValueError(f"unsupported path command {cmd!r}")
        args = [float(t) for t in tokens[i : i + arity[up]]]
        if len(args) < arity[up] or any(isinstance(t, str) for t in tokens[i : i + arity[up]]):
            raise ValueError(f"too few numbers after {cmd!r}")
        i += arity[up]
        dx, dy = cur if cmd.islower() else (0.0, 0.0)
        pts = [(args[k] + dx, args[k + 1] + dy) for k in range(0, len(args) - 1, 2)]
        ctrl = None
        if up == "M":
            cur = start = pts[0]
            lines.append([cur])
            cmd = "l" if cmd == "m" else "L"  # further pairs are lines
            continue
        if not lines:
            lines.append([cur])
        if up == "Z":
            new = [start]
        elif up == "L":
            new = pts
        elif up in "HV":
            x, y = cur
            v = args[0] + (dx if up == "H" else dy)
            new = [(v, y) if up == "H" else (x, v)]
        elif up == "S":
            first = (2 * cur[0] - last_ctrl[0], 2 * cur[1] - last_ctrl[1]) if last_ctrl else cur
            new, ctrl = _bezier([cur, first, *pts], samples), pts[0]
        else:  # C, Q
            new, ctrl = _bezier([cur, *pts], samples), pts[-2]
        lines[-1].extend(new)
        cur, last_ctrl = lines[-1][-1], ctrl
    return lines


def _cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def proper_intersection(s: Segment, t: Segment) -> Point | None:
    """The point where two segments cross properly (not touching, not collinear), else None."""
    (p, q), (r, u) = s, t
    d1, d2, d3, d4 = _cross(r, u, p), _cross(r, u, q), _cross(p, q, r), _cross(p, q, u)
    if d1 * d2 >= 0 or d3 * d4 >= 0:
        return None
    k = d1 / (d1 - d2)
    return (p[0] + (q[0] - p[0]) * k, p[1] + (q[1] - p[1]) * k)


def crosses_at(v: Point, a_prev: Point, a_next: Point, b_prev: Point, b_next: Point) -> bool:
    """Whether line b passes from one side of line a to the other at v, where both pass through v.

    True when b's two directions from v separate a's two (an X); a fork, a merge
    or a shared stretch (a direction in common) is not a crossing."""
    if min(math.dist(v, p) for p in (a_prev, a_next, b_prev, b_next)) <= EPS:
        return False
    a0, a1, b0, b1 = (math.atan2(p[1] - v[1], p[0] - v[0]) for p in (a_prev, a_next, b_prev, b_next))
    if len({round(x % math.tau, 9) for x in (a0, a1, b0, b1)}) < 4:
        return False
    return ((b0 - a0) % math.tau < (a1 - a0) % math.tau) != ((b1 - a0) % math.tau < (a1 - a0) % math.tau)


def point_segment_distance(p: Point, s: Segment) -> float:
    (ax, ay), (bx, by) = s
    vx, vy = bx - ax, by - ay
    length2 = vx * vx + vy * vy
    k = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - ax) * vx + (p[1] - ay) * vy) / length2))
    return math.hypot(p[0] - ax - k * vx, p[1] - ay - k * vy)


def distance_to(p: Point, segments: list[Segment]) -> float:
    return min((point_segment_distance(p, s) for s in segments), default=math.inf)


@dataclass
class Edge:
    """An edge: its end nodes, its path as polylines, its label's text elements."""

    tail: str
    head: str
    lines: list[list[Point]]
    labels: list[ET.Element]

    @property
    def segments(self) -> list[Segment]:
        return [(a, b) for line in self.lines for a, b in itertools.pairwise(line)]


Run = tuple[tuple[float, float, float, float], list[Point], int, int]


def _runs(lines: list[list[Point]]) -> list[Run]:
    """Stretches of SAMPLES segments (bounding box, polyline, first and last vertex index), to skip far pairs."""
    out = []
    for line in lines:
        for k in range(0, len(line) - 1, SAMPLES):
            part = line[k : k + SAMPLES + 1]
            xs, ys = [p[0] for p in part], [p[1] for p in part]
            out.append(((min(xs), min(ys), max(xs), max(ys)), line, k, k + len(part) - 1))
    return out


def _meetings(run_a: Run, run_b: Run) -> list[Point]:
    """Where two stretches cross: proper segment intersections, and crossings at a
    vertex of one lying on the other (Graphviz often routes two edges through one point)."""
    (box_a, la, ia, ja), (box_b, lb, ib, jb) = run_a, run_b
    out = [
        p
        for i in range(ia, ja)
        for j in range(ib, jb)
        if (p := proper_intersection((la[i], la[i + 1]), (lb[j], lb[j + 1]))) is not None
    ]
    for (l1, i1, j1), (l2, i2, j2, box) in (((la, ia, ja), (lb, ib, jb, box_b)), ((lb, ib, jb), (la, ia, ja, box_a))):
        for i in range(max(i1, 1), min(j1, len(l1) - 2) + 1):  # not a line's ends: they are at nodes
            v = l1[i]
            if not _overlap((v[0] - EPS, v[1] - EPS, v[0] + EPS, v[1] + EPS), box):
                continue
            for j in range(i2, j2):
                start, end = l2[j], l2[j + 1]
                if point_segment_distance(v, (start, end)) > EPS or math.dist(v, end) <= EPS:
                    continue  # a vertex on the segment's end is seen as the next segment's start
                prev = l2[j - 1] if math.dist(v, start) <= EPS and j > 0 else start
                if crosses_at(v, l1[i - 1], l1[i + 1], prev, end):
                    out.append(v)
    return out


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def crossings(edges: list[Edge], tol: float) -> list[Point]:
    """Points where two different edges cross, merged when closer than tol / 2, and
    left out within tol of where either edge ends at a node the two share."""
    runs = {id(e): _runs(e.lines) for e in edges}
    found: list[Point] = []
    for ea, eb in itertools.combinations(edges, 2):
        shared = {ea.tail, ea.head} & {eb.tail, eb.head}
        ends = [e.lines[0][0] if e.tail == n else e.lines[-1][-1] for e in (ea, eb) for n in shared if e.lines]
        points: list[Point] = []
        for run_a in runs[id(ea)]:
            for run_b in runs[id(eb)]:
                if not _overlap(run_a[0], run_b[0]):
                    continue
                for p in _meetings(run_a, run_b):
                    if all(math.dist(p, q) > tol for q in ends) and all(math.dist(p, q) > tol / 2 for q in points):
                        points.append(p)
        found += points
    return found


# --- reading the SVG ----------------------------------------------------------


def _length_px(value: str | None) -> float | None:
    if not value:
        return None
    number = value.rstrip("abcdefghijklmnopqrstuvwxyz%")
    unit = value[len(number) :]
    return float(number) * UNIT_PX[unit] if unit in UNIT_PX else None


def _scale_of(transform: str) -> float:
    """The x scale of a `transform` attribute value such as 'scale(1 1) rotate(0) translate(4 4)'."""
    _, _, rest = transform.partition("scale(")
    if not rest:
        return 1.0
    return float(rest.split(")")[0].replace(",", " ").split()[0])


def _font(text: ET.Element) -> float:
    return float(text.get("font-size") or 14.0)  # Graphviz's default font size


def _ends(title: str, nodes: set[str]) -> tuple[str, str]:
    """Tail and head node ids from an edge title 'tail->head' (ports dropped)."""
    for sep in ("->", "--"):
        start = title.find(sep)
        while start >= 0:
            tail, head = title[:start].split(":")[0], title[start + 2 :].split(":")[0]
            if tail in nodes and head in nodes:
                return tail, head
            start = title.find(sep, start + 1)
    tail, _, head = title.partition("->")
    return tail, head


def label_box(texts: list[ET.Element]) -> tuple[float, float, float, float]:
    """Estimated box (x0, y0, x1, y1) of a text block: 0.6 em a character, 1 em high around y - 0.35 em."""
    boxes = []
    for text in texts:
        size, x, y = _font(text), float(text.get("x", 0)), float(text.get("y", 0))
        width = CHAR_EM * size * len(text.text or "")
        x0 = x - {"start": 0.0, "middle": 0.5, "end": 1.0}.get(text.get("text-anchor", "start"), 0.0) * width
        boxes.append((x0, y - 0.85 * size, x0 + width, y + 0.15 * size))
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)


def box_gap(box: tuple[float, float, float, float], segments: list[Segment]) -> float:
    """Distance from a box to a polyline, 0 when the polyline enters it."""
    x0, y0, x1, y1 = box
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    sides = list(itertools.pairwise([*corners, corners[0]]))

    def bound(s: Segment) -> float:  # the gap to the segment's bounding box: never more than the gap to it
        (ax, ay), (bx, by) = s
        return math.hypot(max(min(ax, bx) - x1, 0, x0 - max(ax, bx)), max(min(ay, by) - y1, 0, y0 - max(ay, by)))

    best = math.inf
    for low, s in sorted(((bound(s), s) for s in segments), key=lambda pair: pair[0]):
        if low >= best:
            break
        if any(x0 <= p[0] <= x1 and y0 <= p[1] <= y1 for p in s) or any(proper_intersection(s, t) for t in sides):
            return 0.0
        best = min(best, *(point_segment_distance(c, s) for c in corners))
        best = min(best, *(math.hypot(max(x0 - p[0], 0, p[0] - x1), max(y0 - p[1], 0, p[1] - y1)) for p in s))
    return best


def _text_lines(group: ET.Element) -> list[str]:
    """A node's label lines: its texts in document order, texts on one baseline joined."""
    lines: list[tuple[str | None, str]] = []
    for text in group.iter(SVG + "text"):
        content = "".join(text.itertext())
        if lines and lines[-1][0] == text.get("y"):
            lines[-1] = (text.get("y"), lines[-1][1] + content)
        else:
            lines.append((text.get("y"), content))
    return [line for _, line in lines if line.strip()]


def _letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def broken_words(lines: list[str], words: list[str]) -> list[str]:
    """Words of `words` whose letters run across a line break not after '-', '/' or '_'."""
    pieces: list[tuple[str, bool]] = []  # (token, starts a line)
    for line in lines:
        pieces += [(token, k == 0) for k, token in enumerate(line.split())]
    keys = {_letters(w): w for w in words if len(_letters(w)) >= 2}
    found = []
    for k in range(len(pieces)):
        joined = pieces[k][0]
        for m in range(k + 1, len(pieces)):
            if not pieces[m][1] or not _letters(pieces[m][0]) or not _letters(pieces[k][0]):
                break
            joined += pieces[m][0]
            key = _letters(joined)
            if key in keys and not all(pieces[j][0].endswith(tuple(BREAK_OK)) for j in range(k, m)):
                found.append(keys[key])
    return found


# Classes of what a picture draws beside the design itself: legends.
_LEGEND_CLASSES = frozenset({"mlsd_legend", "diff-legend"})


def _drawn_part(group: ET.Element, kind: str) -> bool:
    """Whether a group is a node (or edge) of the design: of that class, and not a legend's."""
    classes = set((group.get("class") or "").split())
    return kind in classes and not classes & _LEGEND_CLASSES


def analyse(path: Path, specs: Path | None = None) -> Picture:
    """Read one Graphviz SVG and measure it."""
    root = ET.parse(path).getroot()
    vb = [float(v) for v in root.get("viewBox", "0 0 0 0").replace(",", " ").split()]
    if len(vb) != 4 or vb[2] <= 0 or vb[3] <= 0:
        raise ValueError("no usable viewBox")
    vb_w, vb_h = vb[2], vb[3]
    width = root.get("width", "")
    px_per_unit = PX_PER_PT if width.endswith("pt") or not width else (_length_px(width) or vb_w) / vb_w
    width_px, height_px = vb_w * px_per_unit, vb_h * px_per_unit
    fit = min(SLIDE_W / width_px, SLIDE_H / height_px)
    top = root.find(SVG + "g")
    unit_px = px_per_unit * _scale_of(top.get("transform", "") if top is not None else "")
    pic = Picture(path.stem, round(width_px, 1), round(height_px, 1), round(width_px / height_px, 3), round(fit, 4))

    groups = list(root.iter(SVG + "g"))
    node_groups = [g for g in groups if _drawn_part(g, "node")]
    nodes = {(g.findtext(SVG + "title") or "") for g in node_groups}
    edges = []
    for g in groups:
        if not _drawn_part(g, "edge"):
            continue
        tail, head = _ends(g.findtext(SVG + "title") or "", nodes)
        lines = [pl for p in g.iter(SVG + "path") for pl in path_polylines(p.get("d", ""))]
        texts = [t for t in g.iter(SVG + "text") if (t.text or "").strip()]
        edges.append(Edge(tail, head, lines, texts))

    # 1. label size on the slide
    px = fit * unit_px
    pic.node_px = [round(_font(t) * px, 2) for g in node_groups for t in g.iter(SVG + "text") if (t.text or "").strip()]
    pic.edge_px = [round(_font(t) * px, 2) for e in edges for t in e.labels]
    for kind in ("node", "edge"):
        values = getattr(pic, f"{kind}_px")
        if values:
            setattr(pic, f"{kind}_px_median", round(statistics.median(values), 2))
            setattr(pic, f"{kind}_px_min", min(values))

    # 2. crossings between different edges, away from the nodes they share
    pic.crossings = len(crossings(edges, END_TOL_PX / unit_px))
    pic.edges = len(edges)
    pic.crossings_per_edge = round(pic.crossings / len(edges), 3) if edges else 0.0

    # 3. edge labels away from their own edge: the gap between the label's box and
    # the edge decides; between edges that both touch the box, the nearer to its centre
    for e in edges:
        if not e.labels or not e.segments:
            continue
        box = label_box(e.labels)
        centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        own = (box_gap(box, e.segments), distance_to(centre, e.segments))
        other = min(
            ((box_gap(box, o.segments), distance_to(centre, o.segments)) for o in edges if o is not e), default=None
        )
        limit = max(1.5 * max(_font(t) for t in e.labels), 12 * PX_PER_PT / unit_px)
        pic.edge_labels += 1
        text = " ".join(t.text or "" for t in e.labels)
        if own[0] > limit:
            pic.away_labels.append(f"{text} ({own[0]:.0f} from its edge)")
        elif other is not None and other < own:
            pic.away_labels.append(f"{text} (another edge nearer)")
    pic.away = len(pic.away_labels)
    pic.away_pct = round(100 * pic.away / pic.edge_labels, 1) if pic.edge_labels else 0.0

    # 4. words broken across label lines
    spec = _spec_for(path, specs)
    if spec is not None:
        pic.broken_words = []
        for g in node_groups:
            cid = g.findtext(SVG + "title") or ""
            if cid not in spec.components:
                continue
            written = spec.components[cid].tech or ""
            known = tech_named(written) if written else None
            # The picture shows a known tech by its display name ("NeMo Guardrails").
            words = spec.label(cid).split() + (known.label if known else written).split()
            pic.broken_words += [f"{cid}: {w}" for w in broken_words(_text_lines(g), words)]
        pic.broken = len(pic.broken_words)
    return pic


def _spec_for(svg: Path, specs: Path | None):
    """The Design an SVG was drawn from: NAME.yaml for NAME.svg or NAME.VIEW.svg."""
    name = svg.stem
    while specs is not None:
        candidate = specs / f"{name}.yaml"
        if candidate.is_file():
            return _load(str(candidate))
        if "." not in name:
            break
        name = name.rsplit(".", 1)[0]
    return None


def tech_named(name: str):
    """The known tech a spec names, for its display name; None when mlsd does not know it."""
    from mlsd.catalogue import tech

    return tech(name)


@functools.cache
def _load(path: str):
    import mlsd

    try:
        return mlsd.load_spec(path)
    except Exception as exc:  # a broken spec must not stop the report
        print(f"warning: {path}: {exc}", file=sys.stderr)
        return None


# --- report ---------------------------------------------------------------------


def overall(pictures: list[Picture]) -> dict:
    """Across pictures: median of the per-picture medians, minimum of the minima, totals."""

    def med(values):
        values = [v for v in values if v is not None]
        return round(statistics.median(values), 2) if values else None

    edges = sum(p.edges for p in pictures)
    labels = sum(p.edge_labels for p in pictures)
    checked = [p for p in pictures if p.broken is not None]
    return {
        "pictures": len(pictures),
        "node_px_median": med(p.node_px_median for p in pictures),
        "node_px_min": min((p.node_px_min for p in pictures if p.node_px_min is not None), default=None),
        "edge_px_median": med(p.edge_px_median for p in pictures),
        "edge_px_min": min((p.edge_px_min for p in pictures if p.edge_px_min is not None), default=None),
        "edges": edges,
        "crossings": sum(p.crossings for p in pictures),
        "crossings_per_edge": round(sum(p.crossings for p in pictures) / edges, 3) if edges else 0.0,
        "edge_labels": labels,
        "away": sum(p.away for p in pictures),
        "away_pct": round(100 * sum(p.away for p in pictures) / labels, 1) if labels else 0.0,
        "broken": sum(p.broken or 0 for p in checked) if checked else None,
    }


def _fmt(value) -> str:
    return "-" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def text_report(pictures: list[Picture], total: dict) -> str:
    head = ("picture", "size px", "aspect", "node px med/min", "edge px med/min", "cross", "/edge", "away", "broken")
    rows = [
        (
            p.name,
            f"{p.width_px:.0f}x{p.height_px:.0f}",
            f"{p.aspect:.2f}",
            f"{_fmt(p.node_px_median)}/{_fmt(p.node_px_min)}",
            f"{_fmt(p.edge_px_median)}/{_fmt(p.edge_px_min)}",
            str(p.crossings),
            f"{p.crossings_per_edge:.2f}",
            f"{p.away}/{p.edge_labels} ({p.away_pct:g}%)",
            _fmt(p.broken),
        )
        for p in pictures
    ]
    widths = [max(len(r[k]) for r in [head, *rows]) for k in range(len(head))]
    out = [
        "  ".join(c.ljust(w) if k == 0 else c.rjust(w) for k, (c, w) in enumerate(zip(r, widths, strict=True)))
        for r in [head, *rows]
    ]
    out.append(
        f"overall: {total['pictures']} pictures; node label px median {_fmt(total['node_px_median'])}, "
        f"min {_fmt(total['node_px_min'])}; edge label px median {_fmt(total['edge_px_median'])}, "
        f"min {_fmt(total['edge_px_min'])}; {total['crossings']} crossings "
        f"({total['crossings_per_edge']:g}/edge); {total['away']}/{total['edge_labels']} edge labels away "
        f"({total['away_pct']:g}%); {_fmt(total['broken'])} broken words"
    )
    worst = sorted((p for p in pictures if p.node_px_median is not None), key=lambda p: p.node_px_median)[:5]
    out.append("smallest median node label: " + ", ".join(f"{p.name} {p.node_px_median:g}px" for p in worst))
    for p in pictures:
        if p.broken_words:
            out.append(f"broken in {p.name}: " + "; ".join(p.broken_words))
    return "\n".join(out)


def failures(pictures: list[Picture], args: argparse.Namespace) -> list[str]:
    """Each picture that misses a threshold, with why."""
    out = []
    for p in pictures:
        if p.node_px_median is not None and p.node_px_median < args.min_median_px:
            out.append(f"{p.name}: median node label {p.node_px_median:g}px < {args.min_median_px:g}")
        if p.node_px_min is not None and p.node_px_min < args.min_px:
            out.append(f"{p.name}: smallest node label {p.node_px_min:g}px < {args.min_px:g}")
        if p.away_pct > args.max_away_pct:
            out.append(f"{p.name}: {p.away_pct:g}% edge labels away > {args.max_away_pct:g}%")
        if p.broken is not None and p.broken > args.max_broken:
            out.append(f"{p.name}: {p.broken} broken words > {args.max_broken}")
    return out


def svg_files(paths: list[str]) -> list[Path]:
    """SVGs named, and *.svg directly inside directories named (default: output/)."""
    found: list[Path] = []
    for name in paths or ["output"]:
        path = Path(name)
        found += sorted(path.glob("*.svg")) if path.is_dir() else [path]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", metavar="SVG_OR_DIR", help="default: *.svg directly in output/")
    parser.add_argument("--specs", default="specs", help="spec folder, for broken words ('' to skip)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--fail", action="store_true", help="exit 1 when a picture misses a threshold")
    parser.add_argument(
        "--min-median-px", type=float, default=12.0, help="with --fail: least median node-label px (12)"
    )
    parser.add_argument("--min-px", type=float, default=10.0, help="with --fail: least node-label px (10)")
    parser.add_argument("--max-away-pct", type=float, default=3.0, help="with --fail: most %% of edge labels away (3)")
    parser.add_argument("--max-broken", type=int, default=0, help="with --fail: most broken words (0)")
    args = parser.parse_args(argv)
    specs = Path(args.specs) if args.specs and Path(args.specs).is_dir() else None
    pictures = []
    for path in svg_files(args.paths):
        try:
            pictures.append(analyse(path, specs))
        except (OSError, ET.ParseError, ValueError) as exc:
            print(f"warning: {path} skipped: {exc}", file=sys.stderr)
    total = overall(pictures)
    failed = failures(pictures, args) if args.fail else []
    if args.json:
        data = [{k: v for k, v in asdict(p).items() if k not in ("node_px", "edge_px")} for p in pictures]
        print(json.dumps({"pictures": data, "overall": total, "failures": failed}, indent=2, ensure_ascii=False))
    else:
        print(text_report(pictures, total))
        for line in failed:
            print("FAIL " + line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
