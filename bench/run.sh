#!/usr/bin/env bash
# One command for the whole benchmark: builds the exporter and the
# references, starts everything on loopback, prints one table.
#   bash bench/run.sh                      # 10k and 100k series, 100 MB ingest (and 250 MB: memory)
#   SIZES=10k=35 INGEST_MB=10 bash bench/run.sh   # a quick run
#   STARTUP_OBS=10000000 bash bench/run.sh        # also the 10M-observation start-up (slow to fill)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v prometheus-node-exporter >/dev/null || {
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends prometheus-node-exporter >/dev/null
}
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
go build -o "$work/indicator_exporter" ./cmd/indicator_exporter
go build -o "$work/refexporter" ./bench/refexporter
go run ./bench/benchrun -exporter "$work/indicator_exporter" -ref "$work/refexporter" -work "$work" \
	-sizes "${SIZES:-10k=35,100k=350}" -rounds "${ROUNDS:-20}" -ingest-mb "${INGEST_MB:-100}" -ingest-large-mb "${INGEST_LARGE_MB:-$((${INGEST_MB:-100} * 5 / 2))}" \
	-startup-observations "${STARTUP_OBS:-0}"
