#!/usr/bin/env bash
# Soak: the built view against `serve-demo` in tmux for DURATION seconds,
# the server killed and restarted every CUT seconds (a link cut), the
# view's RSS sampled every minute. Usage: scripts/soak.sh BIN DURATION CUT
set -u
BIN=${1:-target/release/queuetop}; DUR=${2:-3600}; CUT=${3:-300}; PORT=${PORT:-47311}
start_server() { "$BIN" serve-demo --listen 127.0.0.1:$PORT >/dev/null 2>&1 & SRV=$!; }
start_server
tmux new-session -d -s qtsoak -x 160 -y 50 "$BIN --url ws://127.0.0.1:$PORT/"
sleep 2
VIEW=$(tmux list-panes -t qtsoak -F '#{pane_pid}')
t0=$(date +%s); next_cut=$((t0+CUT))
while [ $(( $(date +%s) - t0 )) -lt "$DUR" ]; do
  now=$(date +%s)
  echo "$(date -u +%FT%TZ) elapsed_s=$((now-t0)) rss_kib=$(awk '/VmRSS/{print $2}' /proc/$VIEW/status 2>/dev/null || echo gone)"
  if [ "$now" -ge "$next_cut" ]; then kill "$SRV"; sleep 3; start_server; next_cut=$((now+CUT)); echo "cut at $now"; fi
  sleep 60
done
kill "$SRV"; tmux kill-session -t qtsoak; echo done
