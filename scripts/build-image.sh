#!/usr/bin/env bash
# Builds the prediction service's container image as a tarball, without a Docker daemon (Maven
# profile "image" in serve/pom.xml: Jib, FROM scratch, a jlinked Java 17, the service's and Spark's
# jars) and checks it: serve/target/jib-image.tar, its size, and the entry point, Cmd, ports and user
# read from the image config inside the tarball. Fails if the entry point does not run
# io.dxpipe.serve.http.ServeJob or the layers lack the JVM, Javalin, Spark, Delta, Hadoop or Guava 14.
# With user namespaces (unshare -r), it also runs the image's entry point with --check in a chroot of
# the unpacked layers: the image's own java, libraries and class path, nothing of the host's.
#
#   scripts/build-image.sh              # build (mvn -B -Pimage -pl lib,serve -am package -DskipTests) and check
#   scripts/build-image.sh -o           # extra arguments go to Maven
#   scripts/build-image.sh --check-only # check an existing tarball (scripts/test.sh, after mvn verify -Pimage)
#   scripts/build-image.sh --check-only --smoke MODEL_FOLDER
#       also starts the service from the unpacked image on a model folder (the one holding sparkml/ and
#       golden-rows/, e.g. data/models/classifier/<run>), waits for /health, asks GET /predict, stops
#       it with SIGTERM (audit and predictions appended to Delta under a file: root in the chroot)
#
# Run it (Docker or podman). The tokens file holds hash lines from scripts/serve.sh token ROLE and must
# be readable by the image's user (uid 10001); the spool volume keeps unflushed audit and prediction
# rows across restarts; DXPIPE_PATIENT_KEY is the deployment's patient key (as for ingest):
#   docker load -i serve/target/jib-image.tar
#   docker run --rm -p 8080:8080 \
#     -v "$PWD/tokens:/run/secrets/dxpipe-tokens:ro" -v dxpipe-spool:/var/lib/dxpipe/spool \
#     -e DXPIPE_STORAGE_ROOT=abfss://lake@account.dfs.core.windows.net/dxpipe \
#     -e MLFLOW_TRACKING_URI=https://mlflow.example.org -e DXPIPE_PATIENT_KEY \
#     dxpipe-serve:0.1.0-SNAPSHOT [key=value ...]
# Settings after the image name override conf/image.conf (the entry point's --conf). A model folder
# instead of the registry: -v /models/run1:/models:ro ... serve.model.path=/models/sparkml (golden rows
# beside it); a file: storage root: -v "$PWD/data:/data" (image.conf's default file:/data, writable
# by uid 10001); tokens in DXPIPE_SERVE_TOKENS alone: -e DXPIPE_SERVE_TOKENS -e DXPIPE_SERVE_TOKENS_FILE=.
# Heap: 70% of the container's memory limit; -e JAVA_TOOL_OPTIONS=-Xmx2g overrides.
. "$(dirname "$0")/lib/common.sh"
cd "$DXPIPE_ROOT"
tarball="$DXPIPE_ROOT/serve/target/jib-image.tar"

check_only=false
smoke_model=""
maven_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --check-only) check_only=true ;;
    --smoke) smoke_model="$(realpath "$2")"; shift ;;
    *) maven_args+=("$1") ;;
  esac
  shift
done
if [[ -n "$smoke_model" && ! -d "$smoke_model/sparkml" ]]; then
  echo "[dxpipe] --smoke $smoke_model: no sparkml/ folder in it" >&2
  exit 2
fi
if [[ "$check_only" == false ]]; then
  start=$SECONDS
  mvn -B -q -Pimage -pl lib,serve -am package -DskipTests "${maven_args[@]}"
  echo "[dxpipe] image built in $((SECONDS - start)) s"
fi
[[ -f "$tarball" ]] || { echo "[dxpipe] no image tarball at $tarball (mvn -Pimage ... package)" >&2; exit 1; }

unpacked="$(mktemp -d)"
trap 'rm -rf "$unpacked"' EXIT
# Docker's tarball (manifest.json) or an OCI image layout (index.json); prints the config, checks
# it and the layers' files, and unpacks the layers into $unpacked/root (the entry point and
# the environment, one a line, into $unpacked/entrypoint and env) for the run below.
python3 - "$tarball" "$unpacked/root" <<'PY'
import fnmatch, json, os, sys, tarfile
tarball, root = sys.argv[1], sys.argv[2]
with tarfile.open(tarball) as t:
    names = t.getnames()
    read = lambda name: t.extractfile(name).read()
    if "manifest.json" in names:
        m = json.loads(read("manifest.json"))[0]
        config, layers = json.loads(read(m["Config"])), m["Layers"]
    else:
        blob = lambda d: "blobs/" + d.replace(":", "/")
        idx = json.loads(read("index.json"))
        m = json.loads(read(blob(idx["manifests"][0]["digest"])))
        config, layers = json.loads(read(blob(m["config"]["digest"]))), [blob(l["digest"]) for l in m["layers"]]
    c = config.get("config", {})
    print("[dxpipe] %s: %.0f MiB, %d layers" % (tarball, os.path.getsize(tarball) / 2**20, len(layers)))
    for key in ("Entrypoint", "Cmd", "ExposedPorts", "User", "WorkingDir", "Volumes"):
        print("  %-12s %s" % (key, json.dumps(c.get(key))))
    files, modes = [], {}
    os.makedirs(root)
    for layer in layers:
        with tarfile.open(fileobj=t.extractfile(layer)) as lt:
            files += [n.lstrip("./") for n in lt.getnames()]
            modes.update({m.name.strip("./"): m.mode for m in lt.getmembers()})
            lt.extractall(root, filter="tar") if hasattr(tarfile, "data_filter") else lt.extractall(root)
problems = []
entry = c.get("Entrypoint") or []
with open(os.path.join(os.path.dirname(root), "entrypoint"), "w") as f:
    f.write("\n".join(entry) + "\n")
with open(os.path.join(os.path.dirname(root), "env"), "w") as f:
    f.write("".join(e + "\n" for e in c.get("Env") or []))
if "io.dxpipe.serve.http.ServeJob" not in entry:
    problems.append("the entry point does not run io.dxpipe.serve.http.ServeJob: %s" % entry)
if "8080/tcp" not in (c.get("ExposedPorts") or {}):
    problems.append("port 8080 is not exposed")
if entry and entry[0] not in files and entry[0].lstrip("/") not in files:
    problems.append("the entry point's program %s is not in the layers" % entry[0])
cp = entry[entry.index("-cp") + 1].split(":") if "-cp" in entry else []
for what, pattern in [("Javalin", "javalin-*.jar"), ("Spark core", "spark-core_*.jar"), ("Spark MLlib", "spark-mllib_*.jar"),
                      ("Delta", "delta-spark_*.jar"), ("Hadoop", "hadoop-client-api-*.jar"), ("Guava 14", "guava-14.0.1.jar"),
                      ("javax.servlet", "javax.servlet-api-*.jar"), ("lib", "dxpipe-lib-*.jar")]:
    hits = [f for f in files if fnmatch.fnmatch(os.path.basename(f), pattern)]
    on_cp = [f for f in hits if any(fnmatch.fnmatch("/" + f, e) for e in cp)]
    if not on_cp:
        problems.append("%s (%s) is not on the entry point's class path %s" % (what, pattern, cp))
# The image runs as a user who owns none of its files (Jib writes them as root): every file must be
# readable, the programs executable, and the folders the service writes world-writable.
unreadable = sorted(n for n, m in modes.items() if not m & 0o004)
if unreadable:
    problems.append("%d files the image's user cannot read, e.g. %s" % (len(unreadable), unreadable[:3]))
for program in [entry[0].lstrip("/") if entry else "", "lib64/ld-linux-x86-64.so.2", "usr/bin/rm", "usr/bin/chmod"]:
    if not modes.get(program, 0) & 0o001:
        problems.append("%s is not executable by the image's user" % program)
for folder in ["tmp", "var/lib/dxpipe", "var/lib/dxpipe/spool"]:
    if modes.get(folder, 0) & 0o777 != 0o777:
        problems.append("/%s is not writable by the image's user (mode %o)" % (folder, modes.get(folder, 0)))
for p in problems:
    print("[dxpipe] image: " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

# The entry point, run for real on the unpacked layers (no Docker here): --check loads the settings
# through the image's JVM and class path, then exits.
if unshare -r true 2>/dev/null; then
  mapfile -t ep < "$unpacked/entrypoint"
  mapfile -t image_env < "$unpacked/env"
  root="$unpacked/root"
  mkdir -p "$root/proc" "$root/dev" "$root/run/secrets"
  echo "0000000000000000000000000000000000000000000000000000000000000000 clinician image-check" > "$root/run/secrets/dxpipe-tokens"
  if ! out="$(unshare -r -m --fork sh -c 'mount --rbind /proc "$0/proc" && mount --rbind /dev "$0/dev" && exec "$@"' "$root" \
        env -i "${image_env[@]}" DXPIPE_PATIENT_KEY=image-check-key-0123456789abcdef "$(command -v chroot)" "$root" \
        "${ep[@]}" --check 2>&1)"; then
    echo "[dxpipe] the image's entry point failed with --check:" >&2
    tail -20 <<< "$out" >&2
    exit 1
  fi
  echo "[dxpipe] the image's entry point with --check: $(tail -n 1 <<< "$out")"
  if [[ -n "$smoke_model" ]]; then
    mkdir -p "$root/models" "$root/data"
    cp -r "$smoke_model/." "$root/models/"
    token="smoke-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    echo "$(printf %s "$token" | sha256sum | cut -d' ' -f1) clinician,admin,monitor image-smoke" > "$root/run/secrets/dxpipe-tokens"
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    unshare -r -m --fork sh -c 'mount --rbind /proc "$0/proc" && mount --rbind /dev "$0/dev" && exec "$@"' "$root" \
      env -i "${image_env[@]}" DXPIPE_PATIENT_KEY=image-check-key-0123456789abcdef "$(command -v chroot)" "$root" \
      "${ep[@]}" serve.port="$port" serve.model.path=/models/sparkml serve.poll-seconds=0 > "$unpacked/serve.log" 2>&1 &
    launcher=$!
    healthy=false
    for _ in $(seq 1 180); do
      if curl -sf -m 2 "http://127.0.0.1:$port/health" > /dev/null; then healthy=true; break; fi
      kill -0 "$launcher" 2>/dev/null || break
      sleep 1
    done
    answer=""
    if [[ "$healthy" == true ]]; then
      answer="$(curl -sf -m 10 -H "Authorization: Bearer $token" \
        "http://127.0.0.1:$port/predict?symptoms=fever,cough&age=40&gender=female" || true)"
    fi
    java_pid="$(pgrep -P "$launcher" || true)"
    if [[ -n "$java_pid" ]]; then kill -TERM "$java_pid" 2>/dev/null || true; fi
    status=0
    wait "$launcher" || status=$?
    if [[ "$healthy" != true || "$answer" != *'"predicted_code"'* || "$status" != 0 ]]; then
      echo "[dxpipe] the image did not serve the model (healthy: $healthy, exit $status); its log:" >&2
      grep -v '^\s*at ' "$unpacked/serve.log" | tail -30 >&2
      exit 1
    fi
    echo "[dxpipe] the image served $smoke_model: $(grep -o '"predicted_code":"[^"]*"' <<< "$answer" | head -n 1), stopped with exit 0"
    grep -E 'loaded model|listening|rows appended' "$unpacked/serve.log" | sed 's/^/  /'
  fi
else
  echo "[dxpipe] no user namespaces here (unshare -r): the entry point was not run"
  [[ -z "$smoke_model" ]] || { echo "[dxpipe] --smoke needs user namespaces (unshare -r)" >&2; exit 1; }
fi
