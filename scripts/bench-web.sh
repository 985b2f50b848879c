#!/usr/bin/env bash
# Load test of the web app on the demo data (issue 3), with wrk against loopback, bounded
# in time: the overview page (signed in), the task-update endpoint (a journaled write per
# request), and a static file served by the same server (the ceiling). Release build.
# Usage: scripts/bench-web.sh [DURATION] [CONNECTIONS]   (default 20s, 100)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-20s}"
connections="${2:-100}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tiendo-target}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --locked -p tiendo
bin="$CARGO_TARGET_DIR/release/tiendo"
work="$(mktemp -d)"
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" --database "$work/bench.db" demo --no-serve --reports "$work/reports" >/dev/null
"$bin" --database "$work/bench.db" serve --listen 127.0.0.1:18080 >/dev/null &
server=$!
for _ in $(seq 50); do curl -sf -o /dev/null http://127.0.0.1:18080/login && break; sleep 0.1; done
cookie="$(curl -s -D - -o /dev/null -d 'username=lanhdao&password=tiendo-demo-2024' http://127.0.0.1:18080/login | sed -n 's/^set-cookie: \(tiendo_session=[^;]*\).*/\1/ip')"
token="$("$bin" --database "$work/bench.db" token --account thuky --name bench --scopes 'read write')"
cat > "$work/put.lua" <<'LUA'
-- Each request creates a task update for a new period (If-Match "0"): a journaled write.
local counter = 0
local tasks = {}
for i = 1, 20 do tasks[i] = string.format("kh2024-t%02d", i) end
function setup(thread) thread:set("offset", math.random(0, 500) * 1000) end
function request()
  counter = counter + 1
  local n = offset + counter
  local path = string.format("/api/v1/task-updates/%s/%d-%02d", tasks[n % 20 + 1], 2100 + math.floor(n / 240) % 7000, math.floor(n / 20) % 12 + 1)
  return wrk.format("PUT", path, { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json", ["If-Match"] = "0" },
    '{"status":"in_progress","result":"Đo tải."}')
end
LUA
sed -i "1i token = \"$token\"" "$work/put.lua"
echo "## $(date -u +%Y-%m-%d) on $(nproc) cores, wrk -t2 -c$connections -d$duration --latency"
echo "### static file /assets/style.css (ceiling)"
wrk -t2 -c"$connections" -d"$duration" --latency http://127.0.0.1:18080/assets/style.css | grep -E "Requests/sec|99%|50%|Non-2xx"
echo "### overview page / (signed in)"
wrk -t2 -c"$connections" -d"$duration" --latency -H "Cookie: $cookie" http://127.0.0.1:18080/ | grep -E "Requests/sec|99%|50%|Non-2xx"
echo "### PUT /api/v1/task-updates/{task}/{period} (a durable, journaled write per request)"
wrk -t2 -c"$connections" -d"$duration" --latency -s "$work/put.lua" http://127.0.0.1:18080 | grep -E "Requests/sec|99%|50%|Non-2xx"
