"""The catalogue: kinds from the spec format, icons, techs and flow-kind inference."""

from __future__ import annotations

import importlib
import os
import pathlib
import subprocess
import sys

import pytest

from mlsd import catalogue
from mlsd.catalogue import FLOW_KIND_RULES, FLOW_KINDS, KINDS, STAGES, TECHS, Icon
from mlsd.datafile import DATA_DIR, DataFileError, read_data

# The list in SPEC-FORMAT.md, "The catalogue of kinds", in its order.
SPEC_KINDS = {
    "client": ["client", "api-gateway", "load-balancer", "app-service"],
    "data": [
        "data-source",
        "object-store",
        "event-stream",
        "stream-processor",
        "batch-etl",
        "data-lake",
        "data-warehouse",
        "data-validation",
        "labeling",
        "label-store",
        "graph-store",
        "document-parser",
        "chunker",
    ],
    "features": [
        "feature-pipeline",
        "feature-store-offline",
        "feature-store-online",
        "embedding-service",
    ],
    "training": [
        "orchestrator",
        "training-cluster",
        "hpo",
        "experiment-tracking",
        "model-registry",
        "evaluation-gate",
        "model-compression",
        "llm-eval",
    ],
    "serving": [
        "inference-server",
        "batch-scoring",
        "vector-index",
        "search-index",
        "candidate-generation",
        "ranking-service",
        "reranker",
        "rules-engine",
        "cache",
        "prediction-store",
        "ab-testing",
        "prompt-builder",
        "guardrails",
        "llm-gateway",
        "llm",
    ],
    "monitoring": ["monitoring", "drift-detection", "logging", "human-review"],
}

REQUIRED_TECHS = (
    "kafka",
    "flink",
    "spark",
    "airflow",
    "kubeflow",
    "mlflow",
    "feast",
    "redis",
    "postgresql",
    "s3",
    "triton",
    "torchserve",
    "kserve",
    "vllm",
    "faiss",
    "elasticsearch",
    "prometheus",
    "grafana",
    "sagemaker",
    "vertex-ai",
)

ALL_ICONS = [(f"kind {k.name}", k.icon) for k in KINDS.values()] + [
    (f"tech {t.name}", t.icon) for t in TECHS.values() if t.icon is not None
]


def test_stages_and_flow_kinds() -> None:
    assert STAGES == ("client", "data", "features", "training", "serving", "monitoring")
    assert FLOW_KINDS == (
        "request",
        "data",
        "stream",
        "features",
        "model",
        "feedback",
        "telemetry",
        "control",
    )


def test_every_spec_kind_is_present_in_order_with_its_stage() -> None:
    # The contract's kinds, in its order; the catalogue may hold more.
    expected = [(name, stage) for stage, names in SPEC_KINDS.items() for name in names]
    assert [(k.name, k.stage) for k in KINDS.values() if k.name in SPEC_KINDS[k.stage]] == expected
    for name, k in KINDS.items():
        assert k.name == name
        assert catalogue.kind(name) is k


def test_unknown_kind_raises_key_error() -> None:
    with pytest.raises(KeyError):
        catalogue.kind("feature-stor")


def test_kinds_are_grouped_by_stage_in_stage_order() -> None:
    order = [STAGES.index(k.stage) for k in KINDS.values()]
    assert order == sorted(order)


def test_catalogue_is_immutable() -> None:
    with pytest.raises(TypeError):
        KINDS["x"] = KINDS["client"]  # type: ignore[index]
    with pytest.raises(TypeError):
        TECHS["x"] = TECHS["kafka"]  # type: ignore[index]
    with pytest.raises(AttributeError):
        KINDS["client"].stage = "data"  # type: ignore[misc]


@pytest.mark.parametrize("name", [k.name for k in KINDS.values()])
def test_role_is_one_sentence(name: str) -> None:
    role = KINDS[name].role
    assert role[0].isupper() and role.endswith(".")
    assert ". " not in role, "a role is one sentence"
    assert 30 <= len(role) <= 200


def test_roles_are_distinct() -> None:
    roles = [k.role for k in KINDS.values()]
    assert len(roles) == len(set(roles))


def test_kind_techs_are_known() -> None:
    for k in KINDS.values():
        assert len(k.techs) == len(set(k.techs)), k.name
        for name in k.techs:
            assert name in TECHS, f"{k.name}: unknown tech {name!r}"


def test_kind_icons_are_not_vendor_logos() -> None:
    generic = (
        "diagrams.generic.",
        "diagrams.onprem.client.",
        "diagrams.onprem.compute.Server",
        "diagrams.k8s.",
        "diagrams.programming.flowchart.",
    )
    for k in KINDS.values():
        if k.icon.diagrams_class is not None:
            assert k.icon.diagrams_class.startswith(generic), k.name


@pytest.mark.parametrize(("what", "icon"), ALL_ICONS, ids=[what for what, _ in ALL_ICONS])
def test_icon_file_exists(what: str, icon: Icon) -> None:
    path = icon.path()
    assert path.is_absolute()
    assert path.is_file(), f"{what}: {path}"
    assert path.suffix == ".png"


@pytest.mark.parametrize(
    ("what", "icon"),
    [(w, i) for w, i in ALL_ICONS if i.diagrams_class],
    ids=[w for w, i in ALL_ICONS if i.diagrams_class],
)
def test_diagrams_class_gives_the_same_resource(what: str, icon: Icon) -> None:
    assert icon.diagrams_class is not None
    module_name, _, class_name = icon.diagrams_class.rpartition(".")
    cls = getattr(importlib.import_module(module_name), class_name)
    assert cls._icon_dir.removeprefix("resources/") + "/" + cls._icon == icon.resource
    # ...and the same file diagrams itself would load
    loaded = cls.__new__(cls)._load_icon()
    assert pathlib.Path(loaded).resolve() == icon.path().resolve()


def test_every_glyph_file_is_used_and_every_used_glyph_exists() -> None:
    icons_dir = pathlib.Path(catalogue.__file__).parent / "icons"
    on_disk = {p.name for p in icons_dir.glob("*.png")}
    used = {k.icon.glyph for k in KINDS.values() if k.icon.glyph}
    assert used == on_disk


def test_glyphs_are_256_rgba() -> None:
    for k in KINDS.values():
        if k.icon.glyph:
            head = k.icon.path().read_bytes()[:26]
            assert head[:8] == b"\x89PNG\r\n\x1a\n"
            width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
            assert (width, height) == (256, 256)
            assert head[25] == 6, "colour type RGBA (transparent background)"


def test_icon_needs_exactly_one_source() -> None:
    with pytest.raises(ValueError):
        Icon()
    with pytest.raises(ValueError):
        Icon(resource="a.png", glyph="b.png")
    with pytest.raises(ValueError):
        Icon(glyph="b.png", diagrams_class="diagrams.generic.blank.Blank")


def test_enough_techs_and_the_required_ones() -> None:
    assert len(TECHS) >= 60
    for name in REQUIRED_TECHS:
        assert name in TECHS


def test_tech_names_are_normalised_keys() -> None:
    for name, t in TECHS.items():
        assert t.name == name
        assert name == name.lower().strip() and " " not in name and "_" not in name
        assert t.label
        assert catalogue.tech(name) is t


def test_no_duplicate_names() -> None:
    # the mappings are built from lists and refuse duplicates; also no
    # collision once hyphens are ignored, which tech() relies on
    compact = [name.replace("-", "") for name in TECHS]
    assert len(compact) == len(set(compact))
    labels = [t.label.lower() for t in TECHS.values()]
    assert len(labels) == len(set(labels))


def test_a_kind_written_twice_in_the_data_file_is_refused(tmp_path: pathlib.Path) -> None:
    original = (DATA_DIR / "catalogue.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "catalogue.yaml"
    broken.write_text(original.replace("kinds:\n", "kinds:\n  cache:\n    stage: serving\n", 1), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_data(broken, catalogue._CatalogueFile)
    # The second entry, the real one, is the one reported.
    lines = broken.read_text(encoding="utf-8").splitlines()
    line = 1 + lines.index("  cache:", lines.index("  cache:") + 1)
    assert f"catalogue.yaml:{line}:3: error: key 'cache' is written twice" in str(caught.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("    stage: serving\n", "    stage: servin\n"), "unknown stage 'servin'"),
        (("    traits: [person]\n", "    traits: [persn]\n"), "unknown trait 'persn'"),
        (('  - [batch-scoring, "*", data]\n', '  - [batch-scorer, "*", data]\n'), "unknown pattern 'batch-scorer'"),
    ],
)
def test_a_broken_catalogue_is_reported_with_its_location(
    tmp_path: pathlib.Path, change: tuple[str, str], message: str
) -> None:
    original = (DATA_DIR / "catalogue.yaml").read_text(encoding="utf-8")
    assert change[0] in original
    broken = tmp_path / "catalogue.yaml"
    broken.write_text(original.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_data(broken, catalogue._CatalogueFile)
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"{broken}:")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("kafka", "kafka"),
        ("Kafka", "kafka"),
        ("  KAFKA ", "kafka"),
        ("Vertex AI", "vertex-ai"),
        ("vertex_ai", "vertex-ai"),
        ("VertexAI", "vertex-ai"),
        ("great expectations", "great-expectations"),
        ("Label_Studio", "label-studio"),
        ("fluentbit", "fluent-bit"),
        ("Apache Kafka", "kafka"),
        ("apache-spark", "spark"),
        ("Amazon S3", "s3"),
        ("AWS Glue", "glue"),
        ("NVIDIA Triton", "triton"),
        ("Google BigQuery", "bigquery"),
        ("postgres", "postgresql"),
        ("k8s", "kubernetes"),
        ("Weights & Biases", "wandb"),
        ("azure-blob", "azure-blob"),
    ],
)
def test_tech_lookup(written: str, expected: str) -> None:
    found = catalogue.tech(written)
    assert found is not None and found.name == expected


@pytest.mark.parametrize("written", ["", "my-inhouse-thing", "apache-", "kafkaa"])
def test_unknown_tech_is_none(written: str) -> None:
    assert catalogue.tech(written) is None


def test_tech_icons_for_products_without_a_diagrams_class_are_none() -> None:
    # mlflow: diagrams has a logo, but its white letters vanish on white.
    for name in ("feast", "triton", "vllm", "faiss", "kserve", "torchserve", "mlflow"):
        assert TECHS[name].icon is None
    for name in ("kafka", "redis", "prometheus", "s3", "vertex-ai"):
        assert TECHS[name].icon is not None


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        # the examples in SPEC-FORMAT.md
        ("inference-server", "monitoring", "telemetry"),
        ("client", "monitoring", "telemetry"),
        ("feature-store-online", "monitoring", "telemetry"),
        ("model-registry", "inference-server", "model"),
        ("feature-store-online", "inference-server", "features"),
        ("inference-server", "feature-store-online", "features"),
        ("data-source", "batch-etl", "data"),
        # the rest of the table, one case per family
        ("ranking-service", "drift-detection", "telemetry"),
        ("app-service", "logging", "telemetry"),
        ("model-registry", "batch-scoring", "model"),
        ("model-registry", "llm", "model"),
        ("training-cluster", "model-registry", "model"),
        ("training-cluster", "experiment-tracking", "model"),
        ("ranking-service", "feature-store-online", "features"),
        ("feature-store-online", "ranking-service", "features"),
        ("stream-processor", "feature-store-online", "features"),
        ("feature-pipeline", "feature-store-offline", "features"),
        ("feature-store-offline", "training-cluster", "features"),
        ("orchestrator", "training-cluster", "control"),
        ("orchestrator", "batch-etl", "control"),
        ("drift-detection", "orchestrator", "control"),
        ("event-stream", "stream-processor", "stream"),
        ("client", "event-stream", "stream"),
        ("app-service", "event-stream", "stream"),
        ("human-review", "label-store", "feedback"),
        ("labeling", "training-cluster", "feedback"),
        ("label-store", "training-cluster", "feedback"),
        ("label-store", "batch-etl", "feedback"),
        ("event-stream", "label-store", "feedback"),
        ("client", "api-gateway", "request"),
        ("api-gateway", "app-service", "request"),
        ("app-service", "ranking-service", "request"),
        ("app-service", "inference-server", "request"),
        ("candidate-generation", "vector-index", "request"),
        ("ranking-service", "inference-server", "request"),
        ("inference-server", "ranking-service", "request"),
        ("app-service", "prediction-store", "request"),
        ("batch-scoring", "prediction-store", "data"),
        ("embedding-service", "vector-index", "data"),
        ("candidate-generation", "embedding-service", "request"),
        ("data-lake", "training-cluster", "data"),
        ("document-parser", "chunker", "data"),
        # unknown kinds only match "*"
        ("no-such-kind", "monitoring", "telemetry"),
        ("no-such-kind", "also-unknown", "data"),
    ],
)
def test_infer_flow_kind(source: str, target: str, expected: str) -> None:
    assert catalogue.infer_flow_kind(source, target) == expected


def test_human_review_is_not_telemetry() -> None:
    # it is in the monitoring stage, but it receives cases, not metrics
    assert catalogue.infer_flow_kind("rules-engine", "human-review") != "telemetry"


def test_flow_kind_rules_are_well_formed() -> None:
    for source, target, flow_kind in FLOW_KIND_RULES:
        assert flow_kind in FLOW_KINDS
        for pattern in (source, target):
            if pattern.startswith("stage:"):
                assert pattern.removeprefix("stage:") in STAGES
            else:
                assert pattern == "*" or pattern in KINDS, pattern
    assert len(FLOW_KIND_RULES) == len(set(FLOW_KIND_RULES))


def test_every_inferred_flow_kind_is_valid() -> None:
    for source in KINDS:
        for target in KINDS:
            assert catalogue.infer_flow_kind(source, target) in FLOW_KINDS


def test_importing_the_catalogue_does_not_import_diagrams() -> None:
    src = pathlib.Path(catalogue.__file__).parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")])}
    code = (
        "import sys, mlsd.catalogue as c\n"
        "c.KINDS['client'].icon.path(); c.TECHS['kafka'].icon.path()\n"
        "print('diagrams' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
