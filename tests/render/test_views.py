"""Views: each a picture of its own components, written as <id>.<view>.<ext>."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlsd.errors import InputError
from mlsd.outputs import write_spec_outputs
from mlsd.render import RenderOptions

from ._helpers import all_text, cluster_titles, edge_titles, image_positions, node_titles, spec

# By hand from walkthrough.yaml: include lists of component, group and stage ids.
EXPECTED = {
    "serving": ({"app", "api", "ranker", "cands"}, ["cluster_online"], {"app->api", "api->cands", "cands->ranker"}),
    "training": ({"etl", "trainer", "registry"}, ["cluster_offline"], {"etl->trainer", "trainer->registry"}),
    "watch": ({"monitor", "api", "ranker"}, ["cluster_online"], {"api->monitor", "ranker->monitor"}),
}


@pytest.fixture(scope="module")
def all_views(tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("views")
    written, warnings = write_spec_outputs(spec("walkthrough"), out, RenderOptions(formats=("svg",)), all_views=True)
    assert warnings == ()
    return out, written


def test_all_views_writes_one_file_per_view(all_views) -> None:
    out, written = all_views
    names = ["walkthrough.svg", "walkthrough.serving.svg", "walkthrough.training.svg", "walkthrough.watch.svg"]
    assert sorted(p.name for p in written) == sorted(names)
    assert sorted(p.name for p in out.iterdir()) == sorted(names)


@pytest.mark.parametrize("view", sorted(EXPECTED))
def test_view_svg_has_only_the_views_components(all_views, view: str) -> None:
    out, _ = all_views
    components, clusters, edges = EXPECTED[view]
    svg = (out / f"walkthrough.{view}.svg").read_bytes()
    assert set(node_titles(svg)) == components
    assert set(image_positions(svg)) == components
    assert cluster_titles(svg) == clusters
    assert set(edge_titles(svg)) == edges


def test_view_without_title_is_headed_by_the_spec_title(all_views) -> None:
    out, _ = all_views
    assert "Feed ranking walk" in " ".join(all_text((out / "walkthrough.training.svg").read_bytes()))


def test_view_title_heads_the_view(all_views) -> None:
    out, _ = all_views
    texts = all_text((out / "walkthrough.serving.svg").read_bytes())
    assert "Online serving path" in texts


def test_one_view_by_name(tmp_path: Path) -> None:
    written, _ = write_spec_outputs(spec("walkthrough"), tmp_path, RenderOptions(formats=("svg",)), views=("watch",))
    assert sorted(p.name for p in written) == ["walkthrough.svg", "walkthrough.watch.svg"]


def test_unknown_view_is_an_input_error_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(InputError) as caught:
        write_spec_outputs(spec("walkthrough"), out, RenderOptions(formats=("svg", "png")), views=("serving", "nope"))
    message = str(caught.value)
    assert "nope" in message and "serving" in message  # names the known views
    assert not out.exists() or list(out.iterdir()) == []
