"""The catalogue: component kinds, stages, flow kinds and known techs.

Pure data and small lookups. This module must not import `diagrams` (the CLI
imports it for `validate`, where start-up time matters); icons are described
by their file location and only resolved to a path on request.
"""

from __future__ import annotations

import importlib.util
import pathlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

STAGES: tuple[str, ...] = ("client", "data", "features", "training", "serving", "monitoring")
FLOW_KINDS: tuple[str, ...] = (
    "request",
    "data",
    "stream",
    "features",
    "model",
    "feedback",
    "telemetry",
    "control",
)


@dataclass(frozen=True)
class Icon:
    """Where an icon comes from: a `diagrams` resource or a glyph mlsd draws itself."""

    resource: str | None = None  # relative to the `resources` dir the diagrams wheel installs
    diagrams_class: str | None = None  # e.g. "diagrams.onprem.queue.Kafka"
    glyph: str | None = None  # file name under src/mlsd/icons/

    def __post_init__(self) -> None:
        if (self.resource is None) == (self.glyph is None):
            raise ValueError("an Icon needs exactly one of resource and glyph")
        if self.diagrams_class is not None and self.resource is None:
            raise ValueError("diagrams_class only makes sense with a resource")

    def path(self) -> pathlib.Path:
        """Absolute path of the PNG (it exists when diagrams is installed)."""
        if self.glyph is not None:
            return pathlib.Path(__file__).parent / "icons" / self.glyph
        assert self.resource is not None
        return _resources_dir() / self.resource


def _resources_dir() -> pathlib.Path:
    # Resolve `resources/` next to the diagrams package, exactly as
    # diagrams.Node._load_icon does. Looking up the top-level name "resources"
    # instead could pick up an unrelated folder of that name in the current
    # directory. find_spec on a top-level name locates it without importing it.
    spec = importlib.util.find_spec("diagrams")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("`diagrams` is not installed, so its icons are missing")
    return pathlib.Path(spec.origin).parent.parent / "resources"


@dataclass(frozen=True)
class Kind:
    """A component kind: its stage, role sentence, default icon and common products."""

    name: str
    stage: str
    role: str
    icon: Icon
    techs: tuple[str, ...] = ()  # keys of TECHS


@dataclass(frozen=True)
class Tech:
    """A product users can name with `tech:`."""

    name: str  # the key users write: lowercase, e.g. "kafka", "vertex-ai"
    label: str  # display name: "Apache Kafka", "Vertex AI"
    icon: Icon | None  # None: diagrams has no fitting icon, the label is shown instead


def _diagrams(cls: str, resource: str) -> Icon:
    return Icon(resource=resource, diagrams_class=f"diagrams.{cls}")


def _glyph(kind_name: str) -> Icon:
    return Icon(glyph=f"{kind_name}.png")


def _tech(name: str, label: str, cls: str | None = None, resource: str | None = None) -> Tech:
    return Tech(name, label, _diagrams(cls, resource) if cls and resource else None)


def _index(items: Iterable[Kind] | Iterable[Tech]) -> Mapping:
    table = {}
    for item in items:
        if item.name in table:
            raise ValueError(f"duplicate catalogue entry {item.name!r}")
        table[item.name] = item
    return MappingProxyType(table)


# ---------------------------------------------------------------- techs

# Icons were checked against diagrams 0.25.1 (tests/test_catalogue.py imports
# every class). Products without a class in diagrams get no icon: a vendor
# logo of a different product would mislead more than a text label.
TECHS: Mapping[str, Tech] = _index(
    [
        # event streams and queues
        _tech("kafka", "Apache Kafka", "onprem.queue.Kafka", "onprem/queue/kafka.png"),
        _tech("kafka-streams", "Kafka Streams", "onprem.queue.Kafka", "onprem/queue/kafka.png"),
        _tech("kinesis", "Amazon Kinesis", "aws.analytics.Kinesis", "aws/analytics/kinesis.png"),
        _tech("pubsub", "Google Cloud Pub/Sub", "gcp.analytics.Pubsub", "gcp/analytics/pubsub.png"),
        _tech("pulsar", "Apache Pulsar"),
        _tech(
            "event-hubs",
            "Azure Event Hubs",
            "azure.analytics.EventHubs",
            "azure/analytics/event-hubs.png",
        ),
        _tech(
            "msk",
            "Amazon MSK",
            "aws.analytics.ManagedStreamingForKafka",
            "aws/analytics/managed-streaming-for-kafka.png",
        ),
        _tech("rabbitmq", "RabbitMQ", "onprem.queue.RabbitMQ", "onprem/queue/rabbitmq.png"),
        # stream and batch processing
        _tech("flink", "Apache Flink", "onprem.analytics.Flink", "onprem/analytics/flink.png"),
        _tech("spark", "Apache Spark", "onprem.analytics.Spark", "onprem/analytics/spark.png"),
        _tech("beam", "Apache Beam", "onprem.analytics.Beam", "onprem/analytics/beam.png"),
        _tech(
            "dataflow",
            "Google Cloud Dataflow",
            "gcp.analytics.Dataflow",
            "gcp/analytics/dataflow.png",
        ),
        _tech("dbt", "dbt", "onprem.analytics.Dbt", "onprem/analytics/dbt.png"),
        _tech("hive", "Apache Hive", "onprem.analytics.Hive", "onprem/analytics/hive.png"),
        _tech(
            "databricks",
            "Databricks",
            "onprem.analytics.Databricks",
            "onprem/analytics/databricks.png",
        ),
        _tech("emr", "Amazon EMR", "aws.analytics.EMR", "aws/analytics/emr.png"),
        _tech("glue", "AWS Glue", "aws.analytics.Glue", "aws/analytics/glue.png"),
        _tech(
            "dataproc",
            "Google Cloud Dataproc",
            "gcp.analytics.Dataproc",
            "gcp/analytics/dataproc.png",
        ),
        _tech("trino", "Trino", "onprem.analytics.Trino", "onprem/analytics/trino.png"),
        _tech("nifi", "Apache NiFi", "onprem.workflow.Nifi", "onprem/workflow/nifi.png"),
        _tech(
            "postgresql",
            "PostgreSQL",
            "onprem.database.PostgreSQL",
            "onprem/database/postgresql.png",
        ),
        _tech("mysql", "MySQL", "onprem.database.MySQL", "onprem/database/mysql.png"),
        _tech("mongodb", "MongoDB", "onprem.database.MongoDB", "onprem/database/mongodb.png"),
        _tech(
            "cassandra",
            "Apache Cassandra",
            "onprem.database.Cassandra",
            "onprem/database/cassandra.png",
        ),
        _tech("scylladb", "ScyllaDB", "onprem.database.Scylla", "onprem/database/scylla.png"),
        _tech("hbase", "Apache HBase", "onprem.database.HBase", "onprem/database/hbase.png"),
        _tech("dynamodb", "Amazon DynamoDB", "aws.database.Dynamodb", "aws/database/dynamodb.png"),
        _tech(
            "bigtable",
            "Google Cloud Bigtable",
            "gcp.database.Bigtable",
            "gcp/database/bigtable.png",
        ),
        _tech(
            "clickhouse",
            "ClickHouse",
            "onprem.database.ClickHouse",
            "onprem/database/clickhouse.png",
        ),
        _tech("druid", "Apache Druid", "onprem.database.Druid", "onprem/database/druid.png"),
        _tech("duckdb", "DuckDB", "onprem.database.Duckdb", "onprem/database/duckdb.png"),
        # object stores and lake table formats
        _tech("s3", "Amazon S3", "aws.storage.S3", "aws/storage/simple-storage-service-s3.png"),
        _tech("gcs", "Google Cloud Storage", "gcp.storage.GCS", "gcp/storage/storage.png"),
        _tech(
            "azure-blob",
            "Azure Blob Storage",
            "azure.storage.BlobStorage",
            "azure/storage/blob-storage.png",
        ),
        _tech("hdfs", "HDFS", "onprem.analytics.Hadoop", "onprem/analytics/hadoop.png"),
        _tech("ceph", "Ceph", "onprem.storage.Ceph", "onprem/storage/ceph.png"),
        _tech("minio", "MinIO"),
        _tech("delta-lake", "Delta Lake"),
        _tech("iceberg", "Apache Iceberg"),
        _tech("hudi", "Apache Hudi"),
        # warehouses
        _tech("bigquery", "BigQuery", "gcp.analytics.Bigquery", "gcp/analytics/bigquery.png"),
        _tech("snowflake", "Snowflake", "saas.analytics.Snowflake", "saas/analytics/snowflake.png"),
        _tech("redshift", "Amazon Redshift", "aws.analytics.Redshift", "aws/analytics/redshift.png"),
        # data validation and labelling
        _tech("great-expectations", "Great Expectations"),
        _tech("tfdv", "TensorFlow Data Validation"),
        _tech("deequ", "Deequ"),
        _tech("soda", "Soda"),
        _tech("label-studio", "Label Studio"),
        _tech("labelbox", "Labelbox"),
        _tech("scale-ai", "Scale AI"),
        _tech(
            "sagemaker-ground-truth",
            "SageMaker Ground Truth",
            "aws.ml.SagemakerGroundTruth",
            "aws/ml/sagemaker-ground-truth.png",
        ),
        # graphs and documents
        _tech("neo4j", "Neo4j", "onprem.database.Neo4J", "onprem/database/neo4j.png"),
        _tech("neptune", "Amazon Neptune", "aws.database.Neptune", "aws/database/neptune.png"),
        _tech("tigergraph", "TigerGraph"),
        _tech("unstructured", "Unstructured"),
        _tech("textract", "Amazon Textract", "aws.ml.Textract", "aws/ml/textract.png"),
        _tech("langchain", "LangChain"),
        _tech("llamaindex", "LlamaIndex"),
        # feature stores
        _tech("feast", "Feast"),
        _tech("tecton", "Tecton"),
        _tech("hopsworks", "Hopsworks"),
        # orchestration and training
        _tech("airflow", "Apache Airflow", "onprem.workflow.Airflow", "onprem/workflow/airflow.png"),
        _tech("kubeflow", "Kubeflow", "onprem.workflow.Kubeflow", "onprem/workflow/kubeflow.png"),
        _tech("dagster", "Dagster"),
        _tech("prefect", "Prefect"),
        _tech("flyte", "Flyte"),
        _tech("metaflow", "Metaflow"),
        _tech("composer", "Cloud Composer", "gcp.analytics.Composer", "gcp/analytics/composer.png"),
        _tech("kubernetes", "Kubernetes"),
        _tech("ray", "Ray"),
        _tech("pytorch", "PyTorch"),
        _tech("tensorflow", "TensorFlow"),
        _tech("slurm", "Slurm"),
        _tech("tpu", "Cloud TPU", "gcp.ml.TPU", "gcp/ml/tpu.png"),
        _tech("optuna", "Optuna"),
        _tech("ray-tune", "Ray Tune"),
        _tech("katib", "Katib"),
        # tracking, registries and managed ML platforms
        # diagrams' MLflow logo has white "ml" letters that vanish on a light
        # background, so MLflow is shown by name under the kind's own icon.
        _tech("mlflow", "MLflow"),
        _tech("wandb", "Weights & Biases"),
        _tech("neptune-ai", "neptune.ai"),
        _tech("comet", "Comet"),
        _tech("sagemaker", "Amazon SageMaker", "aws.ml.Sagemaker", "aws/ml/sagemaker.png"),
        _tech("vertex-ai", "Vertex AI", "gcp.ml.VertexAI", "gcp/ml/vertex-ai.png"),
        _tech(
            "azure-ml",
            "Azure Machine Learning",
            "azure.aimachinelearning.MachineLearning",
            "azure/aimachinelearning/machine-learning.png",
        ),
        # evaluation and compression
        _tech("tfma", "TensorFlow Model Analysis"),
        _tech("deepchecks", "Deepchecks"),
        _tech("giskard", "Giskard"),
        _tech("tensorrt", "NVIDIA TensorRT"),
        _tech("onnx", "ONNX Runtime"),
        _tech("openvino", "OpenVINO"),
        _tech("ragas", "Ragas"),
        _tech("trulens", "TruLens"),
        _tech("langsmith", "LangSmith"),
        _tech("langfuse", "Langfuse"),
        _tech("phoenix", "Arize Phoenix"),
        # model serving
        _tech("triton", "NVIDIA Triton"),
        _tech("torchserve", "TorchServe"),
        _tech("tf-serving", "TensorFlow Serving"),
        _tech("kserve", "KServe"),
        _tech("seldon", "Seldon Core"),
        _tech("bentoml", "BentoML"),
        _tech("ray-serve", "Ray Serve"),
        _tech("vllm", "vLLM"),
        _tech("tgi", "Text Generation Inference"),
        # vector and search indexes
        _tech("faiss", "FAISS"),
        _tech("scann", "ScaNN"),
        _tech("milvus", "Milvus"),
        _tech("pinecone", "Pinecone"),
        _tech("weaviate", "Weaviate"),
        _tech("qdrant", "Qdrant", "onprem.database.Qdrant", "onprem/database/qdrant.png"),
        _tech("pgvector", "pgvector", "onprem.database.PostgreSQL", "onprem/database/postgresql.png"),
        _tech(
            "elasticsearch",
            "Elasticsearch",
            "elastic.elasticsearch.Elasticsearch",
            "elastic/elasticsearch/elasticsearch.png",
        ),
        _tech("opensearch", "OpenSearch"),
        _tech("solr", "Apache Solr", "onprem.search.Solr", "onprem/search/solr.png"),
        _tech("vespa", "Vespa"),
        # ranking, rules, caches and experiments
        _tech("cohere", "Cohere"),
        _tech("drools", "Drools"),
        _tech("redis", "Redis", "onprem.inmemory.Redis", "onprem/inmemory/redis.png"),
        _tech("memcached", "Memcached", "onprem.inmemory.Memcached", "onprem/inmemory/memcached.png"),
        _tech("aerospike", "Aerospike", "onprem.inmemory.Aerospike", "onprem/inmemory/aerospike.png"),
        _tech(
            "elasticache",
            "Amazon ElastiCache",
            "aws.database.ElastiCache",
            "aws/database/elasticache.png",
        ),
        _tech(
            "memorystore",
            "Google Cloud Memorystore",
            "gcp.database.Memorystore",
            "gcp/database/memorystore.png",
        ),
        _tech("optimizely", "Optimizely"),
        _tech("statsig", "Statsig"),
        _tech("eppo", "Eppo"),
        _tech("growthbook", "GrowthBook"),
        _tech("launchdarkly", "LaunchDarkly"),
        # LLM application tooling and providers
        _tech("dspy", "DSPy"),
        _tech("semantic-kernel", "Semantic Kernel"),
        _tech("llama-guard", "Llama Guard"),
        _tech("nemo-guardrails", "NeMo Guardrails"),
        _tech("guardrails-ai", "Guardrails AI"),
        _tech("litellm", "LiteLLM"),
        _tech("portkey", "Portkey"),
        _tech("openai", "OpenAI"),
        _tech("anthropic", "Anthropic"),
        _tech("bedrock", "Amazon Bedrock", "aws.ml.Bedrock", "aws/ml/bedrock.png"),
        _tech(
            "azure-openai",
            "Azure OpenAI",
            "azure.aimachinelearning.AzureOpenai",
            "azure/aimachinelearning/azure-openai.png",
        ),
        _tech(
            "prometheus",
            "Prometheus",
            "onprem.monitoring.Prometheus",
            "onprem/monitoring/prometheus.png",
        ),
        _tech("grafana", "Grafana", "onprem.monitoring.Grafana", "onprem/monitoring/grafana.png"),
        _tech("datadog", "Datadog", "onprem.monitoring.Datadog", "onprem/monitoring/datadog.png"),
        _tech(
            "cloudwatch",
            "Amazon CloudWatch",
            "aws.management.Cloudwatch",
            "aws/management/cloudwatch.png",
        ),
        _tech(
            "new-relic",
            "New Relic",
            "onprem.monitoring.Newrelic",
            "onprem/monitoring/newrelic.png",
        ),
        _tech("sentry", "Sentry", "onprem.monitoring.Sentry", "onprem/monitoring/sentry.png"),
        _tech("pagerduty", "PagerDuty", "saas.alerting.Pagerduty", "saas/alerting/pagerduty.png"),
        _tech("evidently", "Evidently"),
        _tech("whylabs", "WhyLabs"),
        _tech("arize", "Arize"),
        _tech("fiddler", "Fiddler"),
        _tech("nannyml", "NannyML"),
        _tech(
            "elk",
            "ELK Stack",
            "elastic.elasticsearch.Elasticsearch",
            "elastic/elasticsearch/elasticsearch.png",
        ),
        _tech("kibana", "Kibana", "elastic.elasticsearch.Kibana", "elastic/elasticsearch/kibana.png"),
        _tech(
            "logstash",
            "Logstash",
            "elastic.elasticsearch.Logstash",
            "elastic/elasticsearch/logstash.png",
        ),
        _tech("fluentd", "Fluentd", "onprem.aggregator.Fluentd", "onprem/aggregator/fluentd.png"),
        _tech("fluent-bit", "Fluent Bit", "onprem.logging.FluentBit", "onprem/logging/fluentbit.png"),
        _tech("opentelemetry", "OpenTelemetry"),
        _tech("loki", "Grafana Loki", "onprem.logging.Loki", "onprem/logging/loki.png"),
        _tech("jaeger", "Jaeger", "onprem.tracing.Jaeger", "onprem/tracing/jaeger.png"),
        _tech("splunk", "Splunk", "onprem.monitoring.Splunk", "onprem/monitoring/splunk.png"),
        # gateways, proxies and app frameworks
        _tech("nginx", "NGINX", "onprem.network.Nginx", "onprem/network/nginx.png"),
        _tech("envoy", "Envoy", "onprem.network.Envoy", "onprem/network/envoy.png"),
        _tech("kong", "Kong", "onprem.network.Kong", "onprem/network/kong.png"),
        _tech("istio", "Istio", "onprem.network.Istio", "onprem/network/istio.png"),
        _tech("haproxy", "HAProxy", "onprem.network.Haproxy", "onprem/network/haproxy.png"),
        _tech("traefik", "Traefik", "onprem.network.Traefik", "onprem/network/traefik.png"),
        _tech(
            "aws-api-gateway",
            "Amazon API Gateway",
            "aws.network.APIGateway",
            "aws/network/api-gateway.png",
        ),
        _tech(
            "aws-alb",
            "AWS Application Load Balancer",
            "aws.network.ElbApplicationLoadBalancer",
            "aws/network/elb-application-load-balancer.png",
        ),
        _tech(
            "fastapi",
            "FastAPI",
            "programming.framework.FastAPI",
            "programming/framework/fastapi.png",
        ),
        _tech("eks", "Amazon EKS", "aws.compute.EKS", "aws/compute/elastic-kubernetes-service.png"),
        _tech(
            "gke",
            "Google Kubernetes Engine",
            "gcp.compute.GKE",
            "gcp/compute/kubernetes-engine.png",
        ),
    ]
)


# ---------------------------------------------------------------- kinds

# A kind's default icon is never a vendor logo: it is a generic `diagrams`
# shape where one fits, else one of mlsd's own glyphs (tools/make_glyphs.py).
KINDS: Mapping[str, Kind] = _index(
    [
        # client
        Kind(
            "client",
            "client",
            "Stands for the people, apps or devices that send requests and act on the answers.",
            _diagrams("onprem.client.Users", "onprem/client/users.png"),
        ),
        Kind(
            "api-gateway",
            "client",
            "Acts as the single public entry point that authenticates callers, enforces rate "
            "limits and routes each request to the right backend.",
            _glyph("api-gateway"),
            ("kong", "envoy", "nginx", "aws-api-gateway"),
        ),
        Kind(
            "load-balancer",
            "client",
            "Spreads incoming traffic over the healthy replicas of a service so none is overloaded.",
            _glyph("load-balancer"),
            ("haproxy", "nginx", "envoy", "aws-alb"),
        ),
        Kind(
            "app-service",
            "client",
            "Runs the product's backend logic and calls the ML components whenever it needs a prediction.",
            _diagrams("onprem.compute.Server", "onprem/compute/server.png"),
            ("fastapi", "kubernetes"),
        ),
        # data
        Kind(
            "data-source",
            "data",
            "Holds the raw operational records, such as users, items, transactions or partner "
            "feeds, that the system learns from.",
            _glyph("data-source"),
            ("postgresql", "mysql", "mongodb"),
        ),
        Kind(
            "object-store",
            "data",
            "Keeps large files such as images, videos, documents and model artefacts cheaply and durably.",
            _diagrams("generic.storage.Storage", "generic/storage/storage.png"),
            ("s3", "gcs", "azure-blob", "hdfs"),
        ),
        Kind(
            "event-stream",
            "data",
            "Carries an ordered, replayable log of live events like clicks, impressions or "
            "payments to every consumer that subscribes.",
            _glyph("event-stream"),
            ("kafka", "kinesis", "pubsub", "pulsar"),
        ),
        Kind(
            "stream-processor",
            "data",
            "Transforms events as they arrive, computing windowed aggregates and joins that become fresh features.",
            _glyph("stream-processor"),
            ("flink", "spark", "kafka-streams", "beam", "dataflow"),
        ),
        Kind(
            "batch-etl",
            "data",
            "Runs scheduled bulk jobs that clean, join and reshape data into training sets, aggregates and backfills.",
            _glyph("batch-etl"),
            ("spark", "dbt", "beam", "dataflow", "hive", "databricks"),
        ),
        Kind(
            "data-lake",
            "data",
            "Stores the complete history of raw and curated data in open table formats at low cost.",
            _glyph("data-lake"),
            ("s3", "gcs", "delta-lake", "iceberg", "hudi"),
        ),
        Kind(
            "data-warehouse",
            "data",
            "Answers SQL over structured history for analytics, business metrics and offline features.",
            _diagrams("generic.database.SQL", "generic/database/sql.png"),
            ("bigquery", "snowflake", "redshift", "databricks"),
        ),
        Kind(
            "data-validation",
            "data",
            "Checks schemas and value distributions and stops broken data before it reaches training or serving.",
            _glyph("data-validation"),
            ("great-expectations", "tfdv", "deequ", "soda"),
        ),
        Kind(
            "labeling",
            "data",
            "Lets human annotators attach ground-truth labels to examples and audits the quality of their work.",
            _glyph("labeling"),
            ("label-studio", "labelbox", "scale-ai", "sagemaker-ground-truth"),
        ),
        Kind(
            "label-store",
            "data",
            "Keeps observed outcomes such as clicks, chargebacks or reports, joined to the "
            "examples they judge, ready to serve as training labels.",
            _glyph("label-store"),
            ("bigquery", "snowflake", "kafka"),
        ),
        Kind(
            "graph-store",
            "data",
            "Stores entities and the links between them so services can traverse a social or knowledge graph.",
            _glyph("graph-store"),
            ("neo4j", "neptune", "tigergraph"),
        ),
        Kind(
            "document-parser",
            "data",
            "Pulls clean text, layout and tables out of PDFs, web pages and scanned images.",
            _glyph("document-parser"),
            ("unstructured", "textract"),
        ),
        Kind(
            "chunker",
            "data",
            "Cuts parsed documents into passages of a size that suits embedding and retrieval.",
            _glyph("chunker"),
            ("langchain", "llamaindex"),
        ),
        # features
        Kind(
            "feature-pipeline",
            "features",
            "Computes feature values from batch and streaming inputs and writes them into the feature stores.",
            _glyph("feature-pipeline"),
            ("feast", "tecton", "spark", "flink"),
        ),
        Kind(
            "feature-store-offline",
            "features",
            "Keeps every historical feature value so training sets can be assembled with point-in-time-correct joins.",
            _glyph("feature-store-offline"),
            ("feast", "tecton", "hopsworks", "vertex-ai", "sagemaker"),
        ),
        Kind(
            "feature-store-online",
            "features",
            "Returns the freshest feature values for an entity key within milliseconds, at prediction time.",
            _glyph("feature-store-online"),
            ("feast", "tecton", "redis", "dynamodb", "cassandra"),
        ),
        Kind(
            "embedding-service",
            "features",
            "Encodes items, queries or users as dense vectors with a learned encoder model.",
            _glyph("embedding-service"),
            ("openai", "cohere", "triton"),
        ),
        # training
        Kind(
            "orchestrator",
            "training",
            "Schedules the pipeline's steps, from data preparation through training and "
            "evaluation to registration, as a dependency graph and retries failures.",
            _glyph("orchestrator"),
            ("airflow", "kubeflow", "dagster", "prefect", "flyte", "metaflow"),
        ),
        Kind(
            "training-cluster",
            "training",
            "Supplies the GPU or CPU capacity that fits the models, often spread across many workers.",
            _diagrams("generic.compute.Rack", "generic/compute/rack.png"),
            ("kubernetes", "ray", "pytorch", "tensorflow", "sagemaker", "vertex-ai", "slurm"),
        ),
        Kind(
            "hpo",
            "training",
            "Searches for good hyperparameters by launching and comparing many training trials.",
            _glyph("hpo"),
            ("optuna", "ray-tune", "katib"),
        ),
        Kind(
            "experiment-tracking",
            "training",
            "Records the parameters, metrics and artefacts of every training run so results can "
            "be compared and reproduced.",
            _glyph("experiment-tracking"),
            ("mlflow", "wandb", "neptune-ai", "comet"),
        ),
        Kind(
            "model-registry",
            "training",
            "Stores versioned models with their lineage and aliases such as champion and challenger.",
            _glyph("model-registry"),
            ("mlflow", "sagemaker", "vertex-ai", "wandb"),
        ),
        Kind(
            "evaluation-gate",
            "training",
            "Compares a candidate model with the current baseline, overall and per slice, and "
            "lets it through only if it holds up.",
            _glyph("evaluation-gate"),
            ("tfma", "deepchecks", "giskard"),
        ),
        Kind(
            "model-compression",
            "training",
            "Makes a trained model smaller and faster by distillation, pruning, quantisation or compilation.",
            _glyph("model-compression"),
            ("tensorrt", "onnx", "openvino"),
        ),
        Kind(
            "llm-eval",
            "training",
            "Grades LLM answers against golden sets or with an LLM judge and keeps the traces for inspection.",
            _glyph("llm-eval"),
            ("ragas", "trulens", "langsmith", "langfuse", "phoenix"),
        ),
        # serving
        Kind(
            "inference-server",
            "serving",
            "Hosts trained models behind an API and answers prediction requests with low latency.",
            _glyph("inference-server"),
            ("triton", "torchserve", "tf-serving", "kserve", "seldon", "bentoml", "ray-serve", "vllm"),
        ),
        Kind(
            "batch-scoring",
            "serving",
            "Scores large sets of entities offline on a schedule and saves the results for later lookup.",
            _glyph("batch-scoring"),
            ("spark", "ray", "beam", "sagemaker", "vertex-ai"),
        ),
        Kind(
            "vector-index",
            "serving",
            "Finds the stored embeddings closest to a query vector with approximate nearest-neighbour search.",
            _glyph("vector-index"),
            ("faiss", "scann", "milvus", "pinecone", "weaviate", "qdrant", "pgvector", "opensearch"),
        ),
        Kind(
            "search-index",
            "serving",
            "Retrieves documents by keyword match over an inverted index, ranked by scores such as BM25.",
            _glyph("search-index"),
            ("elasticsearch", "opensearch", "solr", "vespa"),
        ),
        Kind(
            "candidate-generation",
            "serving",
            "Cheaply narrows a huge catalogue down to a few hundred or thousand plausible items.",
            _glyph("candidate-generation"),
        ),
        Kind(
            "ranking-service",
            "serving",
            "Orders the candidates with a heavier model that uses rich user, item and context features.",
            _glyph("ranking-service"),
        ),
        Kind(
            "reranker",
            "serving",
            "Re-scores a short list, with a cross-encoder or with business rules such as "
            "diversity, freshness and deduplication.",
            _glyph("reranker"),
            ("cohere",),
        ),
        Kind(
            "rules-engine",
            "serving",
            "Turns scores and business policy into actions such as allow, block, demote or send to review.",
            _glyph("rules-engine"),
            ("drools",),
        ),
        Kind(
            "cache",
            "serving",
            "Keeps hot results, features or embeddings in memory so repeated lookups skip the expensive path.",
            _glyph("cache"),
            ("redis", "memcached", "aerospike"),
        ),
        Kind(
            "prediction-store",
            "serving",
            "Holds precomputed predictions keyed by entity so the application can read them instantly.",
            _glyph("prediction-store"),
            ("redis", "dynamodb", "cassandra", "bigtable"),
        ),
        Kind(
            "ab-testing",
            "serving",
            "Assigns traffic to model variants and measures which one moves the online metrics.",
            _glyph("ab-testing"),
            ("optimizely", "statsig", "eppo", "growthbook", "launchdarkly"),
        ),
        Kind(
            "prompt-builder",
            "serving",
            "Assembles the prompt from a template, retrieved context and tool results before the model is called.",
            _glyph("prompt-builder"),
            ("langchain", "llamaindex", "dspy", "semantic-kernel"),
        ),
        Kind(
            "guardrails",
            "serving",
            "Screens model inputs and outputs for unsafe content, personal data and jailbreak attempts.",
            _glyph("guardrails"),
            ("llama-guard", "nemo-guardrails", "guardrails-ai"),
        ),
        Kind(
            "llm-gateway",
            "serving",
            "Routes LLM calls across providers and models while enforcing quotas, tracking cost and caching answers.",
            _glyph("llm-gateway"),
            ("litellm", "portkey", "kong"),
        ),
        Kind(
            "llm",
            "serving",
            "Generates text or tool calls from a prompt, either as a hosted API or as a model served in-house.",
            _glyph("llm"),
            ("openai", "anthropic", "bedrock", "azure-openai", "vertex-ai", "vllm", "tgi"),
        ),
        # monitoring
        Kind(
            "monitoring",
            "monitoring",
            "Collects service metrics, draws dashboards and raises alerts when something goes wrong.",
            _glyph("monitoring"),
            ("prometheus", "grafana", "datadog", "cloudwatch", "pagerduty"),
        ),
        Kind(
            "drift-detection",
            "monitoring",
            "Watches feature, prediction and label distributions, and quality per slice, for "
            "shifts away from what the model was trained on.",
            _glyph("drift-detection"),
            ("evidently", "whylabs", "arize", "fiddler", "nannyml"),
        ),
        Kind(
            "logging",
            "monitoring",
            "Captures requests, features, predictions and traces so they can be searched, "
            "audited and later joined to labels.",
            _glyph("logging"),
            ("elk", "fluentd", "fluent-bit", "opentelemetry", "loki", "jaeger", "splunk"),
        ),
        Kind(
            "human-review",
            "monitoring",
            "Queues uncertain or high-stakes cases for people whose verdicts drive actions and become labels.",
            _glyph("human-review"),
            ("labelbox", "label-studio"),
        ),
    ]
)


def kind(name: str) -> Kind:
    """The kind called `name`; KeyError if there is none."""
    return KINDS[name]


# ---------------------------------------------------------------- tech lookup

# True synonyms only; spelling variants are covered by _normalise and by
# ignoring hyphens ("fluentbit" finds "fluent-bit").
_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "postgres": "postgresql",
        "k8s": "kubernetes",
        "pub/sub": "pubsub",
        "google-cloud-storage": "gcs",
        "cloud-storage": "gcs",
        "blob-storage": "azure-blob",
        "azure-blob-storage": "azure-blob",
        "vertex": "vertex-ai",
        "weights-&-biases": "wandb",
        "weights-and-biases": "wandb",
        "w&b": "wandb",
        "tensorflow-serving": "tf-serving",
        "triton-inference-server": "triton",
        "text-generation-inference": "tgi",
        "onnx-runtime": "onnx",
        "scylla": "scylladb",
        "delta": "delta-lake",
        "mongo": "mongodb",
        "hadoop": "hdfs",
        "torch": "pytorch",
        "otel": "opentelemetry",
        "gx": "great-expectations",
        "ground-truth": "sagemaker-ground-truth",
        "ray-train": "ray",
        "kubeflow-pipelines": "kubeflow",
        "elastic-stack": "elk",
    }
)

# Tried after an exact miss: "apache-kafka", "aws-glue", "nvidia-triton".
_VENDOR_PREFIXES: tuple[str, ...] = (
    "apache-",
    "amazon-",
    "aws-",
    "google-cloud-",
    "google-",
    "gcp-",
    "azure-",
    "nvidia-",
)

_COMPACT: Mapping[str, str] = MappingProxyType({k.replace("-", ""): k for k in TECHS})


def _normalise(name: str) -> str:
    return re.sub(r"[\s_-]+", "-", name.strip().lower()).strip("-")


def _find(key: str) -> Tech | None:
    key = _ALIASES.get(key, key)
    if key in TECHS:
        return TECHS[key]
    compact = _COMPACT.get(key.replace("-", ""))
    return TECHS[compact] if compact else None


def tech(name: str) -> Tech | None:
    """The known tech for a user-written name, or None.

    Case-insensitive; spaces and underscores count as hyphens, hyphens are
    optional, a few synonyms are accepted ("postgres", "k8s") and a vendor
    prefix may be dropped ("apache-kafka", "amazon-s3").
    """
    key = _normalise(name)
    found = _find(key)
    if found is None:
        for prefix in _VENDOR_PREFIXES:
            if key.startswith(prefix) and (found := _find(key[len(prefix) :])) is not None:
                break
    return found


# ---------------------------------------------------------------- flow kinds

FLOW_KIND_RULES: tuple[tuple[str, str, str], ...] = (
    # (source, target, flow kind). A pattern is a kind name, "stage:<stage>" or
    # "*". The first matching row wins; no match means "data" (bulk movement).
    #
    # Telemetry: whatever monitoring, drift detection or logging receives.
    # (human-review sits in the monitoring stage but takes cases, not metrics.)
    ("*", "monitoring", "telemetry"),
    ("*", "drift-detection", "telemetry"),
    ("*", "logging", "telemetry"),
    # Control: alerts that trigger retraining, and everything a scheduler starts.
    ("monitoring", "orchestrator", "control"),
    ("drift-detection", "orchestrator", "control"),
    ("orchestrator", "*", "control"),
    ("hpo", "training-cluster", "control"),
    # Model: trained artefacts, their registration and their promotion to serving.
    ("training-cluster", "model-registry", "model"),
    ("training-cluster", "experiment-tracking", "model"),
    ("training-cluster", "evaluation-gate", "model"),
    ("training-cluster", "model-compression", "model"),
    ("experiment-tracking", "model-registry", "model"),
    ("model-registry", "*", "model"),
    ("evaluation-gate", "*", "model"),
    ("model-compression", "*", "model"),
    # Features: materialisation into either store and every read out of one.
    ("*", "feature-store-offline", "features"),
    ("*", "feature-store-online", "features"),
    ("feature-store-offline", "*", "features"),
    ("feature-store-online", "*", "features"),
    # Feedback: outcomes, annotations and reviewer verdicts on their way to labels.
    ("*", "label-store", "feedback"),
    ("human-review", "*", "feedback"),
    ("labeling", "*", "feedback"),
    ("label-store", "*", "feedback"),
    # Stream: publishing to an event stream and consuming from it.
    ("*", "event-stream", "stream"),
    ("event-stream", "*", "stream"),
    # Offline writes that start in the serving stage stay bulk data.
    ("batch-scoring", "*", "data"),
    ("embedding-service", "vector-index", "data"),
    ("embedding-service", "search-index", "data"),
    # Request: the online path between clients, services and serving components.
    ("stage:client", "stage:client", "request"),
    ("stage:client", "stage:serving", "request"),
    ("stage:serving", "stage:client", "request"),
    ("stage:serving", "stage:serving", "request"),
    ("stage:client", "embedding-service", "request"),
    ("stage:serving", "embedding-service", "request"),
    ("embedding-service", "stage:serving", "request"),
)


def _matches(pattern: str, kind_name: str) -> bool:
    if pattern == "*":
        return True
    if pattern.startswith("stage:"):
        found = KINDS.get(kind_name)
        return found is not None and found.stage == pattern[len("stage:") :]
    return pattern == kind_name


def infer_flow_kind(source_kind: str, target_kind: str) -> str:
    """The flow kind for an edge whose kind was not written (see FLOW_KIND_RULES).

    An unknown kind name matches only "*" patterns.
    """
    for source, target, flow_kind in FLOW_KIND_RULES:
        if _matches(source, source_kind) and _matches(target, target_kind):
            return flow_kind
    return "data"
