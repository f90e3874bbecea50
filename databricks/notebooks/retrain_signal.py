# Databricks notebook source
# Turns the monitor's retraining flag for one day into the job task value "retrain", which the daily
# job's condition task reads ({{tasks.retrain_signal.values.retrain}}). Databricks documents task
# values as set from Python notebooks; the monitor is a JAR task, so it writes its outcome to
# storage and this notebook reads it back:
#   <monitoring>/_signals/latest.json        the outcome of the monitor's last run (any day)
#   <monitoring>/_signals/retrain-<day>.json the day's breaches, present only when retraining is due
# Parameters (widgets): monitoring = the monitoring table's folder, day = yyyy-MM-dd.
import json

dbutils.widgets.text("monitoring", "")
dbutils.widgets.text("day", "")
monitoring = dbutils.widgets.get("monitoring").rstrip("/")
day = dbutils.widgets.get("day")
if not monitoring or not day:
    raise ValueError("retrain_signal needs the parameters monitoring and day")

latest = json.loads(dbutils.fs.head(f"{monitoring}/_signals/latest.json", 1024 * 1024))
if latest.get("scoring_date") != day:
    # the monitor task ran before this one: a different day means it did not finish writing today's outcome
    raise RuntimeError(f"the monitor's last outcome is for {latest.get('scoring_date')}, not {day}")
retrain = bool(latest.get("retrain"))
for reason in latest.get("reasons", []):
    print("breach:", reason)
print(f"retrain = {retrain} (model {latest.get('model')}, day {day})")
dbutils.jobs.taskValues.set(key="retrain", value=retrain)
