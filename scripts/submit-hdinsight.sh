#!/usr/bin/env bash
# Submits pipeline jobs to Azure HDInsight 5.1 (Spark 3.3.1 on YARN) as Livy batches, one after the
# other, waits for each and exits with the outcome of the first that does not succeed.
#
#   export HDI_PASSWORD=...               # the cluster login's password (never on the command line)
#   scripts/submit-hdinsight.sh --cluster mycluster \
#     --jar abfss://dxpipe@myaccount.dfs.core.windows.net/jars/dxpipe-jobs-hdinsight.jar --upload \
#     --jdk abfss://dxpipe@myaccount.dfs.core.windows.net/jdk/OpenJDK17U-jdk_x64_linux.tar.gz \
#     ingest clean -- storage.root=abfss://dxpipe@myaccount.dfs.core.windows.net/lake
#
# Stages (run in the order given): generate ingest clean features train validate score monitor.
# Everything after "--" goes to every job: key=value settings, or --conf NAME|FILE (default
# hdinsight, the configuration packed in the jar; a FILE must be on cluster storage: its URI is
# shipped with the batch's files and named by its file name).
#
# Options:
#   --cluster NAME        the cluster: Livy at https://NAME.azurehdinsight.net/livy
#   --livy URL            or Livy's URL itself (e.g. http://127.0.0.1:8998)
#   --user NAME           cluster login (default $HDI_USER, else admin); password from $HDI_PASSWORD
#   --jar URI             the job jar on the cluster's storage (abfss://, wasbs://)
#   --upload              first upload the jar built by `mvn -Phdinsight package` to --jar (Azure
#                         CLI: az storage fs file upload, signed in with az login)
#   --jdk URI             a JDK 17 tar.gz on the cluster's storage (default $HDI_JDK): HDInsight's
#                         nodes run Java 8, the jobs need 17. Shipped with each batch (YARN
#                         archive); JAVA_HOME of the driver and executors points into it.
#   --jdk-dir NAME        the folder at the top of that archive (tar tzf ARCHIVE | head -1); known
#                         for Adoptium's OpenJDK17U-jdk_x64_linux_hotspot_<v>_<b>.tar.gz: jdk-<v>+<b>
#   --spark KEY=VALUE     a Spark property for every batch (repeatable), e.g. spark.executor.instances=4
#   --driver-memory M, --executor-memory M, --executor-cores N, --num-executors N
#   --poll SECONDS        state polling interval (default 10); --timeout MINUTES per job (default 120)
#   --dry-run             print each batch's request body and stop
#
# Exit code: 0 when every job succeeded; else the job's own exit code when YARN reports it (2 bad
# settings, 3 refused by the validation gate, 4 the monitor signals retraining), or 1.
. "$(dirname "$0")/lib/common.sh"

usage() { sed -n '2,34p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "submit-hdinsight: $*" >&2; exit 2; }

livy="" user="${HDI_USER:-admin}" jar="" upload=false dry_run=false jdk="${HDI_JDK:-}" jdk_dir="" poll=10 timeout=120
spark_conf=() resources=() stages=() job_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --cluster) livy="https://$2.azurehdinsight.net/livy"; shift 2 ;;
    --livy) livy="${2%/}"; shift 2 ;;
    --user) user="$2"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    --upload) upload=true; shift ;;
    --dry-run) dry_run=true; shift ;;
    --jdk) jdk="$2"; shift 2 ;;
    --jdk-dir) jdk_dir="$2"; shift 2 ;;
    --spark) [[ "$2" == *=* ]] || die "--spark takes KEY=VALUE, not '$2'"; spark_conf+=("$2"); shift 2 ;;
    --driver-memory) resources+=("driverMemory=$2"); shift 2 ;;
    --executor-memory) resources+=("executorMemory=$2"); shift 2 ;;
    --executor-cores) resources+=("executorCores=$2"); shift 2 ;;
    --num-executors) resources+=("numExecutors=$2"); shift 2 ;;
    --poll) poll="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    --) shift; job_args=("$@"); break ;;
    -*) die "unknown option $1 (see --help)" ;;
    *)
      [[ -n "${DXPIPE_JOB_CLASS[$1]:-}" ]] || die "unknown stage '$1' (stages: ${DXPIPE_STAGES[*]})"
      stages+=("$1"); shift ;;
  esac
done
[[ -n "$livy" ]] || $dry_run || die "--cluster NAME or --livy URL is needed"
[[ -n "$jar" ]] || die "--jar URI (the job jar on the cluster's storage) is needed"
[[ ${#stages[@]} -gt 0 ]] || die "no stage given (stages: ${DXPIPE_STAGES[*]})"
[[ -n "$jdk" ]] || echo "submit-hdinsight: WARNING: no --jdk: the jobs need Java 17 and HDInsight 5.1's nodes run Java 8" >&2
[[ "$livy" == http://127.0.0.1* || "$livy" == http://localhost* || -n "${HDI_PASSWORD:-}" ]] || $dry_run \
  || die "set HDI_PASSWORD to the cluster login's password"

if $upload; then
  local_jar="$(ls "$DXPIPE_ROOT"/jobs/target-hdinsight/dxpipe-jobs-*.jar 2>/dev/null | grep -v original- | head -n 1 || true)"
  [[ -n "$local_jar" ]] || die "no HDInsight jar: build it with mvn -Phdinsight -DskipTests package"
  [[ "$jar" =~ ^abfss://([^@]+)@([^.]+)\.dfs\.core\.windows\.net/(.+)$ ]] \
    || die "--upload needs an abfss://<container>@<account>.dfs.core.windows.net/<path> --jar"
  echo "[hdinsight] uploading $local_jar to $jar"
  az storage fs file upload --overwrite --auth-mode login --file-system "${BASH_REMATCH[1]}" \
    --account-name "${BASH_REMATCH[2]}" --path "${BASH_REMATCH[3]}" --source "$local_jar" --only-show-errors >/dev/null
fi

# One JSON body per job (python3: no jq needed). The JDK archive is unpacked by YARN as ./jdk.
body() { # body STAGE
  python3 - "$1" "${DXPIPE_JOB_CLASS[$1]}" "$jar" "$jdk" "$jdk_dir" "${#spark_conf[@]}" "${spark_conf[@]}" \
    "${#resources[@]}" "${resources[@]}" "${job_args[@]}" <<'PY'
import json, os, re, sys
stage, cls, jar, jdk, jdk_dir, *rest = sys.argv[1:]
n = int(rest[0]); spark = rest[1:1 + n]; rest = rest[1 + n:]
m = int(rest[0]); resources = rest[1:1 + m]; args = rest[1 + m:]
conf = dict(kv.split("=", 1) for kv in spark)
files = []
if "--conf" in args:
    i = args.index("--conf")
    value = args[i + 1]
    if "/" in value:  # a file on cluster storage: ship it, name it by its file name
        files.append(value)
        args[i + 1] = value.rsplit("/", 1)[1]
else:
    args = ["--conf", "hdinsight"] + args
body = {"file": jar, "className": cls, "args": args, "name": f"dxpipe-{stage}", "conf": conf}
if files:
    body["files"] = files
if jdk:
    # Adoptium's OpenJDK17U-jdk_x64_linux_hotspot_17.0.13_11.tar.gz unpacks into jdk-17.0.13+11/
    adoptium = re.search(r"_hotspot_(\d+(?:\.\d+)*)_(\d+)\.tar\.gz$", jdk)
    home = jdk_dir or (f"jdk-{adoptium.group(1)}+{adoptium.group(2)}" if adoptium else "")
    if not home:
        sys.exit("submit-hdinsight: --jdk-dir is needed: the folder at the top of the archive (tar tzf ARCHIVE | head -1)")
    body["archives"] = [jdk + "#jdk"]
    for key in ("spark.yarn.appMasterEnv.JAVA_HOME", "spark.executorEnv.JAVA_HOME"):
        conf.setdefault(key, "./jdk/" + home)
for kv in resources:
    k, v = kv.split("=", 1)
    body[k] = int(v) if k in ("executorCores", "numExecutors") else v
print(json.dumps(body))
PY
}

if $dry_run; then
  for stage in "${stages[@]}"; do body "$stage" || exit 2; done
  exit 0
fi

livy_call() { # livy_call METHOD PATH [BODY]
  local auth=()
  [[ -n "${HDI_PASSWORD:-}" ]] && auth=(-u "$user:$HDI_PASSWORD")
  curl -fsS "${auth[@]}" -X "$1" -H "Content-Type: application/json" -H "X-Requested-By: $user" \
    "$livy$2" ${3:+--data "$3"}
}

field() { python3 -c 'import json,sys; d=json.load(sys.stdin); v=d.get(sys.argv[1]); print("" if v is None else v)' "$1"; }

run_stage() { # run_stage STAGE -> exit code of the job
  local stage="$1" payload response id state="" waited=0 app log code
  payload="$(body "$stage")"
  echo "[hdinsight] $stage: POST $livy/batches ${payload}"
  response="$(livy_call POST /batches "$payload")" || { echo "[hdinsight] $stage: Livy refused the batch" >&2; return 1; }
  id="$(field id <<< "$response")"
  echo "[hdinsight] $stage: batch $id"
  while :; do
    state="$(livy_call GET "/batches/$id/state" | field state)" || state="unreachable"
    case "$state" in
      success|dead|killed|error) break ;;
    esac
    if (( waited >= timeout * 60 )); then
      echo "[hdinsight] $stage: still $state after $timeout minutes: deleting batch $id" >&2
      livy_call DELETE "/batches/$id" >/dev/null || true
      return 1
    fi
    sleep "$poll"; waited=$((waited + poll))
    (( waited % 60 == 0 )) && echo "[hdinsight] $stage: $state ($((waited / 60)) min)"
  done
  app="$(livy_call GET "/batches/$id" | field appId)"
  if [[ "$state" == success ]]; then
    echo "[hdinsight] $stage: success (YARN application ${app:-?}, ${waited} s)"
    return 0
  fi
  log="$(livy_call GET "/batches/$id/log?from=0&size=1000" \
    | python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin).get("log", [])))' || true)"
  echo "[hdinsight] $stage: $state. Livy's log of batch $id (spark-submit and YARN's report):" >&2
  echo "$log" | tail -n 60 | sed 's/^/    /' >&2
  echo "[hdinsight] the driver's own log: yarn logs -applicationId ${app:-<application id>} (on the head node)," \
    "or the YARN UI: ${livy%/livy}/yarnui/hn/cluster/app/${app:-}" >&2
  code="$(sed -n 's/.*User application exited with status \([0-9]*\).*/\1/p' <<< "$log" | tail -n 1)"
  return "${code:-1}"
}

for stage in "${stages[@]}"; do
  set +e; run_stage "$stage"; code=$?; set -e
  if [[ $code -ne 0 ]]; then
    echo "[hdinsight] $stage failed (exit $code); later stages not run" >&2
    exit "$code"
  fi
done
echo "[hdinsight] all done: ${stages[*]}"
