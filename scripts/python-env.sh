#!/usr/bin/env bash
# Creates (once) the project's Python virtual environment with the pinned packages of
# scripts/python/requirements.txt (PySpark + delta-spark for the notebooks, pandas, matplotlib,
# MLflow, scikit-learn), and links it as .tools/python. Prints the venv's python path last.
# The environment itself lives in a per-user cache named by the requirements' hash
# (${DXPIPE_CACHE:-${XDG_CACHE_HOME:-~/.cache}/dxpipe}/python-<sha256>), so a fresh clone on a
# machine that has built it once links it instead of installing PySpark again (about 3 minutes), and
# changed requirements get an environment of their own. DXPIPE_CACHE=<dir> moves the cache.
#   scripts/python-env.sh            # install if needed, print the interpreter path
#   "$(scripts/python-env.sh | tail -1)" my_script.py
. "$(dirname "$0")/lib/common.sh"

req="$DXPIPE_ROOT/scripts/python/requirements.txt"
venv="$(dxpipe_cache_dir)/python-$(sha256sum "$req" | cut -d' ' -f1)"

create_venv() {
  command -v python3 >/dev/null || { echo "python-env: python3 (3.11) is needed" >&2; exit 1; }
  echo "[python-env] installing $req into $1 (first time: a few minutes, PySpark is ~300 MB) ..." >&2
  python3 -m venv "$1"
  "$1/bin/pip" install --quiet --disable-pip-version-check -r "$req" >&2
}

dxpipe_cached_tool python "$venv" create_venv
echo "$venv/bin/python"
