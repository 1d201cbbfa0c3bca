#!/usr/bin/env bash
# The cost of one exchange of inception-spark train per model size (docs/distributed.md): each model trains one
# short epoch with two replicas in local-cluster[2,1,4608] (two executor JVMs, one core each), exchanging after
# every step (the embedded subset with 95% held out: 8 rounds of 32 images), and prints DistributedTraining's
# summary (auxiliary heads off, so that inception-v3 admits 75 × 75): the median round, the slowest replica's training steps in it, and the rest (serialising, sending,
# loading and averaging the state, scheduling). Usage: bench/spark-exchange.sh [MODEL ...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
models=("${@:-googlenet-torchvision googlenet inception-v3}")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/spark-home/jars"
cp="$here/target/inception4j-spark.jar:$(echo "$here"/target/spark-servlet/*.jar):$(cat "$here/target/spark-classpath.txt"):$here/target/inception4j.jar"
lscpu | grep -E "Model name|^CPU\(s\)" | tr -s ' '
for model in ${models[*]}; do
  echo "== $model"
  SPARK_HOME="$work/spark-home" SPARK_SCALA_VERSION=2.13 INCEPTION_JAVA_OPTS="-Dspark.executor.extraClassPath=$cp \
    -Dspark.executor.extraJavaOptions=-Dai.djl.offline=true -Dspark.executor.memory=4g" \
    "$here/inception-spark" train --master 'local-cluster[2,1,4608]' --replicas 2 --sync-every 1 \
      --model "$model" --no-aux --input-size 75 --data fashion-mnist-subset --epochs 1 --batch-size 32 \
      --set validationFraction=0.95 --out "$work/run-$model" 2>&1 | grep -E "exchanges of|error|Exception" || true
done
