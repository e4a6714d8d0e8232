#!/usr/bin/python3
"""PyTorch eager reference for `imgclass bench`: the same tutorial CNN, data, batch size,
optimizer and thread count, timed the same way (one warm-up, then one epoch of training and one
pass of inference over the test set). Run with Debian's python3-torch:

  GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824 \
    /usr/bin/python3 bench/pytorch_reference.py --threads 2 --batch-size 128
"""
import argparse, gzip, json, time
import numpy as np
import torch
from torch import nn

def idx(path, offset):
    with gzip.open(path) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    x = torch.from_numpy(idx(f"{a.data}/train-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28).copy())
    y = torch.from_numpy(idx(f"{a.data}/train-labels-idx1-ubyte.gz", 8).astype(np.int64))
    xt = torch.from_numpy(idx(f"{a.data}/t10k-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28).copy())
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3), nn.ReLU(), nn.Flatten(),
        nn.Linear(576, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 10))
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def epoch(images, labels):
        model.train()
        order = torch.randperm(len(labels))
        start = time.perf_counter()
        for i in range(0, len(labels), a.batch_size):
            idx_ = order[i:i + a.batch_size]
            xb = images[idx_].float().mul_(1 / 255)
            opt.zero_grad()
            loss = loss_fn(model(xb), labels[idx_])
            loss.backward()
            opt.step()
            loss.item()
        return len(labels) / (time.perf_counter() - start)

    epoch(x[:a.batch_size * 10], y[:a.batch_size * 10])  # warm-up
    train_rate = epoch(x, y)
    model.eval()
    with torch.no_grad():
        model(xt[:a.batch_size * 4].float() / 255)
        start = time.perf_counter()
        for i in range(0, len(xt), a.batch_size):
            model(xt[i:i + a.batch_size].float().mul_(1 / 255)).softmax(1)
        infer_rate = len(xt) / (time.perf_counter() - start)
    print(json.dumps({"engine": f"pytorch {torch.__version__}", "threads": a.threads, "batch_size": a.batch_size,
                      "train_images_per_s": round(train_rate), "infer_images_per_s": round(infer_rate)}))

if __name__ == "__main__":
    main()
