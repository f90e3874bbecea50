#!/usr/bin/env bash
# Runs the online prediction service (module serve; README "Prediction service") in the foreground
# on what scripts/run-local.sh trained: the registry's champion, conf/local.conf, loopback only.
#
#   scripts/serve.sh                         # http://127.0.0.1:8080/ (the web form) and the REST API
#   scripts/serve.sh serve.port=9090         # key=value overrides as for every job; --conf FILE; --check
#   scripts/serve.sh token ROLE[,ROLE] [NAME]  # a new bearer token and the line for the tokens file
#
# Tokens: with no dxpipe.serve.tokens-file and DXPIPE_SERVE_TOKENS unset, a development token with
# every role is made once in .tools/serve-dev-token (the token, mode 600) and .tools/serve-dev-tokens
# (its hash line), and used; it is printed at start. The registry: the local MLflow of run-local.sh
# (SQLite store in <storage root>/mlflow), started here on a free port and stopped at exit, unless
# MLFLOW_TRACKING_URI or mlflow.tracking-uri=... names one, or serve.model.path=... gives a model folder.
# Ctrl-C or SIGTERM stops it cleanly: in-flight requests finish, the audit spool is appended to Delta.
# DXPIPE_SERVE_MEMORY sets the heap (default 1g).
. "$(dirname "$0")/lib/common.sh"
cd "$DXPIPE_ROOT"

dxpipe_serve_classpath() {
  local serve_jar lib_jar
  serve_jar="$(ls "$DXPIPE_ROOT"/serve/target/dxpipe-serve-*.jar 2>/dev/null | grep -v -e '-tests.jar' | head -n 1)"
  lib_jar="$(ls "$DXPIPE_ROOT"/lib/target/dxpipe-lib-*.jar 2>/dev/null | grep -v -e '-tests.jar' | head -n 1)"
  echo "$serve_jar:$lib_jar:$(cat "$DXPIPE_ROOT/serve/target/serve-classpath-compile.txt"):$(cat "$DXPIPE_ROOT/serve/target/serve-classpath-runtime.txt"):$DXPIPE_ROOT/jobs/target/distribution-jars/*"
}

serve_build_if_needed() {
  local jar
  jar="$(ls "$DXPIPE_ROOT"/serve/target/dxpipe-serve-*.jar 2>/dev/null | grep -v -e '-tests.jar' | head -n 1 || true)"
  if [[ -n "$jar" && -f "$DXPIPE_ROOT/serve/target/serve-classpath-runtime.txt" \
        && -d "$DXPIPE_ROOT/jobs/target/distribution-jars" ]] \
     && [[ -z "$(find "$DXPIPE_ROOT/lib/src/main" "$DXPIPE_ROOT/serve/src/main" "$DXPIPE_ROOT/pom.xml" \
                  "$DXPIPE_ROOT/lib/pom.xml" "$DXPIPE_ROOT/serve/pom.xml" -newer "$jar" -type f 2>/dev/null \
                  | head -n 1)" ]]; then
    return 0
  fi
  echo "[dxpipe] building the service (mvn package -DskipTests) ..."
  (cd "$DXPIPE_ROOT" && mvn -B -q -DskipTests package) || { echo "[dxpipe] build failed" >&2; exit 1; }
}

serve_java() {
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  # shellcheck disable=SC2046
  exec java "-Xmx${DXPIPE_SERVE_MEMORY:-1g}" $(dxpipe_java_opens) \
    -Dlog4j2.configurationFile="$DXPIPE_ROOT/conf/log4j2.properties" \
    -cp "$(dxpipe_serve_classpath)" "$@"
}

if [[ "${1:-}" == token ]]; then
  shift
  [[ $# -ge 1 ]] || { echo "usage: scripts/serve.sh token ROLE[,ROLE] [NAME]   (roles: clinician, admin, monitor)" >&2; exit 2; }
  serve_build_if_needed >&2
  (serve_java io.dxpipe.serve.http.Tokens "$@")
  exit $?
fi

conf="conf/local.conf"
args=()
root="${DXPIPE_STORAGE_ROOT:-file:./data}"
named_mlflow="${MLFLOW_TRACKING_URI:-}"
tokens_given=false
master_given=false
model_path=""
prev=""
for arg in "$@"; do
  if [[ "$prev" == --conf ]]; then conf="$arg"; prev=""; continue; fi
  case "$arg" in
    --conf) prev=--conf; continue ;;
    storage.root=*|dxpipe.storage.root=*) root="${arg#*storage.root=}" ;;
    mlflow.tracking-uri=*|dxpipe.mlflow.tracking-uri=*) named_mlflow="${arg#*tracking-uri=}" ;;
    serve.tokens-file=*|dxpipe.serve.tokens-file=*) tokens_given=true ;;
    spark.master=*|dxpipe.spark.master=*) master_given=true ;;
    serve.model.path=*|dxpipe.serve.model.path=*) model_path="${arg#*model.path=}" ;;
  esac
  args+=("$arg")
done

serve_build_if_needed
if [[ "$tokens_given" == false && -z "${DXPIPE_SERVE_TOKENS:-}" ]]; then
  mkdir -p .tools
  if [[ ! -s .tools/serve-dev-token ]]; then
    out="$(serve_java io.dxpipe.serve.http.Tokens clinician,admin,monitor local-developer)" # (a subshell: exec is fine)
    (umask 077; head -n 1 <<< "$out" > .tools/serve-dev-token; sed -n 2p <<< "$out" > .tools/serve-dev-tokens)
  fi
  args=("serve.tokens-file=\"$DXPIPE_ROOT/.tools/serve-dev-tokens\"" "${args[@]}")
  echo "[dxpipe] development token (every role) in .tools/serve-dev-token:"
  echo "[dxpipe]   curl -H \"Authorization: Bearer \$(cat .tools/serve-dev-token)\" http://127.0.0.1:8080/health"
fi
if [[ "$master_given" == false ]]; then
  # one core for the model loads and the Delta appends: the requests never touch Spark
  args=("spark.master=\"local[1]\"" 'spark.conf."spark.ui.enabled"=false' "${args[@]}")
fi
if [[ -z "${named_mlflow//\"/}" && -z "${model_path//\"/}" && " $* " != *" --check "* ]]; then
  dxpipe_local_mlflow "$(dxpipe_local_mlflow_dir "$root")"
fi
# (a background function runs in a subshell, which serve_java's exec replaces with the JVM: $! is java)
serve_java io.dxpipe.serve.http.ServeJob --conf "$conf" "${args[@]}" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true' TERM INT
status=0
wait "$pid" || status=$?
if kill -0 "$pid" 2>/dev/null; then wait "$pid" || status=$?; fi
exit "$status"
