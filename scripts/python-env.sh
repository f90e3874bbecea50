#!/usr/bin/env bash
# Creates (once) the project's Python virtual environment in .tools/python with the pinned
# packages of scripts/python/requirements.txt (PySpark + delta-spark for the notebooks, pandas,
# matplotlib). Re-creates it when the requirements change. Prints the venv's python path last.
#   scripts/python-env.sh            # install if needed, print the interpreter path
#   "$(scripts/python-env.sh | tail -1)" my_script.py
. "$(dirname "$0")/lib/common.sh"

venv="$DXPIPE_ROOT/.tools/python"
req="$DXPIPE_ROOT/scripts/python/requirements.txt"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"

if [[ ! -x "$venv/bin/python" || "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
  command -v python3 >/dev/null || { echo "python-env: python3 (3.11) is needed" >&2; exit 1; }
  echo "[python-env] installing $req into $venv (first time: a few minutes, PySpark is ~300 MB) ..." >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" >&2
  echo "$want" > "$stamp"
fi
echo "$venv/bin/python"
