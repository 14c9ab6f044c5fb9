"""diff_specs: matching, renames, replacements, moves, attributes, flows, groups, framework parts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.diff.conftest import spec_from

from mlsd.diff import DiffError, FieldChange, Renamed, diff_specs, to_json
from mlsd.load import load_spec

PIPELINE = """\
components:
  app:   {kind: client}
  api:   {kind: api-gateway}
  feats: {kind: feature-store-online, tech: redis}
  model: {kind: inference-server}
flows:
  - app -> api -> model: request
  - model -> feats: lookup
"""


def test_identical_specs_have_no_differences(specs: Path) -> None:
    spec = load_spec(specs / "baseline.yaml")
    diff = diff_specs(spec, spec)
    assert not diff.has_changes
    assert not diff.components and not diff.flows and not diff.groups
    assert diff.sections == ()


def test_order_and_spelling_are_not_differences(tmp_path: Path) -> None:
    old = spec_from(tmp_path, "old", PIPELINE)
    new = spec_from(
        tmp_path,
        "new",
        """\
        flows:
          - {from: model, to: feats, label: lookup}
          - {from: api, to: model, label: request}
          - "app -> api: request"
        components:
          model: {kind: inference-server}
          feats: {tech: redis, kind: feature-store-online}
          api:   {kind: api-gateway}
          app:   {kind: client}
        """,
    )
    assert not diff_specs(old, new).has_changes


def test_additions_and_removals(tmp_path: Path) -> None:
    old = spec_from(tmp_path, "old", PIPELINE)
    new = spec_from(
        tmp_path,
        "new",
        PIPELINE.replace(
            "  model: {kind: inference-server}\n", "  model: {kind: inference-server}\n  cache: {kind: cache}\n"
        )
        + "  - model -> cache\n",
    )
    diff = diff_specs(old, new)
    assert diff.components.added == ("cache",)
    assert diff.components.removed == ()
    assert diff.flows.added == ("model -> cache",)
    back = diff_specs(new, old)
    assert back.components.removed == ("cache",)
    assert back.flows.removed == ("model -> cache",)
    assert back.components.added == () and back.flows.added == ()


def _renamed_feats(hint: bool) -> str:
    extra = ", renamed_from: feats" if hint else ""
    return f"""\
components:
  app:    {{kind: client}}
  api:    {{kind: api-gateway}}
  online: {{kind: feature-store-online, tech: redis{extra}}}
  model:  {{kind: inference-server}}
flows:
  - app -> api -> model: request
  - model -> online: lookup
"""


@pytest.mark.parametrize(("hint", "reason"), [(True, "hint"), (False, "match")])
def test_rename_by_hint_and_by_strong_match(tmp_path: Path, hint: bool, reason: str) -> None:
    old = spec_from(tmp_path, "old", PIPELINE)
    new = spec_from(tmp_path, "new", _renamed_feats(hint))
    diff = diff_specs(old, new)
    assert diff.components.renamed == (Renamed("feats", "online", reason),)
    assert diff.components.added == () and diff.components.removed == ()
    assert diff.components.changed == ()
    # The flow that points at the renamed component is the same flow, re-pointed.
    assert diff.flows.added == () and diff.flows.removed == () and diff.flows.changed == ()
    assert diff.flows.renamed == (Renamed("model -> feats", "model -> online", "endpoint"),)
    assert diff.has_changes


def test_near_miss_same_kind_other_neighbours_is_not_a_rename(tmp_path: Path) -> None:
    old = spec_from(tmp_path, "old", PIPELINE)
    # Same kind, but fed by the gateway instead of the model: another component.
    new = spec_from(tmp_path, "new", _renamed_feats(False).replace("model -> online", "api -> online"))
    diff = diff_specs(old, new)
    assert diff.components.renamed == ()
    assert diff.components.added == ("online",)
    assert diff.components.removed == ("feats",)


def test_ambiguous_strong_match_is_not_a_rename(tmp_path: Path) -> None:
    old = spec_from(tmp_path, "old", PIPELINE)
    new = spec_from(
        tmp_path,
        "new",
        """\
        components:
          app:   {kind: client}
          api:   {kind: api-gateway}
          one:   {kind: feature-store-online}
          two:   {kind: feature-store-online}
          model: {kind: inference-server}
        flows:
          - app -> api -> model: request
          - model -> one: lookup
          - model -> two: lookup
        """,
    )
    diff = diff_specs(old, new)
    assert diff.components.renamed == ()
    assert diff.components.added == ("one", "two")


def test_kind_change_at_the_same_id_is_a_replacement(tmp_path: Path) -> None:
    old = spec_from(tmp_path, "old", PIPELINE)
    new = spec_from(tmp_path, "new", PIPELINE.replace("feats: {kind: feature-store-online", "feats: {kind: cache"))
    diff = diff_specs(old, new)
    assert diff.components.added == ("feats",)
    assert diff.components.removed == ("feats",)
    assert diff.components.renamed == () and diff.components.changed == ()
    (replacement,) = diff.replacements
    assert (replacement.old, replacement.new, replacement.reason) == ("feats", "feats", "same id")
    assert (replacement.old_kind, replacement.new_kind) == ("feature-store-online", "cache")
    # Its flows went to another component: removed and added, not changed.
    assert diff.flows.removed == ("model -> feats",)
    assert diff.flows.added == ("model -> feats",)


def test_kind_change_with_a_hint_is_a_replacement_never_a_rename(tmp_path: Path) -> None:
    old = spec_from(tmp_path, "old", PIPELINE)
    body = _renamed_feats(True).replace("online: {kind: feature-store-online", "online: {kind: cache")
    diff = diff_specs(old, spec_from(tmp_path, "new", body))
    assert diff.components.renamed == ()
    assert diff.components.added == ("online",) and diff.components.removed == ("feats",)
    assert diff.replacements[0].reason == "hint"
    assert any("not a rename" in note for note in diff.notes)


def test_kind_change_in_the_same_place_is_reported_as_replacement(tmp_path: Path) -> None:
    old = spec_from(tmp_path, "old", PIPELINE)
    new = spec_from(
        tmp_path, "new", _renamed_feats(False).replace("online: {kind: feature-store-online", "online: {kind: cache")
    )
    diff = diff_specs(old, new)
    assert diff.components.renamed == ()
    assert [(r.old, r.new, r.reason) for r in diff.replacements] == [("feats", "online", "same neighbours")]


def test_rename_argument(tmp_path: Path) -> None:
    old = spec_from(tmp_path, "old", PIPELINE)
    # Different neighbours: only an explicit pairing makes it a rename.
    new = spec_from(tmp_path, "new", _renamed_feats(False).replace("model -> online", "api -> online"))
    diff = diff_specs(old, new, {"feats": "online"})
    assert diff.components.renamed == (Renamed("feats", "online", "argument"),)
    assert diff.flows.removed == ("model -> feats",)
    assert diff.flows.added == ("api -> online",)


@pytest.mark.parametrize(
    ("renames", "message"),
    [
        ({"nope": "online"}, "old design has no component 'nope'"),
        ({"feats": "nope"}, "new design has no component 'nope'"),
    ],
)
def test_rename_argument_must_name_existing_components(tmp_path: Path, renames, message) -> None:
    old = spec_from(tmp_path, "old", PIPELINE)
    new = spec_from(tmp_path, "new", _renamed_feats(False))
    with pytest.raises(DiffError, match=message) as caught:
        diff_specs(old, new, renames)
    assert caught.value.exit_code == 2


def test_hint_naming_a_missing_component_is_ignored_with_a_note(tmp_path: Path) -> None:
    old = spec_from(tmp_path, "old", PIPELINE)
    new = spec_from(
        tmp_path,
        "new",
        PIPELINE.replace("model: {kind: inference-server}", "model: {kind: inference-server, renamed_from: ghost}"),
    )
    diff = diff_specs(old, new)
    assert not diff.has_changes
    assert any("ghost" in note for note in diff.notes)


def test_moves_between_groups(tmp_path: Path) -> None:
    body = """\
    components:
      a: {kind: data-lake, group: data}
      b: {kind: batch-etl, group: data}
    groups:
      data: {label: Data}
      compute: {label: Compute}
    flows: [a -> b]
    """
    old = spec_from(tmp_path, "old", body)
    new = spec_from(
        tmp_path, "new", body.replace("b: {kind: batch-etl, group: data}", "b: {kind: batch-etl, group: compute}")
    )
    diff = diff_specs(old, new)
    assert [(c.id, c.changes) for c in diff.components.changed] == [("b", (FieldChange("group", "data", "compute"),))]
    assert not diff.groups and not diff.flows


def test_attribute_changes(tmp_path: Path) -> None:
    icons = Path(__file__).resolve().parents[2] / "src" / "mlsd" / "icons"
    shutil.copy(icons / "cache.png", tmp_path / "one.png")
    shutil.copy(icons / "llm.png", tmp_path / "two.png")
    old = spec_from(
        tmp_path,
        "old",
        PIPELINE.replace("model: {kind: inference-server}", "model: {kind: inference-server, icon: one.png}"),
    )
    new = spec_from(
        tmp_path,
        "new",
        PIPELINE.replace(
            "tech: redis", "tech: dragonfly, label: Online features, description: Fresh features."
        ).replace("model: {kind: inference-server}", "model: {kind: inference-server, icon: two.png}"),
    )
    diff = diff_specs(old, new)
    changed = {c.id: c.changes for c in diff.components.changed}
    assert changed == {
        "feats": (
            FieldChange("label", "Feats", "Online features"),
            FieldChange("tech", "redis", "dragonfly"),
            FieldChange("description", None, "Fresh features."),
        ),
        "model": (FieldChange("icon", "one.png", "two.png"),),
    }


def test_renamed_component_keeps_its_default_label_without_noise(tmp_path: Path) -> None:
    diff = diff_specs(spec_from(tmp_path, "old", PIPELINE), spec_from(tmp_path, "new", _renamed_feats(True)))
    assert diff.components.changed == ()


def test_flow_changes(tmp_path: Path) -> None:
    old = spec_from(tmp_path, "old", PIPELINE)
    new = spec_from(
        tmp_path,
        "new",
        PIPELINE.replace(
            "  - model -> feats: lookup\n", "  - {from: model, to: feats, label: batched lookup, note: p99 5 ms}\n"
        ).replace(
            "app -> api -> model: request",
            "app -> api: request\n  - {from: api, to: model, kind: control, label: request}",
        ),
    )
    diff = diff_specs(old, new)
    assert [(c.id, c.changes) for c in diff.flows.changed] == [
        ("model -> feats", (FieldChange("label", "lookup", "batched lookup"), FieldChange("note", None, "p99 5 ms")))
    ]
    # The kind is part of a flow's identity: another kind is another flow.
    assert diff.flows.removed == ("api -> model",)
    assert diff.flows.added == ("api -> model",)


def test_parallel_flows_are_named_by_kind(tmp_path: Path) -> None:
    old = spec_from(tmp_path, "old", PIPELINE)
    new = spec_from(tmp_path, "new", PIPELINE + "  - {from: model, to: feats, kind: control, label: refresh}\n")
    diff = diff_specs(old, new)
    assert diff.flows.added == ("model -> feats (control)",)
    assert diff.flows.changed == ()


def test_groups(tmp_path: Path) -> None:
    old = spec_from(
        tmp_path,
        "old",
        """\
        components:
          a: {kind: data-lake, group: inner}
        groups:
          outer: {label: Outer}
          inner: {label: Inner, parent: outer}
          gone: {label: Gone}
        """,
    )
    new = spec_from(
        tmp_path,
        "new",
        """\
        components:
          a: {kind: data-lake, group: inner}
        groups:
          outer: {label: Outer platform}
          inner: {label: Inner}
          fresh: {label: Fresh}
        """,
    )
    diff = diff_specs(old, new)
    assert diff.groups.added == ("fresh",)
    assert diff.groups.removed == ("gone",)
    assert {c.id: c.changes for c in diff.groups.changed} == {
        "inner": (FieldChange("parent", "outer", None),),
        "outer": (FieldChange("label", "Outer", "Outer platform"),),
    }
    assert diff.groups.renamed == ()


def test_framework_parts_field_by_field(specs: Path) -> None:
    diff = diff_specs(load_spec(specs / "baseline.yaml"), load_spec(specs / "scaled.yaml"))
    sections = dict(diff.sections)
    assert list(sections) == ["requirements", "metrics", "features", "scaling"]
    assert FieldChange("requirements.latency", "p99 under 200 ms", "p99 under 120 ms") in sections["requirements"]
    assert FieldChange("requirements.scale.daily_active_users", 1_000_000, 20_000_000) in sections["requirements"]
    assert FieldChange("requirements.constraints", ["GDPR"], ["GDPR", "CCPA"]) in sections["requirements"]
    assert sections["metrics"] == (FieldChange("metrics.offline[NDCG@10].target", "0.40", "0.45"),)
    assert sections["features"] == (
        FieldChange("features[recent clicks]", None, {"name": "recent clicks", "freshness": "streaming"}),
    )
    # The view names `features`, renamed to `online_features`: read through the rename, unchanged.
    assert "views" not in sections


def test_every_framework_part_is_compared(tmp_path: Path) -> None:
    old = spec_from(tmp_path, "old", "components: {a: {kind: client}}\n")
    new = load_spec(
        _write(
            tmp_path / "new.yaml",
            """\
            mlsd: 1
            title: Another title
            summary: A summary.
            requirements: {latency: 50 ms}
            framing: {task: ranking}
            metrics: {online: [CTR]}
            data: {labeling: clicks}
            features: [age]
            model: {chosen: GBDT}
            serving: {mode: online}
            testing: {rollout: canary}
            monitoring: {alerts: [p99 over budget]}
            scaling: [shard]
            talking_points: [why GBDT]
            components: {a: {kind: client}}
            views: {all: {include: [a]}}
            steps: [{title: Everything, add: [a]}]
            review: {ignore: {no-monitoring: a demo}}
            """,
        )
    )
    parts = [part for part, _ in diff_specs(old, new).sections]
    assert parts == [
        "title",
        "summary",
        "requirements",
        "framing",
        "metrics",
        "data",
        "features",
        "model",
        "serving",
        "testing",
        "monitoring",
        "scaling",
        "talking_points",
        "views",
        "steps",
        "review",
    ]


def test_the_scaled_design(specs: Path) -> None:
    diff = diff_specs(load_spec(specs / "baseline.yaml"), load_spec(specs / "scaled.yaml"))
    assert diff.components.added == ("cache", "metrics", "stream")
    assert diff.components.removed == ("batch", "logs")
    assert diff.components.renamed == (
        Renamed("api", "gateway", "match"),
        Renamed("features", "online_features", "hint"),
    )
    assert {c.id for c in diff.components.changed} == {"online_features", "registry"}
    assert [(r.old, r.new) for r in diff.replacements] == [("batch", "stream")]
    assert "app -> gateway" in {c.id for c in diff.flows.changed}
    assert diff.groups.changed[0].id == "training"


def test_diff_is_pure_and_deterministic(specs: Path) -> None:
    old, new = load_spec(specs / "baseline.yaml"), load_spec(specs / "scaled.yaml")
    before = (old.model_dump(), new.model_dump())
    assert to_json(diff_specs(old, new)) == to_json(diff_specs(old, new))
    assert (old.model_dump(), new.model_dump()) == before


def _write(path: Path, text: str) -> Path:
    import textwrap

    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path
