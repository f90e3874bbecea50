"""Helpers of scripts/bench-serve.sh: request bodies from a model's golden rows, and the registry moves
of the swap phase, through MLflow's REST API (urllib only; pyarrow reads the Parquet).

    python bench_serve.py champion --tracking-uri URI --model NAME --alias champion
        prints the alias's version, its run id and source, and the run's dxpipe.model_path tag (JSON)
    python bench_serve.py bodies --golden DIR --out DIR
        writes one body per line: invocations-1.jsonl and invocations-100.jsonl (MLflow's
        dataframe_split over the signature's columns, the same bytes for MLflow and our service) and
        predict-1.jsonl and predict-100.jsonl (the service's canonical shape for POST /v1/predict), and
        mlflow-1.jsonl and mlflow-100.jsonl (dataframe_split that MLflow's spark flavour accepts: no
        severities; one-record bodies only from records with no null or empty column), and
        complete-1.jsonl (those complete records with their severities)
    python bench_serve.py new-version --tracking-uri URI --model NAME --alias champion
        registers a new version of the alias's model (same source and run) and moves the alias to it;
        prints the old and new version numbers (JSON)
"""
import argparse
import glob
import json
import math
import sys
import urllib.parse
import urllib.request

# the model's signature, in the order FeaturePipeline.INPUT_COLUMNS declares it
COLUMNS = ["age", "symptom_duration_days", "temperature_c", "heart_rate", "systolic_bp", "diastolic_bp",
           "respiratory_rate", "spo2", "weight_kg", "gender", "ethnicity", "marital_status", "education",
           "symptoms", "previous_diagnoses"]


def rest(uri, method, path, body=None, query=None):
    url = uri.rstrip("/") + "/api/2.0/mlflow/" + path
    if query:
        url += "?" + urllib.parse.urlencode(query)
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            text = r.read().decode()
    except urllib.error.HTTPError as e:
        raise SystemExit(f"MLflow {method} {path}: HTTP {e.code}: {e.read().decode()[:500]}")
    return json.loads(text) if text else {}


def champion(args):
    mv = rest(args.tracking_uri, "GET", "registered-models/alias", query={"name": args.model, "alias": args.alias})
    mv = mv["model_version"]
    run = rest(args.tracking_uri, "GET", "runs/get", query={"run_id": mv["run_id"]})["run"]
    tags = {t["key"]: t["value"] for t in run["data"].get("tags", [])}
    print(json.dumps({"version": int(mv["version"]), "run_id": mv["run_id"], "source": mv["source"],
                      "model_path": tags.get("dxpipe.model_path")}))


def new_version(args):
    old = rest(args.tracking_uri, "GET", "registered-models/alias",
               query={"name": args.model, "alias": args.alias})["model_version"]
    created = rest(args.tracking_uri, "POST", "model-versions/create",
                   {"name": args.model, "source": old["source"], "run_id": old["run_id"],
                    "description": "scripts/bench-serve.sh: the same model again, to move the alias during load"})
    version = created["model_version"]["version"]
    rest(args.tracking_uri, "POST", "registered-models/alias",
         {"name": args.model, "alias": args.alias, "version": str(version)})
    print(json.dumps({"old": int(old["version"]), "new": int(version)}))


def clean(v):
    """JSON has no NaN: a missing number is null."""
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, list):
        return [clean(x) for x in v]
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items()}
    return v


def bodies(args):
    import pyarrow.parquet as pq
    files = sorted(glob.glob(args.golden.rstrip("/") + "/*.parquet"))
    if not files:
        raise SystemExit(f"no Parquet files in {args.golden}")
    rows = []
    for f in files:
        rows.extend(pq.read_table(f, columns=COLUMNS).to_pylist())
    rows = [clean(r) for r in rows]
    if len(rows) < 100:
        raise SystemExit(f"{args.golden} has {len(rows)} golden rows, 100 are needed for a 100-record body")

    def split(chunk):
        return json.dumps({"dataframe_split": {"columns": COLUMNS, "data": [[r[c] for c in COLUMNS] for r in chunk]}},
                          separators=(",", ":"))

    def canonical(r):
        # absent rather than null: the canonical shape of POST /v1/predict
        return {k: v for k, v in r.items() if v is not None}

    def write(name, lines):
        with open(f"{args.out}/{name}", "w") as f:
            for line in lines:
                f.write(line + "\n")

    n = len(rows)
    write("invocations-1.jsonl", [split([r]) for r in rows])
    # what MLflow's spark flavour can take from JSON: symptoms without severity (its signature
    # enforcement makes a nested severity a numpy.int64, which PySpark cannot pickle to the JVM), and for
    # one row no null or empty value (createDataFrame infers the types from the rows it is given)
    plain = [{**r, "symptoms": [{"name": s["name"]} for s in (r["symptoms"] or [])]} for r in rows]
    complete = [r for r in plain if all(r[c] is not None and r[c] != [] for c in COLUMNS)]
    write("mlflow-1.jsonl", [split([r]) for r in complete])
    # the same complete records with their severities: what MLflow refuses for the severities alone
    write("complete-1.jsonl", [split([r]) for r in rows if all(r[c] is not None and r[c] != [] for c in COLUMNS)])
    write("mlflow-100.jsonl", [split([plain[(start + i) % n] for i in range(100)]) for start in range(0, n, 25)])
    write("predict-1.jsonl", [json.dumps(canonical(r), separators=(",", ":")) for r in rows])
    hundreds = [[rows[(start + i) % n] for i in range(100)] for start in range(0, n, 25)]
    write("invocations-100.jsonl", [split(c) for c in hundreds])
    write("predict-100.jsonl", [json.dumps({"records": [canonical(r) for r in c]}, separators=(",", ":"))
                                for c in hundreds])
    print(json.dumps({"golden_rows": n, "bodies_1": n, "bodies_100": len(hundreds),
                      "mlflow_bodies_1": len(complete), "mlflow_bodies_100": len(hundreds)}))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="command", required=True)
    for name in ("champion", "new-version"):
        p = sub.add_parser(name)
        p.add_argument("--tracking-uri", required=True)
        p.add_argument("--model", required=True)
        p.add_argument("--alias", default="champion")
    p = sub.add_parser("bodies")
    p.add_argument("--golden", required=True)
    p.add_argument("--out", required=True)
    args = ap.parse_args()
    {"champion": champion, "new-version": new_version, "bodies": bodies}[args.command](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
