#!/usr/bin/env bash
# Runs several of our backends and several torchvision anchor variants in turn, ROUNDS times (A B C ... A B C ...),
# on one model and batch, and prints each one's median images/s and its ratio to every other, per round and as the
# median of the per-round ratios. JSON lines go to bench/results/compare.jsonl.
#
#   bench/variants.sh MODEL ANCHOR BATCH ROUNDS ITERS
#   bench/variants.sh googlenet-torchvision googlenet 8 3 10
# Our variants: the backends djl, onnxruntime, onnxruntime-int8 (OURS overrides, space separated);
# the anchor's: eager frozen bf16 int8 (ANCHOR_VARIANTS overrides).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model=$1 anchor=$2 batch=$3 rounds=${4:-3} iters=${5:-10}
anchor_script="${ANCHOR_SCRIPT:-$here/../shared/bench/torchvision_bench.py}"
read -r -a ours <<< "${OURS:-djl onnxruntime onnxruntime-int8}"
read -r -a theirs <<< "${ANCHOR_VARIANTS:-eager frozen bf16 int8}"
log="$here/bench/results/compare.jsonl"
runs=$(mktemp)
for ((r = 1; r <= rounds; r++)); do
  for backend in "${ours[@]}"; do
    line=$("$here/inception" bench --model "$model" --batch "$batch" --threads 2 --iters "$iters" \
        --backend "$backend" --json 2>/dev/null)
    echo "$line" >> "$log"
    echo "$r ours:$backend $line" >> "$runs"
  done
  for variant in "${theirs[@]}"; do
    line=$(/usr/bin/python3 "$anchor_script" --model "$anchor" --batch "$batch" --threads 2 --iters "$iters" \
        --variant "$variant")
    echo "$line" >> "$log"
    echo "$r torch:$variant $line" >> "$runs"
  done
done
/usr/bin/python3 "$here/bench/ratio.py" table "$runs"
rm -f "$runs"
