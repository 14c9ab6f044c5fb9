"""Reveal frames share the full picture's layout: nothing moves between frames."""

from __future__ import annotations

import pytest

from mlsd.render import Frame, pictures, reveal_steps

from ._helpers import SVG, canvas, image_positions, node_texts, node_titles, png_size, spec, svg_root

# Written out by hand from the specs, not computed by the code under test.
EXPECTED_FRAMES = {
    # explicit steps: by component ids, a group id and stage names
    "walkthrough": [
        ("The request", ["app", "api"]),
        ("Serving", ["ranker", "cands"]),
        ("Features and training", ["features", "trainer", "registry"]),
        ("Data and monitoring", ["events", "etl", "monitor"]),
    ],
    # no steps: the stages in order, empty stages skipped
    "fraud": [
        ("Client", ["checkout", "gateway", "risk"]),
        ("Data", ["payments", "stream_feats"]),
        ("Features", ["online_store", "offline_store"]),
        ("Training", ["trainer", "registry"]),
        ("Serving", ["scorer"]),
        ("Monitoring", ["metrics"]),
    ],
}


def cumulative(name: str) -> list[tuple[str, set[str]]]:
    shown: set[str] = set()
    result = []
    for title, added in EXPECTED_FRAMES[name]:
        shown |= set(added)
        result.append((title, set(shown)))
    return result


@pytest.mark.parametrize("name", sorted(EXPECTED_FRAMES))
def test_reveal_steps(name: str) -> None:
    got = [(title, set(ids)) for title, ids in reveal_steps(spec(name))]
    assert got == cumulative(name)


@pytest.mark.parametrize("name", sorted(EXPECTED_FRAMES))
def test_frame_pictures_are_named_by_number(name: str) -> None:
    loaded = spec(name)
    todo = pictures(loaded, steps=True)
    assert [p.stem for p in todo] == [loaded.id] + [
        f"{loaded.id}.step-{n}" for n in range(1, len(EXPECTED_FRAMES[name]) + 1)
    ]


@pytest.fixture(scope="module", params=sorted(EXPECTED_FRAMES))
def frames(request, render_all):
    # png only for one spec: the sizes must match, the pixels cost time.
    formats = ("svg", "png") if request.param == "walkthrough" else ("svg",)
    return request.param, render_all(request.param, formats, steps=True)


def test_frame_n_shows_exactly_steps_1_to_n(frames) -> None:
    name, rendered = frames
    full, *steps = rendered
    loaded = spec(name)
    assert sorted(image_positions(full.files["svg"])) == sorted(loaded.components)
    assert len(steps) == len(EXPECTED_FRAMES[name])
    for item, (title, shown) in zip(steps, cumulative(name), strict=False):
        svg = item.files["svg"]
        assert item.picture.frame.shown == frozenset(shown), item.picture.stem
        drawn = set(image_positions(svg))
        assert drawn == shown, f"{item.picture.stem} ({title}): drew {sorted(drawn)}, expected {sorted(shown)}"
        # Hidden components keep their place (their node is there) but draw no icon.
        assert sorted(node_titles(svg)) == sorted(loaded.components)
        for cid, texts in node_texts(svg).items():
            if cid in shown:
                assert texts and all(_visible(t) for t in texts), (item.picture.stem, cid)


def _visible(text) -> bool:
    return text.get("fill") not in ("transparent", "none") and text.get("fill-opacity") not in ("0", "0.0")


def test_hidden_text_is_invisible_in_frame_svgs(frames) -> None:
    name, rendered = frames
    _, *steps = rendered
    for item, (_, shown) in zip(steps, cumulative(name), strict=False):
        root = svg_root(item.files["svg"])
        leaked = []
        for g in root.iter(f"{SVG}g"):
            cls, title = g.get("class"), g.findtext(f"{SVG}title")
            hidden = (
                (cls == "node" and title not in shown)
                or (cls == "edge" and not set(title.split("->")) <= shown)
                or (cls == "cluster" and title in _hidden_clusters(name, shown))
            )
            if hidden:
                leaked += [(title, "".join(t.itertext()), t.get("fill")) for t in g.iter(f"{SVG}text") if _visible(t)]
        assert not leaked, f"{item.picture.stem} shows hidden text: {leaked}"


def _hidden_clusters(name: str, shown: set[str]) -> set[str]:
    loaded = spec(name)
    return {f"cluster_{g}" for g in loaded.groups if not set(loaded.group_members(g)) & shown}


def test_frames_share_the_full_pictures_coordinates(frames) -> None:
    _, rendered = frames
    full, *steps = rendered
    where = image_positions(full.files["svg"])
    page = canvas(full.files["svg"])
    for item in steps:
        svg = item.files["svg"]
        assert canvas(svg) == page, item.picture.stem
        for cid, position in image_positions(svg).items():
            assert position == where[cid], f"{cid} moved in {item.picture.stem}: {position} != {where[cid]}"


def test_frame_pngs_have_the_full_pictures_size(render_all) -> None:
    full, *steps = render_all("walkthrough", ("svg", "png"), steps=True)
    size = png_size(full.files["png"])
    assert [png_size(item.files["png"]) for item in steps] == [size] * len(steps)


def test_last_frame_of_a_full_walkthrough_draws_everything(render_all) -> None:
    full, *steps = render_all("walkthrough", ("svg", "png"), steps=True)
    assert image_positions(steps[-1].files["svg"]) == image_positions(full.files["svg"])


def test_default_reveal_follows_stages_even_when_an_id_is_a_stage_name() -> None:
    loaded = spec("all_kinds")
    frames = reveal_steps(loaded)
    assert frames[0] == ("Client", ("client", "service"))
    assert set(frames[-1][1]) == set(loaded.components)


def test_full_picture_is_an_unrestricted_frame() -> None:
    loaded = spec("walkthrough")
    assert pictures(loaded)[0].frame == Frame()


def test_a_command_lays_out_each_set_of_components_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import mlsd.render
    from mlsd.render import RenderOptions, render_pictures
    from mlsd.vocabulary import DIRECTIONS

    design = spec("walkthrough")
    todo = pictures(design, all_views=True, steps=True)
    real, runs = mlsd.render.arrange, []
    monkeypatch.setattr(mlsd.render, "arrange", lambda *args: runs.append(1) or real(*args))
    rendered = render_pictures(design, todo, RenderOptions(formats=("svg",)))
    layouts = len({p.include for p in todo})  # the whole design and each view; frames add none
    assert layouts == 1 + len(design.views) and len(todo) > layouts
    assert len(runs) == layouts * len(DIRECTIONS)
    # A later call handed the placements draws without laying anything out.
    runs.clear()
    again = render_pictures(
        design, todo, RenderOptions(formats=("svg",)), {r.picture.include: r.arranged for r in rendered}
    )
    assert runs == [] and [r.files for r in again] == [r.files for r in rendered]
