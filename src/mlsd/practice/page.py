"""The practice page (one self-contained HTML file) and its printable Markdown twin.

The page holds no component name, no spec answer and no reveal-step title in
its markup: they travel in one payload, JSON XOR-ed with a key derived from the
spec id and base64-encoded, which the page's script decodes only when asked to
reveal. Until then neither the visible text nor the accessibility tree carries
them. The style sheet and the script are `templates/practice/`, inlined.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import asdict

import jinja2
from markupsafe import Markup

from mlsd.explain.render import environment, render
from mlsd.practice.diagram import Diagram
from mlsd.practice.plan import Plan

FOLDER = "practice"
# The page needs nothing from outside itself: its style, script and pictures are inline.
PAGE_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'"


def encode(payload: object, key: bytes) -> str:
    """`payload` as JSON, XOR-ed with `key` and base64-encoded: absent from the page's text."""
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    mixed = bytes(b ^ key[i % len(key)] for i, b in enumerate(raw))
    return base64.b64encode(mixed).decode("ascii")


def decode(text: str, key: bytes) -> object:
    """The payload `encode` made (the page's script does the same)."""
    mixed = base64.b64decode(text)
    return json.loads(bytes(b ^ key[i % len(key)] for i, b in enumerate(mixed)).decode("utf-8"))


def payload_key(spec_id: str) -> bytes:
    """The XOR key of a spec's payload: not a secret, only a way to keep names out of the text."""
    return hashlib.sha256(f"mlsd-practice:{spec_id}".encode()).digest()


def secrets(plan: Plan, diagram: Diagram) -> dict[str, object]:
    """Everything the page reveals on request, by the keys its markup uses."""
    return {
        "names": diagram.names,
        "masked": diagram.hidden_texts,
        "stages": list(diagram.stage_titles),
        "cards": {
            card.id: {
                "answers": [asdict(a) for a in card.answers],
                "missing": [asdict(m) for m in card.missing] if card.answers else [],
                "why": card.why,
            }
            for card in plan.cards
        },
        "points": {step.id: [asdict(p) for p in step.points] for step in plan.steps},
    }


def html_page(plan: Plan, diagram: Diagram) -> str:
    """The practice page: offline, one file, names and answers encoded until revealed."""
    env = environment()
    key = payload_key(plan.spec_id)
    public = {
        "steps": [{"id": s.id, "start": s.start, "seconds": s.seconds} for s in plan.steps],
        "stages": [asdict(stage) for stage in diagram.stages],
        "total": plan.minutes * 60,
    }
    variables = {
        "plan": plan,
        "svgs": {theme: Markup(svg) for theme, svg in diagram.inline.items()},
        "icons": Markup(diagram.icons),
        "numbers": sorted(diagram.numbers.values()),
        "stage_count": len(diagram.stages),
        "public": Markup(json.dumps(public, sort_keys=True).replace("</", "<\\/")),
        "payload": encode(secrets(plan, diagram), key),
        "key": key.hex(),
        "style": Markup(_static(env, "practice.css")),
        "script": Markup(_static(env, "practice.js")),
        "clock": _clock,
        "policy": PAGE_POLICY,
    }
    return render(env, f"{FOLDER}/page.html.j2", variables)


def markdown(plan: Plan, diagram: Diagram, picture: str, names: list[tuple[int, str]]) -> str:
    """The printable version: the talk track and cards first, the answers (`names`: each
    placeholder's number and component) at the end."""
    variables = {
        "plan": plan,
        "picture": picture,
        "names": names,
        "stage_titles": diagram.stage_titles,
        "clock": _clock,
        "card_number": {card.id: i for i, card in enumerate(plan.cards, start=1)}.__getitem__,
    }
    text = render(environment(), f"{FOLDER}/practice.md.j2", variables)
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines()) + "\n"


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def _static(env: jinja2.Environment, name: str) -> str:
    if env.loader is None:
        raise RuntimeError("the templates environment has no loader")
    source, _, _ = env.loader.get_source(env, f"{FOLDER}/{name}")
    return source
