#!/bin/sh
# Prints decode+apply of a whole replay as a ratio to serde_json's parse of
# the same lines into IgnoredAny, for the 5,000-agent and the 50,000-agent
# streams (issue 14's targets: 2.5x and 3x), both timed in one run.
#
#   scripts/replay-ratio.sh            # both streams, 5 runs each
#   QUEUETOP_RATIO_RUNS=9 scripts/replay-ratio.sh 50000
set -eu
cd "$(dirname "$0")/.."
cargo bench --bench replay_ratio -- "$@" 2>/dev/null | grep ratio
