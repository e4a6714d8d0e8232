#!/usr/bin/env bash
# The audit's figures for docs/BENCHMARKS.md: the first 10,000 Fashion-MNIST training images (and 2,000 test images)
# written as PNG folders with planted problems (exact and near copies, broken files, wrong extensions, 3% of labels
# flipped), audited with imgclass audit's defaults; prints recall, false alarms, precision at K and the time.
# Usage: bench/audit.sh [images] [threads] [extra bench audit options]. Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
images=${1:-10000}; threads=${2:-2}; shift $(( $# > 2 ? 2 : $# ))
dotnet build src/ImageClassifier.Cli -c Release -v quiet -nologo >/dev/null
lscpu | grep -m1 "Model name"
src/ImageClassifier.Cli/bin/Release/net10.0/linux-x64/imgclass bench audit --images "$images" --per-kind 20 --threads "$threads" "$@"
