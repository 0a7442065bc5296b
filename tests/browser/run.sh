#!/usr/bin/env bash
# Starts `hailsham serve` on a free port with a fresh store, runs the browser tests against it
# (e2e.mjs), stops the server and exits with the tests' status. The binary is the first
# argument (default target/debug/hailsham, which `cargo test` builds).
#
#   bash tests/browser/run.sh [path/to/hailsham]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
binary="${1:-$here/../../target/debug/hailsham}"
store="$(mktemp -d)"
log="$store/serve.log"
# A small sweep in the store, for the pages of sweeps: a tenth of a million people to 1975.
cat >"$store/small.toml" <<'TOML'
name = "small"
[homes]
population_millions = 0.1
TOML
cat >"$store/carers.toml" <<'TOML'
name = "carers"
base = "small.toml"
replicates = 2
end_year = 1975
[design]
kind = "latin-hypercube"
points = 4
[parameters.care]
carer_share = { low = 0.3, high = 0.9, reason = "a test's range" }
TOML
"$binary" sweep "$store/carers.toml" --store "$store/runs.sqlite" -q >/dev/null
"$binary" serve --port 0 --store "$store/runs.sqlite" 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$store"' EXIT
# The server says where it listens on its first line.
for _ in $(seq 1 100); do
    if grep -q "http://" "$log"; then break; fi
    if ! kill -0 "$server" 2>/dev/null; then cat "$log" >&2; exit 1; fi
    sleep 0.1
done
url="$(grep -o 'http://[0-9.:]*' "$log" | head -1)"
if [ -z "$url" ]; then echo "the server never said where it listens:" >&2; cat "$log" >&2; exit 1; fi
echo "hailsham serve at $url (store $store)"
HAILSHAM_URL="$url" node "$here/e2e.mjs"
