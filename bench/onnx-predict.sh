#!/usr/bin/env bash
# Prediction throughput of one model as a model file (TorchSharp) and exported to ONNX (ONNX Runtime),
# alternating in one sitting over the same image folder with `predict --output` (the sharded path),
# each run into a fresh CSV. Prints each run's final line (images/s) and the CPU model.
# The model file runs once per precision named (default float32; "float32 auto" adds bfloat16 where the CPU has it).
# Usage: bench/onnx-predict.sh MODEL.imgclass IMAGE_FOLDER [rounds] [threads] [batch] [precisions]
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:?model file}; images=${2:?image folder}; rounds=${3:-3}; threads=${4:-2}; batch=${5:-64}; precisions=${6:-float32}
dotnet build src/ImageClassifier.Cli -c Release -v quiet -nologo >/dev/null
imgclass=src/ImageClassifier.Cli/bin/Release/net10.0/linux-x64/imgclass
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$imgclass" export "$model" --output "$work/model.onnx"
"$imgclass" export "$model" --output "$work/pixels.onnx" --include-preprocessing
lscpu | grep 'Model name'
for r in $(seq "$rounds"); do
  for p in $precisions; do
    rm -f "$work/out.csv"
    printf '%-14s ' "$(basename "$model") $p"
    "$imgclass" predict "$model" "$images" --output "$work/out.csv" --threads "$threads" --batch-size "$batch" --precision "$p" 2>/dev/null
  done
  for m in "$work/model.onnx" "$work/pixels.onnx"; do
    rm -f "$work/out.csv"
    printf '%-14s ' "$(basename "$m")"
    "$imgclass" predict "$m" "$images" --output "$work/out.csv" --threads "$threads" --batch-size "$batch" 2>/dev/null
  done
done
