#!/usr/bin/env bash
# Time to accuracy, side by side: `imgclass train --preset fast --budget B` against the PyTorch eager
# reference (bench/pytorch_fast_reference.py) given the same budget, alternating runs in one sitting with
# the same threads and malloc settings. Each line is one run's JSON; compare test accuracy at equal budget.
# Usage: bench/time-to-accuracy.sh [budget, e.g. 5m] [rounds] [threads]
set -euo pipefail
cd "$(dirname "$0")/.."
budget=${1:-5m}; rounds=${2:-3}; threads=${3:-2}
seconds=$(python3 -c "import re,sys; print(sum(float(v)*{'h':3600,'m':60,'s':1}[u] for v,u in re.findall(r'([\d.]+)([hms])', sys.argv[1])))" "$budget")
export GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824
dotnet build src/ImageClassifier.Cli -c Release -v quiet -nologo >/dev/null
imgclass=src/ImageClassifier.Cli/bin/Release/net10.0/linux-x64/imgclass
out=$(mktemp -d)
lscpu | grep 'Model name'
for r in $(seq "$rounds"); do
  echo "round $r"
  "$imgclass" train --data fashion-mnist --preset fast --budget "$budget" --threads "$threads" --no-report --output "$out/r$r" --json 2>/dev/null \
    | python3 -c "import json,sys; d=json.load(sys.stdin); print(json.dumps({'engine':'imgclass','budget_s':$seconds,'epochs':d['epochs'],'test_accuracy':d['test_accuracy'],'seconds':d['seconds']}))"
  /usr/bin/python3 bench/pytorch_fast_reference.py --budget "$seconds" --threads "$threads"
done
rm -rf "$out"
