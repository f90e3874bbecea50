"""Reads back, with Python MLflow, what the Java training and validation jobs logged, and checks that
the registered model loads with mlflow.pyfunc and mlflow.spark and predicts what the Java scoring path
predicted (the run's model-check/java-predictions.json). Prints one JSON document; exits 1 on a
mismatch or a missing piece, naming it.

    python check_mlflow.py --tracking-uri URI --experiment NAME --model NAME --alias champion \
        --silver PATH --jars a.jar,b.jar
"""
import argparse
import json
import os
import sys
import tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tracking-uri", required=True)
    ap.add_argument("--experiment", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--alias", default="champion")
    ap.add_argument("--silver", required=True, help="the silver Delta table the model's inputs come from")
    ap.add_argument("--jars", required=True, help="Delta jars for the local SparkSession")
    args = ap.parse_args()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # Python workers need this venv's packages

    import mlflow
    from mlflow import MlflowClient
    from pyspark.sql import SparkSession

    mlflow.set_tracking_uri(args.tracking_uri)
    mlflow.set_registry_uri(args.tracking_uri)
    client = MlflowClient()
    problems = []

    experiment = client.get_experiment_by_name(args.experiment)
    if experiment is None:
        print(json.dumps({"problems": [f"no experiment {args.experiment}"]}))
        return 1
    runs = client.search_runs([experiment.experiment_id])
    version = client.get_model_version_by_alias(args.model, args.alias)
    parent = client.get_run(version.run_id)
    children = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == version.run_id]
    cv_steps = {}
    for child in children:
        for key in child.data.metrics:
            if key.startswith("cv_grid0_") and "_mean_" not in key:
                cv_steps[child.data.tags.get("mlflow.runName")] = sorted(
                    m.step for m in client.get_metric_history(child.info.run_id, key))
    artifacts = sorted(f.path for f in client.list_artifacts(version.run_id))
    model_files = sorted(f.path for f in client.list_artifacts(version.run_id, "model"))
    # the plots the run shows in the MLflow UI: PNG files the server hands back
    plots = sorted(f.path for f in client.list_artifacts(version.run_id, "plots"))
    plot_dir = tempfile.mkdtemp()
    for plot in plots:
        with open(client.download_artifacts(version.run_id, plot, plot_dir), "rb") as f:
            if f.read(8) != b"\x89PNG\r\n\x1a\n":
                problems.append(f"artifact {plot} is not a PNG image")
    if not plots:
        problems.append("the model's run has no plots/")

    local = client.download_artifacts(version.run_id, "model-check/java-predictions.json", tempfile.mkdtemp())
    with open(local) as f:
        java = json.load(f)

    spark = (SparkSession.builder.master("local[2]").appName("check-mlflow")
             .config("spark.jars", args.jars)
             .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
             .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.shuffle.partitions", "4")
             .config("spark.ui.enabled", "false")
             # as on Databricks: pandas <-> Spark through Arrow (pyfunc hands the model pandas rows)
             .config("spark.sql.execution.arrow.pyspark.enabled", "true")
             .config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.driver.host", "127.0.0.1")
             .getOrCreate())
    keys = [p["record_key"] for p in java]
    silver = spark.read.format("delta").load(args.silver).where(
        __import__("pyspark.sql.functions", fromlist=["col"]).col("record_key").isin(keys))

    uri = f"models:/{args.model}@{args.alias}"
    # mlflow.spark: the PipelineModel on a Spark DataFrame, as a Databricks user would score a table
    spark_model = mlflow.spark.load_model(uri)
    by_spark = {r["record_key"]: (r["prediction"], r["predicted_code"])
                for r in spark_model.transform(silver).select("record_key", "prediction", "predicted_code").collect()}
    # mlflow.pyfunc: the generic interface, fed a pandas DataFrame with the signature's columns
    pyfunc_model = mlflow.pyfunc.load_model(uri)
    input_columns = [c["name"] for c in json.loads(pyfunc_model.metadata.signature.inputs.to_json())]
    rows = silver.select(["record_key"] + input_columns).orderBy("record_key").toPandas()
    predictions = pyfunc_model.predict(rows[input_columns])
    by_pyfunc = dict(zip(rows["record_key"], [float(p) for p in predictions]))

    same_spark = same_pyfunc = 0
    for p in java:
        key = p["record_key"]
        if by_spark.get(key) == (p["prediction"], p["predicted_code"]):
            same_spark += 1
        else:
            problems.append(f"mlflow.spark predicts {by_spark.get(key)} for {key}, Java {p['prediction']}")
        if by_pyfunc.get(key) == p["prediction"]:
            same_pyfunc += 1
        else:
            problems.append(f"mlflow.pyfunc predicts {by_pyfunc.get(key)} for {key}, Java {p['prediction']}")

    result = {
        "runs": len(runs),
        "candidate_runs": sorted(c.data.tags.get("mlflow.runName") for c in children),
        "cv_steps": cv_steps,
        "model_version": int(version.version),
        "model_source": version.source,
        "description": version.description,
        "parent_metrics": {k: parent.data.metrics[k] for k in sorted(parent.data.metrics)
                           if k.startswith("test_") or k in ("scoring_ms_per_1000", "validation_passed")},
        "parent_tags": {k: v for k, v in parent.data.tags.items() if k.startswith("dxpipe.") or "git" in k},
        "artifacts": artifacts,
        "model_files": model_files,
        "plots": plots,
        "records_compared": len(java),
        "same_as_java_mlflow_spark": same_spark,
        "same_as_java_pyfunc": same_pyfunc,
        "problems": problems,
    }
    print("CHECK-MLFLOW " + json.dumps(result, sort_keys=True))
    spark.stop()
    return 1 if problems or not java else 0


if __name__ == "__main__":
    sys.exit(main())
