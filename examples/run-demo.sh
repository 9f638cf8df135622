#!/usr/bin/env bash
# Run the exporter on the shipped plan with the demo (synthetic) data.
# Everything it writes goes to ./demo (or $DEMO_DIR); delete it to start over.
set -euo pipefail
cd "$(dirname "$0")/.."
demo=${DEMO_DIR:-./demo}
rm -rf "$demo"
mkdir -p "$demo"
cp -r examples/inbox "$demo/inbox"
# The shipped plan, its name marked as demo data, so that every page and
# the API say so (the header of each page shows the plan's name).
awk '!done && /^name = "/ { sub(/^name = "/, "name = \"【示例数据（虚构）】"); done = 1 } { print }' \
	config/plan.toml >"$demo/plan.toml"
echo "demo data (synthetic) copied to $demo/inbox; open http://localhost:9877/ once started" >&2
exec go run ./cmd/indicator_exporter \
	--config="$demo/plan.toml" \
	--storage.path="$demo/data" \
	--inbox.dir="$demo/inbox" \
	--inbox.archive-dir="$demo/archive" \
	--inbox.rejected-dir="$demo/rejected" \
	--inbox.settle-period=1s \
	"$@"
