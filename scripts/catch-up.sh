#!/usr/bin/env bash
# A day through NATS: the relay's throughput, and how long a reader takes
# to catch up on the day's history (issue 10's benchmark: a 10-hour day of
# a 5,000-agent floor, under 10 s). Starts its own nats-server (JetStream)
# on a free loopback port, and stops it.
#
#   scripts/catch-up.sh                 # 3,450,000 events (10 h), --batch 10
#   scripts/catch-up.sh 3450000 1       # one event a broker message
#
# The benchmark floor makes about 96 events a second; a live relay with the
# default --linger (100 ms) sends them about ten to a message, so --batch 10
# stores the day as a live relay would. (A replay at full speed would fill
# every message to --batch.) Needs nats-server and tmux.
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-3450000}
batch=${2:-10}
cargo build --release -q -p queuetop --bin queuetop --example make_stream
bin=$PWD/target/release/queuetop
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$dir/nats.conf" <<EOF
listen: 127.0.0.1:$port
jetstream { store_dir: "$dir/js", max_file_store: 8G }
max_payload: 8MB
EOF
nats-server -c "$dir/nats.conf" >"$dir/nats.log" 2>&1 &
nats=$!
cleanup() {
  tmux kill-session -t queuetop-catch-up 2>/dev/null || true
  kill "$nats" 2>/dev/null || true
  wait "$nats" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
sleep 1
url=nats://127.0.0.1:$port
subject=queuetop.day.events
# A reader takes the relay's end-of-day snapshot (5,000 agents, over 1 MiB).
printf '[feed]\nmax_frame_bytes = 8388608\n' >"$dir/reader.toml"
printf '[feed]\nmax_frame_bytes = 8388608\n[history]\nmax_mib = 0\n' >"$dir/nohistory.toml"

target/release/examples/make_stream "$dir/day.jsonl" --events "$events"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"

start=$(date +%s.%N)
"$bin" relay --replay "$dir/day.jsonl" --speed max --to "$url" --site day \
  --batch "$batch" --retention 48h --log "$dir/relay.log"
end=$(date +%s.%N)
python3 -c "s=$end-$start; print(f'relay: {$events} events in {s:.1f} s: {$events/s:,.0f} events/s in and published (--batch $batch)')"

"$bin" snapshot --replay "$dir/day.jsonl" --speed max --window today --format json >"$dir/replay.json"
"$bin" snapshot --config "$dir/reader.toml" --url "$url" --subject "$subject" --window today \
  --after 60s --format json --log "$dir/reader.log" >"$dir/reader.json"
echo "snapshot reader: $(grep -o 'history loaded.*' "$dir/reader.log")"
python3 - "$dir/replay.json" "$dir/reader.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
same = a["totals"] == b["totals"] and a["queues"] == b["queues"]
print("figures: " + ("the same as snapshot --replay of the file" if same else "DIFFERENT from snapshot --replay"))
EOF

# The view (two threads; the rewind history on by default), in tmux.
for what in history nohistory; do
  config=$dir/reader.toml
  [ "$what" = nohistory ] && config=$dir/nohistory.toml
  rm -f "$dir/view.log"
  tmux new-session -d -s queuetop-catch-up -x 160 -y 48 \
    "$bin --config $config --url $url --subject $subject --window today --log $dir/view.log"
  for _ in $(seq 240); do
    sleep 0.5
    grep -q 'history loaded' "$dir/view.log" 2>/dev/null && break
  done
  echo "view ($what): $(grep -o 'history loaded.*' "$dir/view.log" || echo 'not loaded in 120 s')"
  tmux kill-session -t queuetop-catch-up
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
