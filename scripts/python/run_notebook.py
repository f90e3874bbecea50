"""Runs a Databricks notebook exported in source format (.py with "# COMMAND ----------" cells)
outside Databricks: with a local SparkSession (Delta enabled from the project's Maven-resolved jars),
a `dbutils.widgets` stand-in fed by key=value arguments, and a `display` that prints tables and saves
figures as PNG files. Stops at the first failing cell with its number and source.

    python run_notebook.py NOTEBOOK.py --jars a.jar,b.jar --output DIR [widget=value ...]
"""
import argparse
import os
import re
import sys
import time
import traceback

SEPARATOR = re.compile(r"^# COMMAND -{5,}\s*$", re.MULTILINE)


class Widgets:
    def __init__(self, values):
        self._values = dict(values)
        self._declared = set()

    def text(self, name, default, label=None):
        self._declared.add(name)
        self._values.setdefault(name, default)

    dropdown = combobox = lambda self, name, default, choices=None, label=None: self.text(name, default)

    def get(self, name):
        if name not in self._values:
            raise KeyError(f"widget '{name}' is not declared")
        return self._values[name]

    def undeclared(self):
        return sorted(set(self._values) - self._declared)


class DbUtils:
    def __init__(self, widgets):
        self.widgets = widgets


class Display:
    """display(): tables are printed, matplotlib figures saved as numbered PNG files."""

    def __init__(self, output):
        self.output = output
        self.figures = []

    def __call__(self, obj, *args, **kwargs):
        import matplotlib.figure
        import matplotlib.pyplot as plt
        import pandas as pd
        from pyspark.sql import DataFrame

        if isinstance(obj, matplotlib.figure.Figure):
            title = obj._suptitle.get_text() if obj._suptitle else (obj.axes[0].get_title() if obj.axes else "figure")
            name = f"{len(self.figures) + 1:02d}-{re.sub(r'[^a-z0-9]+', '-', title.lower()).strip('-')[:60]}.png"
            path = os.path.join(self.output, name)
            obj.savefig(path, dpi=90)
            plt.close(obj)
            self.figures.append(path)
            print(f"[figure] {path}")
        elif isinstance(obj, DataFrame):
            obj.show(40, truncate=60)
        elif isinstance(obj, pd.DataFrame):
            print(obj.head(40).to_string())
        else:
            print(obj)


def cells(source):
    body = source.split("\n", 1)[1] if source.startswith("# Databricks notebook source") else source
    return [c.strip("\n") for c in SEPARATOR.split(body)]


class LazySpark(dict):
    """The notebook's globals: `spark` and `sc` start a SparkSession on first use (a JVM start costs
    tens of seconds; a cell that fails before needing Spark, or a pure-Python notebook, never pays it)."""

    def __init__(self, start):
        super().__init__()
        self._start = start
        self._spark = None

    def __missing__(self, name):
        if name not in ("spark", "sc"):
            raise KeyError(name)
        if self._spark is None:
            self._spark = self._start()
            self["spark"] = self._spark
            self["sc"] = self._spark.sparkContext
        return self[name]

    def stop(self):
        if self._spark is not None:
            self._spark.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook")
    parser.add_argument("--jars", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("widgets", nargs="*", help="widget=value")
    args = parser.parse_intermixed_args()
    widgets = Widgets(w.split("=", 1) for w in args.widgets)
    os.makedirs(args.output, exist_ok=True)

    def start_spark():
        from pyspark.sql import SparkSession

        session = (SparkSession.builder.master(os.environ.get("DXPIPE_NOTEBOOK_MASTER", "local[2]"))
                   .appName("dxpipe-notebook")
                   .config("spark.jars", args.jars)
                   .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                   .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                   .config("spark.sql.session.timeZone", "UTC")
                   .config("spark.sql.shuffle.partitions", "4")
                   .config("spark.databricks.delta.snapshotPartitions", "4")
                   .config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.driver.bindAddress", "127.0.0.1")
                   .config("spark.driver.host", "127.0.0.1")
                   .getOrCreate())
        session.sparkContext.setLogLevel("ERROR")
        return session

    display = Display(args.output)
    namespace = LazySpark(start_spark)
    namespace.update({"dbutils": DbUtils(widgets), "display": display, "displayHTML": print,
                      "__name__": "__main__"})
    with open(args.notebook, encoding="utf-8") as f:
        all_cells = cells(f.read())
    try:
        for number, cell in enumerate(all_cells, start=1):
            code = "\n".join(line for line in cell.splitlines() if not line.startswith("# MAGIC"))
            if not code.strip():
                continue
            start = time.time()
            print(f"[notebook] cell {number}/{len(all_cells)} ...", flush=True)
            try:
                exec(compile(code, f"{args.notebook} (cell {number})", "exec"), namespace)
            except Exception:
                traceback.print_exc()
                print(f"[notebook] FAILED in cell {number} of {args.notebook}", file=sys.stderr)
                return 1
            print(f"[notebook] cell {number} done in {time.time() - start:.1f} s", flush=True)
        unused = widgets.undeclared()
        if unused:
            print(f"[notebook] FAILED: arguments {unused} name no widget of the notebook", file=sys.stderr)
            return 2
        print(f"[notebook] all {len(all_cells)} cells ran; {len(display.figures)} figures in {args.output}")
        return 0
    finally:
        namespace.stop()


if __name__ == "__main__":
    sys.exit(main())
