#!/usr/bin/env bash
# Load test of the public site (issue 29) against the server's ceiling: wrk against
# loopback on a release build with the demo data and one published edition, the public
# edition page, the list, the catalogue and a static file served by the same server.
# Usage: scripts/bench-public.sh [DURATION] [CONNECTIONS]   (default 10s, 100)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10s}"
connections="${2:-100}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tiendo-target}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --locked -p tiendo
bin="$CARGO_TARGET_DIR/release/tiendo"
work="$(mktemp -d)"
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" --database "$work/bench.db" demo --no-serve --reports "$work/reports" >/dev/null
today="$(TZ=Asia/Ho_Chi_Minh date +%F)"
edition="$("$bin" --database "$work/bench.db" issue --programme kh2024 --number 15 --public-from "$today" | sed -n 's/^Đã ban hành bản \([^ :]*\).*/\1/p')"
"$bin" --database "$work/bench.db" serve --listen 127.0.0.1:18081 --compact-every 0 >/dev/null 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:18081/cong-khai && break; sleep 0.1; done
echo "## $(date -u +%Y-%m-%d) on $(nproc) cores, wrk -t2 -c$connections -d$duration --latency"
for path in /assets/style.css "/cong-khai/ban/$edition" /cong-khai /cong-khai/danh-muc.jsonld "/cong-khai/ban/$edition/so-lieu.csv"; do
    curl -sf -o /dev/null "http://127.0.0.1:18081$path"
    echo "### $path"
    wrk -t2 -c"$connections" -d"$duration" --latency "http://127.0.0.1:18081$path" | grep -E "Requests/sec|99%|50%|Non-2xx"
done
