#!/usr/bin/env bash
# Prints the path of the JSON schema of databricks.yml (Databricks Asset Bundles), fetching it first
# if needed: the schema ships in the Databricks CLI's Go module, which the Go module proxy serves
# (no Databricks CLI or workspace needed). DatabricksBundleIT validates databricks/ against it.
#   scripts/databricks-schema.sh          # -> .tools/databricks/bundle-schema-<version>.json
# DATABRICKS_CLI_VERSION picks the CLI release (default: the newest the proxy served when written).
. "$(dirname "$0")/lib/common.sh"

version="${DATABRICKS_CLI_VERSION:-v0.298.0}"
proxy="${GOPROXY:-https://proxy.golang.org}"; proxy="${proxy%%,*}"
[[ "$proxy" == direct || "$proxy" == off ]] && proxy=https://proxy.golang.org
out="$DXPIPE_ROOT/.tools/databricks/bundle-schema-$version.json"
if [[ ! -s "$out" ]]; then
  mkdir -p "$(dirname "$out")"
  zip="$(mktemp)"; trap 'rm -f "$zip"' EXIT
  curl -fsS --retry 3 -o "$zip" "$proxy/github.com/databricks/cli/@v/$version.zip" \
    || { echo "databricks-schema: could not fetch github.com/databricks/cli@$version from $proxy" >&2; exit 1; }
  python3 - "$zip" "$version" "$out" <<'PY'
import sys, zipfile
zip_path, version, out = sys.argv[1:]
with zipfile.ZipFile(zip_path) as z:
    data = z.read(f"github.com/databricks/cli@{version}/bundle/schema/jsonschema.json")
with open(out, "wb") as f:
    f.write(data)
PY
fi
echo "$out"
