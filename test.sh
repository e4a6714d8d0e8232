#!/usr/bin/env bash
# The test suite, set-up included: installs what the tests need (Fashion-MNIST, the fonts the
# pictures are drawn with, Chromium to open pages, Open MPI for distributed training, Python's onnx
# checker for exported models), then runs `dotnet test`.
#   ./test.sh                 the whole suite
#   ./test.sh --fast          leaves out the slow tests, those tagged [Trait("Category", "Slow")]
# Other arguments go to dotnet test (./test.sh --fast --filter FullyQualifiedName~Cli).
set -euo pipefail
cd "$(dirname "$0")"

build/ensure-packages.sh dataset-fashion-mnist fonts-dejavu-core chromium openmpi-bin libopenmpi-dev python3-onnx python3-torch

fast=false
filter=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --fast) fast=true ;;
    --filter) filter="${2:?--filter needs an expression}"; shift ;;
    --filter=*) filter="${1#--filter=}" ;;
    *) args+=("$1") ;;
  esac
  shift
done
# dotnet test takes one filter: --fast narrows the caller's rather than replacing it.
if $fast; then filter="${filter:+($filter)&}Category!=Slow"; fi
[ -n "$filter" ] && args+=(--filter "$filter")

exec dotnet test ImageClassifier.slnx "${args[@]}"
