#!/usr/bin/env bash
# Issue #22: the Fashion-MNIST ensemble (P1 §7: several models, their softmax averaged, over P1's crops).
# Trains MEMBERS models with recipe fashion-mnist and seeds 1..MEMBERS, one after the other, all holding out the same
# validation images (--split-seed 1); each member's own single-model single-crop test accuracy is its test.json,
# read once at its end. When every member is done, the ensemble is scored with every protocol up to CROPS (1..MEMBERS
# models, as P1 Table 3 prints it) on those validation images first, then once on the test split.
#   bench/fashion-mnist-ensemble.sh [MEMBERS]   (default 5; runs in ENSEMBLE_DIR, default runs/fashion-mnist;
#                                               CROPS: the largest crop protocol scored, default mirror (the
#                                               centre view and its mirror): on validation, 10 and 144 crops
#                                               scored worse than the centre view, the mirror better, for one
#                                               and for three members (docs/benchmarks.md);
#                                               INPUT_SIZES: one input size a member, e.g. "40 40 56"; a member
#                                               not at the recipe's 40 trains in member-SEED-inputSIZE)
# Resumable: stop it at any time (SIGTERM or Ctrl-C: the member in training writes a checkpoint at the next batch);
# run it again to continue exactly where it stopped. Give it the CPU to itself.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
members=${1:-5}
root=${ENSEMBLE_DIR:-$here/runs/fashion-mnist}
mkdir -p "$root"
child=
trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null && wait "$child"; exit 143' TERM INT
read -r -a sizes <<<"${INPUT_SIZES:-}"
if [ "${#sizes[@]}" -ne 0 ] && [ "${#sizes[@]}" -ne "$members" ]; then
  echo "INPUT_SIZES has ${#sizes[@]} sizes for $members members" >&2
  exit 2
fi
dirs=()
for seed in $(seq 1 "$members"); do
  size=${sizes[$((seed - 1))]:-40}
  dir="$root/member-$seed"
  [ "$size" = 40 ] || dir="$dir-input$size"
  dirs+=("$dir")
  if [ -f "$dir/test.json" ]; then
    continue
  fi
  if [ -e "$dir/checkpoint" ]; then
    "$here/inception" train --resume --out "$dir" >>"$dir.log" 2>&1 &
  else
    rm -rf "$dir"
    "$here/inception" train --recipe fashion-mnist --model googlenet-torchvision --width 0.75 --no-aux \
      --data fashion-mnist --split-seed 1 --seed "$seed" --input-size "$size" --out "$dir" >>"$dir.log" 2>&1 &
  fi
  child=$!
  wait "$child"
  child=
  python3 -c 'import json, sys; print(sys.argv[1], "test accuracy", json.load(open(sys.argv[2]))["accuracy"])' \
    "member $seed" "$dir/test.json"
done
checkpoints=()
for dir in "${dirs[@]}"; do
  checkpoints+=("$dir/model")
done
crops=${CROPS:-mirror}
"$here/inception" evaluate --checkpoint "${checkpoints[@]}" --validation-of "${dirs[0]}" --crops "$crops" --table \
  --out "$root/ensemble-$members-validation"
"$here/inception" evaluate --checkpoint "${checkpoints[@]}" --data fashion-mnist:test --crops "$crops" --table \
  --out "$root/ensemble-$members-test"
