#!/usr/bin/env bash
# inception-spark evaluate against inception evaluate on the same checkpoint and data, alternating A B C, ROUNDS
# times: wall seconds per run (JVM and Spark start-up included) and the top-1 each printed.
# Usage: bench/spark-evaluate.sh CHECKPOINT DATA [ROUNDS]   e.g. bench/spark-evaluate.sh demo-run/model fashion-mnist:test 3
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
checkpoint=$1 data=$2 rounds=${3:-3}
lscpu | grep -E "Model name|^CPU\(s\)|^Model:" | tr -s ' '
run() {
  local name=$1; shift
  local t0 t1 out
  t0=$(date +%s.%N)
  out=$("$@" --checkpoint "$checkpoint" --data "$data" --json 2>/dev/null)
  t1=$(date +%s.%N)
  printf '%-34s %6.1f s  top-1 %s\n' "$name" "$(echo "$t1 - $t0" | bc)" \
    "$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["top1"])')"
}
for ((r = 1; r <= rounds; r++)); do
  run "inception evaluate" "$here/inception" evaluate
  run "inception-spark evaluate local[1]" "$here/inception-spark" evaluate --master 'local[1]'
  run "inception-spark evaluate local[2]" "$here/inception-spark" evaluate --master 'local[2]'
done
