#!/usr/bin/env bash
# Data-parallel training over MPI against one process, in one sitting on one host (docs/SCALING.md):
#   A: 1 process x 2 threads, batch B          B: mpirun -np 2, 1 thread each, batch B/2 per rank
# Same seed, total batch and learning rate (--no-lr-scaling), so the two runs train the same model and
# should reach the same test accuracy in the same number of epochs. Prints the test accuracy of both,
# their throughput, the allreduce time per step and its share of the step, and projects the step time
# to 8 and 32 ranks over a 10 Gb/s network from the measured compute time and the gradient size.
# Run it on a quiet machine: anything else running skews both sides.
# Usage: bench/mpi-scaling.sh [epochs] [total batch]     (LIMIT=N: only the first N training images, for a check)
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-5}; batch=${2:-64}; model=${MODEL:-tutorial-cnn}; lr=${LR:-0.001}
limit=${LIMIT:+--limit $LIMIT}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824
dotnet build src/ImageClassifier.Cli -c Release -v quiet -nologo >/dev/null
imgclass=$PWD/src/ImageClassifier.Cli/bin/Release/net10.0/linux-x64/imgclass
out=$(mktemp -d /tmp/mpi-scaling.XXXXXX)
# Every epoch runs (no early stopping: patience above the epochs), no report: the figures are training's.
common=(train -d fashion-mnist $limit --epochs "$epochs" --model "$model" --lr "$lr" --seed 42 --patience "$epochs" --no-report --json)

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p')"
echo "== A: 1 process x 2 threads, batch $batch"
"$imgclass" "${common[@]}" --threads 2 -b "$batch" -o "$out/single" > "$out/single.json" 2> "$out/single.log"
echo "== B: 2 ranks x 1 thread, batch $((batch / 2)) per rank"
mpirun --oversubscribe --bind-to none -np 2 "$imgclass" "${common[@]}" --threads 1 -b "$((batch / 2))" \
  --distributed --no-lr-scaling -o "$out/pair" > "$out/pair.json" 2> "$out/pair.log"

/usr/bin/python3 - "$out" "$batch" <<'PY'
import csv, json, re, sys
out, batch = sys.argv[1], int(sys.argv[2])
def history(name): return list(csv.DictReader(open(f"{out}/{name}/history.csv")))
def summary(name): return json.load(open(f"{out}/{name}/summary.json"))
single, pair = history("single"), history("pair")
params = int(re.search(r"Total params: ([\d,]+)", open(f"{out}/single.log").read()).group(1).replace(",", ""))
# Throughput from epoch 2 on where there is one (the first epoch warms up allocators and caches).
def rate(h): rows = h[1:] or h; return sum(float(r["images_per_s"]) for r in rows) / len(rows)
a, b = summary("single"), summary("pair")
print(f"test accuracy after {len(single)} epochs: 1x2 {100*a['test_accuracy']:.2f}%, 2x1 {100*b['test_accuracy']:.2f}% "
      f"(difference {100*(b['test_accuracy']-a['test_accuracy']):+.2f} points)")
print(f"training throughput: 1x2 {rate(single):,.0f} images/s, 2x1 {rate(pair):,.0f} images/s ({rate(pair)/rate(single):.2f}x)")
rows = pair[1:] or pair
allreduce_ms = sum(float(r["allreduce_ms"]) for r in rows) / len(rows)
step_ms = 1000 * batch / rate(pair)            # one step of the job: batch/2 images on each rank
compute_ms = step_ms - allreduce_ms
print(f"2 ranks: {step_ms:.2f} ms per step, of which allreduce {allreduce_ms:.3f} ms ({100*allreduce_ms/step_ms:.1f}%); "
      f"gradients {params:,} float32 = {4*params/1e6:.2f} MB per step")
# Projection: ring allreduce moves 2(N-1)/N of the gradient bytes in and out of every rank and takes 2(N-1)
# latency-bound steps; 10 Gb/s = 1.25 GB/s, 50 us per message over TCP. Compute per step stays what one rank
# measured (weak scaling: batch/2 per rank), communication is not overlapped with it (as here).
bandwidth, latency = 1.25e9, 50e-6
print("projection over 10 Gb/s (ring allreduce, no overlap):")
for n in (2, 8, 32):
    comm_ms = 1000 * (2 * (n - 1) / n * 4 * params / bandwidth + 2 * (n - 1) * latency)
    step = compute_ms + comm_ms
    print(f"  {n:>2} ranks: compute {compute_ms:.2f} ms + allreduce {comm_ms:.2f} ms = {step:.2f} ms per step, "
          f"{n * batch / 2 / step * 1000:,.0f} images/s, scaling efficiency {100*compute_ms/step:.0f}%")
PY
echo "(runs kept in $out)"
