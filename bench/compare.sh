#!/usr/bin/env bash
# Side-by-side throughput: `imgclass bench` against the PyTorch eager reference, alternating
# runs in one sitting with the same threads, batch size and malloc settings (guide, section 3).
# Usage: bench/compare.sh [rounds] [threads] [batch size, default 128; the main job trains at 32]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}; threads=${2:-2}; batch=${3:-128}
export GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824
dotnet build src/ImageClassifier.Cli -c Release -v quiet -nologo >/dev/null
imgclass=src/ImageClassifier.Cli/bin/Release/net10.0/linux-x64/imgclass
for r in $(seq "$rounds"); do
  echo "round $r"
  "$imgclass" bench --threads "$threads" --batch-size "$batch" --json | tr -d '\n ' ; echo
  /usr/bin/python3 bench/pytorch_reference.py --threads "$threads" --batch-size "$batch"
done
