# Databricks notebook source
# MAGIC %md
# MAGIC # dxpipe: exploratory analysis of the clean and feature tables
# MAGIC
# MAGIC Reads the silver records, the gold feature table, the aggregate tables and the data-quality
# MAGIC results that `CleanJob` and `FeaturesJob` write under one storage root, and shows what a data
# MAGIC scientist checks before training: class balance (common vs orphan), missingness, vital signs per
# MAGIC disease, symptom co-occurrence, PCA explained variance, a 2-D projection coloured by disease,
# MAGIC and the data-quality results.
# MAGIC
# MAGIC * **Databricks**: import this file (source format), set the `storage_root` widget to the
# MAGIC   pipeline's root (`abfss://<container>@<account>.dfs.core.windows.net/dxpipe`), run all.
# MAGIC * **Locally**: `scripts/run-notebook.sh notebooks-export/eda.py storage_root=file:./data`
# MAGIC   (after `scripts/run-local.sh generate ingest clean features`); plots are saved as PNG files.

# COMMAND ----------

import json

import matplotlib

matplotlib.use("Agg")  # no display needed; Databricks renders figures passed to display()
import matplotlib.pyplot as plt
import pandas as pd
from pyspark.ml.functions import vector_to_array
from pyspark.sql import functions as F
from pyspark.sql.window import Window

dbutils.widgets.text("storage_root", "file:./data")
dbutils.widgets.text("max_plot_rows", "200000")
root = dbutils.widgets.get("storage_root").rstrip("/")
if root.startswith("file:") and not root.startswith("file:/"):  # a relative local path, as in conf/local.conf
    import os

    root = "file:" + os.path.abspath(root[len("file:"):])
max_plot_rows = int(dbutils.widgets.get("max_plot_rows"))

paths = {
    "silver": f"{root}/silver/records",
    "features": f"{root}/gold/features",
    "disease_summary": f"{root}/gold/aggregates/disease_summary",
    "daily_summary": f"{root}/gold/aggregates/daily_summary",
    "quality": f"{root}/quality/results",
    "pca_report": f"{root}/reports/features/latest/pca-report.json",
}
silver = spark.read.format("delta").load(paths["silver"])
gold = spark.read.format("delta").load(paths["features"])
diseases = spark.read.format("delta").load(paths["disease_summary"])
daily = spark.read.format("delta").load(paths["daily_summary"])
quality = spark.read.format("delta").load(paths["quality"])

counts = {"silver records": silver.count(), "gold records": gold.count(), "diseases": diseases.count()}
print(counts)
assert counts["gold records"] > 0, "the gold feature table is empty: run FeaturesJob first"


def sample_for_plot(df):
    """At most max_plot_rows rows as pandas: plots need a sample, not the whole table."""
    n = df.count()
    if n > max_plot_rows:
        df = df.sample(fraction=max_plot_rows / n, seed=7)
    return df.toPandas()

# COMMAND ----------

# MAGIC %md
# MAGIC ## Class balance: common vs orphan diseases
# MAGIC Orphan diseases have a handful of records each: accuracy alone would hide them, which is why
# MAGIC training weighs classes and reports orphan recall separately.

# COMMAND ----------

balance = diseases.select("diagnosis_code", "disease_name", "is_orphan", "records", "share").orderBy(F.desc("records")).toPandas()
by_group = balance.groupby("is_orphan")["records"].agg(["count", "sum", "min", "median", "max"])
by_group.index = by_group.index.map({True: "orphan", False: "common"})
display(by_group.reset_index().rename(columns={"is_orphan": "group", "count": "diseases", "sum": "records"}))
assert balance["records"].sum() == counts["gold records"], "disease_summary does not add up to the gold table"

fig, ax = plt.subplots(figsize=(10, 12))
colors = ["#d62728" if o else "#1f77b4" for o in balance["is_orphan"]]
ax.barh(balance["disease_name"], balance["records"], color=colors)
ax.invert_yaxis()
ax.set_xscale("log")
ax.set_xlabel("records (log scale)")
ax.set_title("Records per disease (red: orphan)")
fig.tight_layout()
display(fig)

# COMMAND ----------

# MAGIC %md
# MAGIC ## Missingness
# MAGIC Share of records without each value in silver. Cleaning turns impossible values into nulls
# MAGIC (flagged `outlier:<column>`), so this includes them; the feature pipeline imputes medians of the
# MAGIC training split and adds a missing indicator.

# COMMAND ----------

columns = ["age", "gender", "ethnicity", "marital_status", "education", "symptom_duration_days", "temperature_c",
           "heart_rate", "systolic_bp", "diastolic_bp", "respiratory_rate", "spo2", "weight_kg", "diagnosis_code"]
missing = silver.select([F.avg(F.col(c).isNull().cast("double")).alias(c) for c in columns]).toPandas().T
missing.columns = ["share missing"]
missing = missing.sort_values("share missing")
display(missing.reset_index().rename(columns={"index": "column"}))

fig, ax = plt.subplots(figsize=(8, 5))
ax.barh(missing.index, missing["share missing"], color="#7f7f7f")
ax.set_xlabel("share of silver records")
ax.set_title("Missing values per column")
fig.tight_layout()
display(fig)

flags = (silver.select(F.explode("quality_flags").alias("flag"))
         .select(F.regexp_extract("flag", "^([^:]+)", 1).alias("kind")).groupBy("kind").count().toPandas())
display(flags)

# COMMAND ----------

# MAGIC %md
# MAGIC ## Vital signs per disease
# MAGIC Distributions of each vital sign for the most frequent diseases and for every orphan disease.

# COMMAND ----------

orphan_codes = [r.diagnosis_code for r in diseases.filter("is_orphan").select("diagnosis_code").collect()]
top_codes = [r.diagnosis_code for r in diseases.filter(~F.col("is_orphan")).orderBy(F.desc("records")).limit(8).collect()]
shown = top_codes + orphan_codes
vitals = ["temperature_c", "heart_rate", "systolic_bp", "respiratory_rate", "spo2", "weight_kg"]
vital_rows = sample_for_plot(silver.filter(F.col("diagnosis_code").isin(shown)).select("diagnosis_code", *vitals))

fig, axes = plt.subplots(len(vitals), 1, figsize=(12, 3.2 * len(vitals)), sharex=True)
for ax, vital in zip(axes, vitals):
    data = [vital_rows.loc[vital_rows["diagnosis_code"] == c, vital].dropna() for c in shown]
    ax.boxplot(data, showfliers=False)
    ax.set_ylabel(vital)
axes[-1].set_xticks(range(1, len(shown) + 1))
axes[-1].set_xticklabels([c + (" *" if c in orphan_codes else "") for c in shown], rotation=60, ha="right")
fig.suptitle("Vital signs per disease (* orphan)")
fig.tight_layout()
display(fig)

display(diseases.select("diagnosis_code", "is_orphan", "records", *[F.col(v + "_mean") for v in vitals]).orderBy(F.desc("records")))

# COMMAND ----------

# MAGIC %md
# MAGIC ## Symptom co-occurrence
# MAGIC How often the 20 most frequent symptoms appear together in one record (share of the records
# MAGIC that have the row's symptom).

# COMMAND ----------

symptoms = silver.select("record_key", F.explode("symptoms.name").alias("symptom"))
top_symptoms = [r.symptom for r in symptoms.groupBy("symptom").count().orderBy(F.desc("count"), "symptom").limit(20).collect()]
top = symptoms.filter(F.col("symptom").isin(top_symptoms))
pairs = (top.alias("a").join(top.alias("b"), "record_key")
         .groupBy(F.col("a.symptom").alias("a"), F.col("b.symptom").alias("b")).count().toPandas())
matrix = pairs.pivot(index="a", columns="b", values="count").reindex(index=top_symptoms, columns=top_symptoms).fillna(0)
share = matrix.div(pd.Series([matrix.loc[s, s] for s in top_symptoms], index=top_symptoms), axis=0)

fig, ax = plt.subplots(figsize=(11, 9))
image = ax.imshow(share.values, cmap="viridis", vmin=0, vmax=1)
ax.set_xticks(range(len(top_symptoms)))
ax.set_xticklabels(top_symptoms, rotation=75, ha="right")
ax.set_yticks(range(len(top_symptoms)))
ax.set_yticklabels(top_symptoms)
fig.colorbar(image, ax=ax, label="share of records with the row's symptom")
ax.set_title("Symptom co-occurrence (top 20 symptoms)")
fig.tight_layout()
display(fig)

# COMMAND ----------

# MAGIC %md
# MAGIC ## PCA: explained variance
# MAGIC `FeaturesJob` keeps the fewest components that reach `dxpipe.features.pca.variance-to-keep`.

# COMMAND ----------

report = json.loads(spark.read.text(paths["pca_report"], wholetext=True).first()[0])
cumulative = report["cumulative_explained_variance"]
print(f"{report['input_dimension']} features -> {report['components']} components, "
      f"{100 * report['variance_kept']:.1f}% of the variance (target {100 * report['variance_to_keep']:.0f}%)")
assert abs(sum(report["explained_variance"][: report["components"]]) - report["variance_kept"]) < 1e-9

fig, ax = plt.subplots(figsize=(9, 5))
ax.plot(range(1, len(cumulative) + 1), cumulative, label="cumulative")
ax.bar(range(1, len(cumulative) + 1), report["explained_variance"], color="#ff7f0e", label="per component")
ax.axhline(report["variance_to_keep"], linestyle="--", color="grey", label="target")
ax.axvline(report["components"], color="green", label="components kept")
ax.set_xlabel("principal component")
ax.set_ylabel("share of variance")
ax.legend(loc="lower right")
ax.set_title("PCA explained variance")
fig.tight_layout()
display(fig)

# COMMAND ----------

# MAGIC %md
# MAGIC ## 2-D projection coloured by disease
# MAGIC The first two principal components of the gold features: the ten most frequent diseases in
# MAGIC colour, orphan diseases as red crosses, the rest in grey.

# COMMAND ----------

projection = sample_for_plot(gold.select("diagnosis_code", "is_orphan", vector_to_array("features").alias("v"))
                             .select("diagnosis_code", "is_orphan", F.col("v")[0].alias("pc1"), F.col("v")[1].alias("pc2")))
frequent = projection.loc[~projection["is_orphan"], "diagnosis_code"].value_counts().index[:10]
fig, ax = plt.subplots(figsize=(10, 8))
rest = projection[~projection["is_orphan"] & ~projection["diagnosis_code"].isin(frequent)]
ax.scatter(rest["pc1"], rest["pc2"], s=6, color="#cccccc", label="other common")
for code in frequent:
    part = projection[projection["diagnosis_code"] == code]
    ax.scatter(part["pc1"], part["pc2"], s=10, label=code)
orphans = projection[projection["is_orphan"]]
ax.scatter(orphans["pc1"], orphans["pc2"], s=40, marker="x", color="#d62728", label="orphan diseases")
ax.set_xlabel("PC1")
ax.set_ylabel("PC2")
ax.legend(fontsize=8, markerscale=2, loc="best")
ax.set_title("Records on the first two principal components")
fig.tight_layout()
display(fig)

# COMMAND ----------

# MAGIC %md
# MAGIC ## Data quality
# MAGIC The latest result of every check per table, and the daily summary.

# COMMAND ----------

latest_first = Window.partitionBy("table_name", "check_name").orderBy(F.desc("evaluated_at"))
latest = quality.withColumn("rank", F.row_number().over(latest_first)).filter("rank = 1").drop("rank")
display(latest.select("table_name", "check_group", "check_name", "severity", "status", "metric", "constraint", "examples")
        .orderBy("table_name", "check_group", "check_name"))
failed_errors = latest.filter("severity = 'error' AND status = 'FAIL'").count()
print(f"failed error-severity checks in the latest results: {failed_errors}")
display(daily.orderBy("delivery_date"))

# trend of the share metrics of silver's checks over the evaluated inputs (one point per input)
trend = (quality.filter("table_name = 'silver' AND check_type IN ('completeness', 'range', 'flag-share', 'values-in-set')")
         .groupBy("check_name", "input").agg(F.max("evaluated_at").alias("evaluated_at"), F.last("metric").alias("metric"))
         .orderBy("evaluated_at").toPandas())
fig, ax = plt.subplots(figsize=(10, 5))
for name, part in trend.groupby("check_name"):
    ax.plot(part["evaluated_at"], part["metric"], marker="o", label=name)
ax.set_ylabel("metric (share)")
ax.set_title("Silver data-quality metrics per evaluated input")
ax.legend(fontsize=7, loc="lower left")
fig.autofmt_xdate()
fig.tight_layout()
display(fig)
