#!/usr/bin/env bash
# Rebuilds lib/src/main/resources/catalogue/disease-catalogue.json from ../shared/data/external and
# the curated files in conf/catalogue. Usage: scripts/build-catalogue.sh [--shared DIR]
. "$(dirname "$0")/lib/common.sh"
cd "$DXPIPE_ROOT"
dxpipe_build_if_needed
dxpipe_run_java io.dxpipe.jobs.BuildCatalogueJob "$@"
