#!/usr/bin/env bash
# Lints the GitHub Actions workflows (.github/workflows/*.yml) with actionlint, built from the Go
# module proxy into .tools/go-bin on first use (needs Go). CiWorkflowIT runs it.
#   scripts/lint-workflows.sh [FILE ...]     # default: .github/workflows/*.yml
. "$(dirname "$0")/lib/common.sh"

version=v1.7.7
bin="$DXPIPE_ROOT/.tools/go-bin"
if [[ ! -x "$bin/actionlint-$version" ]]; then
  command -v go >/dev/null || { echo "lint-workflows: Go is needed to build actionlint" >&2; exit 1; }
  mkdir -p "$bin"
  echo "[lint] building actionlint $version from the Go module proxy ..."
  GOBIN="$bin" GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@$version"
  mv "$bin/actionlint" "$bin/actionlint-$version"
fi
if [[ $# -eq 0 ]]; then cd "$DXPIPE_ROOT"; set -- .github/workflows/*.yml; fi
"$bin/actionlint-$version" "$@" && echo "[lint] workflows OK"
