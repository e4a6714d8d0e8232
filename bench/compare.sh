#!/usr/bin/env bash
# Side-by-side throughput: `imgclass bench` against the PyTorch eager reference, alternating
# runs in one sitting with the same threads, batch size and malloc settings (guide, section 3).
# imgclass runs once per precision named (default float32; "float32 auto" adds bfloat16 where the CPU has it).
# Usage: bench/compare.sh [rounds] [threads] [batch size, default 128; the main job trains at 32] [precisions]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}; threads=${2:-2}; batch=${3:-128}; precisions=${4:-float32}
export GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824
dotnet build src/ImageClassifier.Cli -c Release -v quiet -nologo >/dev/null
imgclass=src/ImageClassifier.Cli/bin/Release/net10.0/linux-x64/imgclass
for r in $(seq "$rounds"); do
  echo "round $r"
  for p in $precisions; do
    "$imgclass" bench --threads "$threads" --batch-size "$batch" --precision "$p" --json | tr -d '\n ' ; echo
  done
  /usr/bin/python3 bench/pytorch_reference.py --threads "$threads" --batch-size "$batch"
done
