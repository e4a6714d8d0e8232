#!/usr/bin/env bash
# The main job: train the tutorial CNN on Fashion-MNIST, evaluate it on the test set, and write
# the model, its history and a summary to out/fashion-mnist. Extra arguments go to `imgclass train`
# (e.g. ./run.sh --epochs 5).
set -euo pipefail
cd "$(dirname "$0")"

debian=/usr/share/datasets/fashion-mnist
cache="${IMGCLASS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/imageclassifier/datasets}/fashion-mnist"
if [ ! -e "$debian/train-images-idx3-ubyte.gz" ] && [ ! -e "$cache/train-images-idx3-ubyte.gz" ]; then
  if ! build/ensure-packages.sh dataset-fashion-mnist; then
    cat >&2 <<MSG
Fashion-MNIST is not on this machine (looked in $debian and $cache).
Install the package above (Debian 12 and later), or download it:
  dotnet run --project src/ImageClassifier.Cli -c Release -- datasets download fashion-mnist
then run ./run.sh again.
MSG
    exit 1
  fi
fi

dotnet build src/ImageClassifier.Cli -c Release -v quiet -nologo
exec src/ImageClassifier.Cli/bin/Release/net10.0/linux-x64/imgclass train --data fashion-mnist --output out/fashion-mnist "$@"
