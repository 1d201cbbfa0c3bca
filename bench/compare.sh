#!/usr/bin/env bash
# Runs inception4j's benchmark and the torchvision anchor alternately (A B A B ...) on the same machine and prints
# the images/s of each run, the ratio per pair and the median ratio. Results are appended as JSON lines to
# bench/results/compare.jsonl.
#
#   bench/compare.sh MODE BATCH OURS ANCHOR [PAIRS] [ITERS] [EXTRA OPTIONS FOR inception bench...]
#   bench/compare.sh infer 8 googlenet-torchvision googlenet 3 10 --fold-bn
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode=$1 batch=$2 ours=$3 anchor=$4 pairs=${5:-3} iters=${6:-10}
shift $(( $# < 6 ? $# : 6 ))
extra=("$@")
anchor_script="${ANCHOR_SCRIPT:-$here/../shared/bench/torchvision_bench.py}"
mkdir -p "$here/bench/results"
log="$here/bench/results/compare.jsonl"
ratios=()
for ((i = 1; i <= pairs; i++)); do
  # Through the launcher, so ours runs with the settings users get (offline DJL, the malloc tunables).
  a=$("$here/inception" \
      bench --model "$ours" --batch "$batch" --mode "$mode" --threads 2 --iters "$iters" --json "${extra[@]}" 2>/dev/null)
  b=$(/usr/bin/python3 "$anchor_script" --model "$anchor" --batch "$batch" --mode "$mode" --threads 2 --iters "$iters")
  echo "$a" >> "$log"
  echo "$b" >> "$log"
  out=$(/usr/bin/python3 "$here/bench/ratio.py" pair "$a" "$b" "$i")
  echo "$out" | head -n 1
  ratios+=("$(echo "$out" | tail -n 1)")
done
echo -n "$mode batch $batch, $ours ${extra[*]} vs $anchor: "
/usr/bin/python3 "$here/bench/ratio.py" median "${ratios[@]}"
