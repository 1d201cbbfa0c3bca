#!/usr/bin/env bash
# Issue #22's ablations: each choice of the Fashion-MNIST recipe against its alternative, several seeds each, on the
# embedded subset (5,400 training and 600 validation images, 20 epochs: ~3 minutes a run alone on 2 cores). Only the
# validation split decides; the subset's test split is not read.
#   bench/ablations.sh [SEEDS] [VARIANT...]     (default 3 seeds, every variant)
# One JSON line a finished run goes to bench/results/ablations.jsonl. Resumable: a (variant, seed) already there is
# skipped, and a run stopped part-way continues from its checkpoint. Run it with the CPU to itself.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seeds=${1:-3}
shift || true
runs=${ABLATION_DIR:-$here/target/ablations}
log="$here/bench/results/ablations.jsonl"

# The baseline is the recorded benchmark's recipe (bench/results/fashion-mnist.json) at the subset's scale.
# --width, --input-size and --epochs may each be given once, so a variant that changes one of them replaces it.
base=(--model googlenet-torchvision --data fashion-mnist-subset --no-test --recipe small-grayscale
      --set augmentation.crop.minArea=0.8 --set augmentation.crop.minAspect=0.9
      --set augmentation.crop.maxAspect=1.11 --set augmentation.photometric.brightness=0
      --set augmentation.photometric.contrast=0)
# variant name, then what it changes; in the order they are run.
variants=(
  "baseline|"
  "no-label-smoothing|--set regularization.labelSmoothing=0"
  "no-ema|--set regularization.emaDecay=0"
  "aux-heads|"
  "input-56|--input-size 56"
  "width-0.75|--width 0.75"
  "crops-60-100|--set augmentation.crop.minArea=0.6 --set augmentation.crop.minAspect=0.75 --set augmentation.crop.maxAspect=1.3333"
  "epochs-40|--epochs 40"
  "rmsprop|--set optimization.optimizer=rmsprop"
  "photometric|--set augmentation.photometric.brightness=0.1 --set augmentation.photometric.contrast=0.2"
)

wanted=("$@")
for entry in "${variants[@]}"; do
  name=${entry%%|*}
  change=${entry#*|}
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " =~ " $name " ]]; then
    continue
  fi
  for seed in $(seq 1 "$seeds"); do
    if [ -f "$log" ] && grep -q "\"variant\":\"$name\",\"seed\":$seed," "$log"; then
      continue
    fi
    dir="$runs/$name-seed$seed"
    start=$(date +%s)
    # Every variant but aux-heads builds the network without the auxiliary classifiers, as the baseline does.
    aux=--no-aux
    logged=$change
    if [ "$name" = aux-heads ]; then
      aux=
      logged="(auxiliary heads kept: no --no-aux)"
    fi
    if [ -e "$dir/checkpoint" ]; then
      "$here/inception" train --resume --out "$dir" >"$dir.log" 2>&1
    else
      rm -rf "$dir"
      mkdir -p "$runs"
      # shellcheck disable=SC2086 # $aux and $change are lists of arguments
      sized=()
      for default in "--width 0.5" "--input-size 40" "--epochs 20"; do
        if [[ " $change " != *" ${default%% *} "* ]]; then
          # shellcheck disable=SC2206 # an option and its value
          sized+=($default)
        fi
      done
      "$here/inception" train "${base[@]}" "${sized[@]}" $aux $change --seed "$seed" --out "$dir" >"$dir.log" 2>&1
    fi
    # The last epoch's validation accuracy (the EMA weights where the run averages) and the best of any epoch.
    python3 - "$dir/metrics.csv" "$name" "$seed" "$logged" "$start" >>"$log" <<'EOF'
import csv, json, sys, time
rows = list(csv.DictReader(open(sys.argv[1])))
print(json.dumps({"variant": sys.argv[2], "seed": int(sys.argv[3]), "change": sys.argv[4],
                  "epochs": int(rows[-1]["epoch"]), "val_accuracy": float(rows[-1]["val_accuracy"]),
                  "best_val_accuracy": max(float(r["val_accuracy"]) for r in rows),
                  "minutes": round((time.time() - int(sys.argv[5])) / 60, 1)}, separators=(",", ":")))
EOF
    tail -1 "$log"
  done
done
