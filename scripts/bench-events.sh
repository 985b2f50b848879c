#!/usr/bin/env bash
# Benchmark of measured indicators (issue 4): durable ingestion of dossier events, and the
# QĐ 766 table of all agencies for a month, a quarter and a year, cold and warm, with
# tiendo (DataFusion) and with DuckDB (from PyPI, in a venv under ~/.cache) running the
# same SQL over the same Parquet files. Prints a Markdown table for BENCHMARKS.md.
#
#   scripts/bench-events.sh DOSSIERS [SEED]
#
# DOSSIERS of the year 2024 are generated in parts of at most 10 million dossiers
# (`gen-events --part K/P`: a stretch of the year each, in order of receipt, as procedure
# systems would send them). Each part is written to an NDJSON file (about 1,2 KB and 3,1
# events per dossier), ingested durably, and compacted before the next, so the disk holds
# one part's file, log and compaction scratch (~25 GB) besides the Parquet tables, and the
# log never holds more than a part.
# Run it with nothing else building:  nice scripts/bench-events.sh 100000000
# BENCH_QUERIES_ONLY=1 times the queries again on the event store of the previous run.
set -euo pipefail
cd "$(dirname "$0")/.."
DOSSIERS=${1:?usage: scripts/bench-events.sh DOSSIERS [SEED]}
SEED=${2:-1}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tiendo-target}"
WORK="${BENCH_DIR:-$HOME/.cache/tiendo-bench-events}"
VENV="$HOME/.cache/tiendo-bench-venv"
PERIODS=(2024-05 2024-Q2 2024)
WARM_RUNS=5

cargo build --release --locked -p tiendo >&2
BIN="$CARGO_TARGET_DIR/release/tiendo"
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/python" -c 'import duckdb' 2>/dev/null || "$VENV/bin/pip" install -q duckdb >&2
DUCKDB_VERSION=$("$VENV/bin/python" -c 'import duckdb; print(duckdb.__version__)')

DB="$WORK/tiendo.db"; EV="$WORK/events"
peak() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$1"; }
# BENCH_QUERIES_ONLY=1: keep the event store of the previous run and time the queries only.
if [ "${BENCH_QUERIES_ONLY:-0}" != 1 ]; then
rm -rf "$WORK"; mkdir -p "$WORK"
"$BIN" --database "$DB" init > /dev/null

PARTS=${BENCH_PARTS:-$(( (DOSSIERS + 9999999) / 10000000 ))}
: > "$WORK/empty.ndjson"
GEN_S=0; INGEST_S=0; COMPACT_S=0; INGEST_MB=0; COMPACT_MB=0; NDJSON_MB=0; EVENTS=0
add() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a + b}'; }
max() { echo $(( $1 > $2 ? $1 : $2 )); }
for K in $(seq 1 "$PARTS"); do
  echo "== part $K/$PARTS: generate (seed $SEED), ingest durably, compact" >&2
  T0=$(date +%s.%N)
  "$BIN" gen-events --dossiers "$DOSSIERS" --seed "$SEED" --part "$K/$PARTS" -o "$WORK/events.ndjson"
  GEN_S=$(add "$GEN_S" "$(awk -v t="$T0" -v n="$(date +%s.%N)" 'BEGIN {print n - t}')")
  EVENTS=$(( EVENTS + $(wc -l < "$WORK/events.ndjson") ))
  NDJSON_MB=$(( NDJSON_MB + $(stat -c %s "$WORK/events.ndjson") / 1048576 ))
  /usr/bin/time -v "$BIN" --database "$DB" ingest "$WORK/events.ndjson" --no-compact --events-dir "$EV" > "$WORK/ingest.out" 2> "$WORK/ingest.time"
  cat "$WORK/ingest.out" >&2
  INGEST_S=$(add "$INGEST_S" "$(grep -oP 'Thời gian: \K[0-9.,]+' "$WORK/ingest.out" | tr -d . | tr , .)")
  INGEST_MB=$(max "$INGEST_MB" "$(peak "$WORK/ingest.time")")
  rm "$WORK/events.ndjson"
  /usr/bin/time -v "$BIN" --database "$DB" ingest "$WORK/empty.ndjson" --events-dir "$EV" > "$WORK/compact.out" 2> "$WORK/compact.time"
  cat "$WORK/compact.out" >&2
  COMPACT_S=$(add "$COMPACT_S" "$(grep -oP 'phân vùng tháng ghi lại trong \K[0-9.,]+' "$WORK/compact.out" | tr -d . | tr , .)")
  COMPACT_MB=$(max "$COMPACT_MB" "$(peak "$WORK/compact.time")")
done
INGEST_RATE=$(awk -v e="$EVENTS" -v s="$INGEST_S" 'BEGIN {printf "%.0f", e/s}')
cat > "$WORK/ingest.md" <<MD
- Generated NDJSON: $NDJSON_MB MB in $PARTS part(s), generated in $GEN_S s. Durable ingestion (\`tiendo ingest\`, group commit, fsync of file and directory before each acknowledgement): $INGEST_S s, **$INGEST_RATE events/s**, peak memory $INGEST_MB MB.
- Compaction into Parquet with the rollups, after each part: $COMPACT_S s in all, peak memory $COMPACT_MB MB.
MD
fi
EVENTS=$("$BIN" --database "$DB" ingest "$WORK/empty.ndjson" --events-dir "$EV" | grep -oP 'Kho sự kiện .*: \K[0-9.]+' | tr -d .)
PARQUET_MB=$(du -sm "$EV/events" | cut -f1); DAILY_MB=$(du -sm "$EV/daily" | cut -f1); OVERDUE_MB=$(du -sm "$EV/overdue" | cut -f1)

cat > "$WORK/duck.py" <<'PY'
import os, sys, time, duckdb
root, sql_file, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
sql = open(sql_file).read().rstrip().rstrip(';')
con = duckdb.connect()
con.execute(f"CREATE VIEW daily AS SELECT * FROM read_parquet('{root}/daily/*/*.parquet', hive_partitioning = false)")
con.execute(f"CREATE VIEW overdue AS SELECT * FROM read_parquet('{root}/overdue/*/*.parquet', hive_partitioning = false)")
if os.path.isdir(f"{root}/monthly"):
    con.execute(f"CREATE VIEW monthly AS SELECT * FROM read_parquet('{root}/monthly/*/*.parquet', hive_partitioning = false)")
times = []
for _ in range(runs):
    t = time.perf_counter(); rows = con.execute(sql).fetchall(); times.append((time.perf_counter() - t) * 1000)
print(len(rows), sum(r[1] for r in rows), " ".join(f"{t:.1f}" for t in times))
PY

median() { tr ' ' '\n' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ROWS=""
for P in "${PERIODS[@]}"; do
  # The SQL tiendo runs on this store (from `monthly` for whole months once compacted).
  "$BIN" --database "$DB" measure --period "$P" --print-sql --events-dir "$EV" > "$WORK/q-$P.sql"
  # tiendo: a fresh process (cold: new session, file metadata not cached) then warm runs.
  /usr/bin/time -v "$BIN" --database "$DB" measure --period "$P" --no-store --repeat $((WARM_RUNS + 1)) --events-dir "$EV" > "$WORK/m-$P.out" 2> "$WORK/m-$P.time"
  T=$(grep -oP 'thời gian \(ms\): \K.*' "$WORK/m-$P.out" | tr -d . | tr , .)
  T_COLD=$(echo "$T" | awk '{print $1}'); T_WARM=$(echo "$T" | cut -d' ' -f2- | median)
  T_MB=$(peak "$WORK/m-$P.time")
  # DuckDB: the same SQL text over the same files, fresh process.
  /usr/bin/time -v "$VENV/bin/python" "$WORK/duck.py" "$EV" "$WORK/q-$P.sql" $((WARM_RUNS + 1)) > "$WORK/d-$P.out" 2> "$WORK/d-$P.time"
  D=$(cut -d' ' -f3- "$WORK/d-$P.out")
  D_COLD=$(echo "$D" | awk '{print $1}'); D_WARM=$(echo "$D" | cut -d' ' -f2- | median)
  D_MB=$(peak "$WORK/d-$P.time")
  AGENCIES=$(grep -oP 'Truy vấn QĐ 766 [^:]+: \K[0-9]+' "$WORK/m-$P.out")
  RECEIVED=$(grep -oP '([0-9.]+)(?= hồ sơ tiếp nhận)' "$WORK/m-$P.out" | tr -d .)
  DUCK_AGENCIES=$(cut -d' ' -f1 "$WORK/d-$P.out"); DUCK_RECEIVED=$(cut -d' ' -f2 "$WORK/d-$P.out")
  [ "$AGENCIES/$RECEIVED" = "$DUCK_AGENCIES/$DUCK_RECEIVED" ] || { echo "results differ for $P: tiendo $AGENCIES/$RECEIVED, DuckDB $DUCK_AGENCIES/$DUCK_RECEIVED" >&2; exit 1; }
  RATIO_COLD=$(awk -v a="$T_COLD" -v b="$D_COLD" 'BEGIN {printf "%.2f", a/b}')
  RATIO_WARM=$(awk -v a="$T_WARM" -v b="$D_WARM" 'BEGIN {printf "%.2f", a/b}')
  ROWS+="| $P | $AGENCIES / $RECEIVED | $T_COLD | $T_WARM | $D_COLD | $D_WARM | $RATIO_COLD | $RATIO_WARM | $T_MB / $D_MB |"$'\n'
done

cat <<MD
Command: \`nice scripts/bench-events.sh $DOSSIERS $SEED\` on $(nproc) cores, $(date -u +%Y-%m-%d), DuckDB $DUCKDB_VERSION (PyPI).

- Data: $DOSSIERS dossiers, $EVENTS events of 2024; Parquet: events $PARQUET_MB MB, rollup \`daily\` $DAILY_MB MB, \`overdue\` $OVERDUE_MB MB.
$(cat "$WORK/ingest.md")

| period | agencies / dossiers received (same in both) | tiendo cold ms | tiendo warm ms (median of $WARM_RUNS) | DuckDB cold ms | DuckDB warm ms | ratio cold | ratio warm | peak MB (tiendo / DuckDB) |
|---|---|---|---|---|---|---|---|---|
$ROWS
MD
