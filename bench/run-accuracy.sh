#!/usr/bin/env bash
# Reruns every accuracy table of docs/accuracy.md: splits each shared dev dataset 70/30 (by person where the data
# says who is who) and evaluates every catalog model on it, one run at a time (the machine has 2 cores). Each run
# scores the app's k-NN, the app's dense head, knn-classifier's plain vote and (--extra) the reference variants.
# Usage: bash bench/run-accuracy.sh [REPEATS]   (env: DATASETS_DIR, SPLITS_DIR, RESULTS_DIR, MODELS, ONLY="name ...")
set -euo pipefail
cd "$(dirname "$0")/.."

repeats="${1:-3}"
datasets_dir="${DATASETS_DIR:-../shared/datasets}"
splits_dir="${SPLITS_DIR:-/tmp/teachable-splits}"
models="${MODELS:-mobilenet-v2-0.35 mobilenet-v1-0.25 mobilenet-v2-1.0}"
results="${RESULTS_DIR:-bench/results}"
mkdir -p "$results"

# run NAME DATASET [split options]: one split, then every model on it.
run() {
  local name=$1 dataset=$2
  shift 2
  if [[ -n "${ONLY:-}" && " $ONLY " != *" $name "* ]]; then return; fi
  rm -rf "${splits_dir:?}/$name"
  node scripts/split-dataset.mjs "$datasets_dir/$dataset" "$splits_dir/$name" --test-fraction 0.3 --seed 1 "$@" \
    | tee "$results/$name.split.txt"
  for model in $models; do
    echo "== $name / $model" >&2
    start=$(date +%s)
    node scripts/eval.mjs --train "$splits_dir/$name/train" --test "$splits_dir/$name/test" \
      --shots 1,5,10,20,50 --repeats "$repeats" --model "$model" --extra --json "$results/$name--$model.json"
    echo "== $name / $model took $(($(date +%s) - start)) s" >&2
  done
}

run sign-language-digits sign-language-digits
run rock-paper-scissors rock-paper-scissors
run webcam-hand-gestures webcam-hand-gestures
# The same frames split at random: same people, same recordings on both sides (the app's usual case).
run webcam-hand-gestures-random webcam-hand-gestures --random
