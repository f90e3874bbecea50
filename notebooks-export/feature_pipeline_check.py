# Databricks notebook source
# MAGIC %md
# MAGIC # dxpipe: the saved feature pipeline in Python
# MAGIC
# MAGIC `FeaturesJob` (Java) saves the fitted feature pipeline under
# MAGIC `<storage_root>/models/feature-pipeline/<run id>/pipeline`; training prepends it to the classifier,
# MAGIC and MLflow's `spark` flavor loads that model in Python. This notebook loads the pipeline with
# MAGIC PySpark, applies it to the silver records and checks that it reproduces the gold feature vectors
# MAGIC exactly, so a Python user scores with the same transformation as the Java jobs.

# COMMAND ----------

import os

from pyspark.ml import PipelineModel
from pyspark.ml.functions import vector_to_array
from pyspark.sql import functions as F

dbutils.widgets.text("storage_root", "file:./data")
root = dbutils.widgets.get("storage_root").rstrip("/")
if root.startswith("file:") and not root.startswith("file:/"):
    root = "file:" + os.path.abspath(root[len("file:"):])

gold = spark.read.format("delta").load(f"{root}/gold/features")
run_id = gold.select("feature_run_id").first()[0]
pipeline = PipelineModel.load(f"{root}/models/feature-pipeline/{run_id}/pipeline")
print(f"feature run {run_id}: stages {[type(s).__name__ for s in pipeline.stages]}")

# COMMAND ----------

silver = spark.read.format("delta").load(f"{root}/silver/records")
again = pipeline.transform(silver).select("record_key", vector_to_array("features").alias("again"))
compared = (gold.select("record_key", vector_to_array("features").alias("stored")).join(again, "record_key")
            .select(F.aggregate(F.zip_with("stored", "again", lambda a, b: F.abs(a - b)), F.lit(0.0),
                                lambda acc, d: F.greatest(acc, d)).alias("max_difference")))
summary = compared.agg(F.count("*").alias("records"), F.max("max_difference").alias("max_difference")).first()
print(f"{summary['records']} of {gold.count()} gold records recomputed in Python; "
      f"largest difference {summary['max_difference']}")
assert summary["records"] == gold.count(), "some gold records are no longer in silver"
assert summary["max_difference"] <= 1e-9, "PySpark's transformation differs from the Java job's"
