"""The local Spark session of the `spark` dbt target, opened the same way by dbt (profiles.yml,
`method: session`) and by the project's own Python steps (raw loader, publish, equality test).

Derby, the local metastore, admits one process at a time: dbt and these steps run one after
the other, never side by side on one INSIGHTS_SPARK_DIR.
"""
from __future__ import annotations

import os
from pathlib import Path

from insight_service.paths import warehouse_dir


def spark_dir() -> Path:
    """Folder of the local Spark warehouse: $INSIGHTS_SPARK_DIR, else <warehouse folder>/spark."""
    env = os.environ.get("INSIGHTS_SPARK_DIR")
    return Path(env).resolve() if env else warehouse_dir() / "spark"


def export_spark_dir() -> Path:
    """Set INSIGHTS_SPARK_DIR to the absolute folder, so that dbt's profile (which reads it) and
    this process open the same metastore and tables whatever their working directory."""
    folder = spark_dir()
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["INSIGHTS_SPARK_DIR"] = str(folder)
    return folder


def spark_conf(folder: Path) -> dict[str, str]:
    """The settings of profiles.yml's `spark` output (pytests/test_spark.py keeps the two equal)."""
    codegen = os.environ.get("INSIGHTS_SPARK_CODEGEN", "true")
    return {
        "spark.sql.warehouse.dir": f"{folder}/warehouse",
        "spark.hadoop.javax.jdo.option.ConnectionURL": f"jdbc:derby:;databaseName={folder}/metastore_db;create=true",
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={folder}",
        "spark.driver.memory": os.environ.get("INSIGHTS_SPARK_DRIVER_MEMORY", "2g"),
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.shuffle.partitions": os.environ.get("INSIGHTS_SPARK_SHUFFLE_PARTITIONS", "4"),
        "spark.sql.codegen.wholeStage": codegen,
        # never NO_CODEGEN here, unlike dbt's session: the catalog API's encoders need generated code
        "spark.sql.codegen.factoryMode": "FALLBACK",
        "spark.sql.sources.partitionOverwriteMode": "dynamic",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        # dbt-spark sets it for its sessions: the same SQL semantics here
        "spark.sql.ansi.enabled": "false",
    }


def get_session(folder: Path | None = None):
    """The process's Spark session over the local warehouse in `folder` (default spark_dir()); the
    first call starts the JVM (~20 s), later calls return the same session."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - the spark extra is not installed
        raise RuntimeError("the Spark target needs pyspark: pip install -e '.[spark]' (make install does it)") from exc
    builder = SparkSession.builder.appName("insights").enableHiveSupport()
    for key, value in spark_conf(folder or export_spark_dir()).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()
