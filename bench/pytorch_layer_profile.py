#!/usr/bin/python3
"""Where PyTorch eager's training step spends its time, layer by layer, timed as `imgclass bench --profile`
does: each layer of the tutorial CNN alone, forward and backward, on the activations the layers before it give
a batch of Fashion-MNIST training images, in training mode; the median over rounds. Run with Debian's
python3-torch:

  GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824 \\
    /usr/bin/python3 bench/pytorch_layer_profile.py --threads 2 --batch-size 128
"""
import argparse, gzip, json, statistics, time
import numpy as np
import torch
from torch import nn

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--rounds", type=int, default=15)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    with gzip.open(f"{a.data}/train-images-idx3-ubyte.gz") as f:
        pixels = np.frombuffer(f.read(), np.uint8, offset=16)[:a.batch_size * 784]
    x = torch.from_numpy(pixels.reshape(-1, 1, 28, 28).copy()).float() / 255
    # Keras-style names, as imgclass prints them; Conv2D and Dense carry their relu.
    layers = [("conv2d", nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU())), ("max_pooling2d", nn.MaxPool2d(2)),
              ("conv2d_1", nn.Sequential(nn.Conv2d(32, 64, 3), nn.ReLU())), ("max_pooling2d_1", nn.MaxPool2d(2)),
              ("conv2d_2", nn.Sequential(nn.Conv2d(64, 64, 3), nn.ReLU())), ("flatten", nn.Flatten()),
              ("dense", nn.Sequential(nn.Linear(576, 64), nn.ReLU())), ("dropout", nn.Dropout(0.5)), ("dense_1", nn.Linear(64, 10))]
    times = {name: ([], []) for name, _ in layers}
    for r in range(-2, a.rounds):
        h = x
        for i, (name, layer) in enumerate(layers):
            inp = h.detach().requires_grad_(i > 0)
            start = time.perf_counter(); out = layer(inp); forward = time.perf_counter() - start
            start = time.perf_counter(); out.backward(torch.ones_like(out)); backward = time.perf_counter() - start
            if r >= 0:
                times[name][0].append(forward * 1000); times[name][1].append(backward * 1000)
            h = out.detach()
    result = [{"layer": n, "forward_ms": round(statistics.median(f), 2), "backward_ms": round(statistics.median(b), 2)} for n, (f, b) in times.items()]
    print(json.dumps({"engine": f"pytorch {torch.__version__}", "batch_size": a.batch_size, "layers": result}))

if __name__ == "__main__":
    main()
