#!/usr/bin/python3
"""A strong PyTorch eager recipe for Fashion-MNIST under a wall-clock budget: the reference that
`imgclass train --preset fast --budget B` is measured against (bench/time-to-accuracy.sh).

An airbench-style network: conv-batchnorm-ReLU blocks of 16, 32, 64 and 128 filters with 2x2 max pooling
between them, a residual block of two such convolutions after the 32- and 128-wide stages, global max
pooling and one linear layer (about 413k parameters). Inputs standardised; SGD with Nesterov momentum 0.9
and weight decay 5e-4 at batch 128; a one-cycle learning rate (PyTorch's OneCycleLR) peaking at 0.2 after
25% of the steps; label smoothing 0.1; random crops with 2-pixel padding and horizontal flips; flip
test-time augmentation. The number of epochs is fitted to the budget from a timed warm-up on a throwaway
copy of the model, keeping back the time the final evaluation will take. The clock starts at launch.

  /usr/bin/python3 bench/pytorch_fast_reference.py --budget 300 --threads 2
"""
import argparse, copy, gzip, json, time
START = time.perf_counter()
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F


def idx(path, offset):
    with gzip.open(path) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Residual(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.body = nn.Sequential(block(width, width), block(width, width))

    def forward(self, x):
        return x + self.body(x)


def network():
    return nn.Sequential(
        block(1, 16), nn.MaxPool2d(2),
        block(16, 32), Residual(32), nn.MaxPool2d(2),
        block(32, 64), nn.MaxPool2d(2),
        block(64, 128), Residual(128),
        nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(128, 10))


def augment(x):
    # Random crop with 2-pixel padding (one shift per batch row via a padded view) and horizontal flip.
    n = x.shape[0]
    padded = F.pad(x, (2, 2, 2, 2))
    shifts = torch.randint(0, 5, (n, 2))
    out = torch.empty_like(x)
    for sx in range(5):
        for sy in range(5):
            rows = ((shifts[:, 0] == sx) & (shifts[:, 1] == sy)).nonzero().flatten()
            if len(rows):
                out[rows] = padded[rows, :, sy:sy + 28, sx:sx + 28]
    flip = torch.rand(n) < 0.5
    out[flip] = out[flip].flip(3)
    return out


def train_steps(model, opt, sched, x, y, batch, steps_done, limit=None):
    model.train()
    order = torch.randperm(len(y))
    steps = 0
    for i in range(0, len(y), batch):
        if limit is not None and steps >= limit:
            break
        rows = order[i:i + batch]
        loss = F.cross_entropy(model(augment(x[rows])), y[rows], label_smoothing=0.1)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if sched is not None:
            sched.step()
        steps += 1
    return steps


def evaluate(model, x, y):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(y), 1000):
            xb = x[i:i + 1000]
            p = model(xb).softmax(1) + model(xb.flip(3)).softmax(1)
            correct += (p.argmax(1) == y[i:i + 1000]).sum().item()
    return correct / len(y)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--budget", type=float, default=300, help="seconds for the whole run")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--limit", type=int, default=None, help="train on the first N images only (a smoke test)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x = torch.from_numpy(idx(f"{a.data}/train-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28).copy()).float().div_(255)
    y = torch.from_numpy(idx(f"{a.data}/train-labels-idx1-ubyte.gz", 8).astype(np.int64))
    xt = torch.from_numpy(idx(f"{a.data}/t10k-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28).copy()).float().div_(255)
    yt = torch.from_numpy(idx(f"{a.data}/t10k-labels-idx1-ubyte.gz", 8).astype(np.int64))
    if a.limit:
        x, y = x[:a.limit], y[:a.limit]
    mean, std = x.mean().item(), x.std().item()
    x, xt = (x - mean) / std, (xt - mean) / std

    model = network()
    steps_per_epoch = (len(y) + a.batch_size - 1) // a.batch_size

    def optimizer(m):
        return torch.optim.SGD(m.parameters(), lr=0.2, momentum=0.9, nesterov=True, weight_decay=5e-4)

    # Timed warm-up on a throwaway copy: seconds per step, then the evaluation's cost (2 views x 10k images).
    probe = copy.deepcopy(model)
    popt = optimizer(probe)
    train_steps(probe, popt, None, x, y, a.batch_size, 0, limit=5)
    t = time.perf_counter()
    train_steps(probe, popt, None, x, y, a.batch_size, 0, limit=25)
    step_seconds = (time.perf_counter() - t) / 25
    t = time.perf_counter()
    evaluate(probe, xt[:1000], yt[:1000])
    eval_seconds = (time.perf_counter() - t) * 10
    del probe, popt
    left = a.budget - (time.perf_counter() - START) - eval_seconds - 2
    epochs = max(1, int(left / (step_seconds * steps_per_epoch)))

    opt = optimizer(model)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.2, total_steps=epochs * steps_per_epoch, pct_start=0.25)
    train_start = time.perf_counter()
    for _ in range(epochs):
        train_steps(model, opt, sched, x, y, a.batch_size, 0)
    train_seconds = time.perf_counter() - train_start
    accuracy = evaluate(model, xt, yt)
    print(json.dumps({
        "engine": f"pytorch {torch.__version__}", "threads": a.threads, "budget_s": a.budget, "epochs": epochs,
        "parameters": sum(p.numel() for p in model.parameters()),
        "train_images_per_s": round(epochs * len(y) / train_seconds), "test_accuracy": accuracy,
        "seconds": round(time.perf_counter() - START, 1)}))


if __name__ == "__main__":
    main()
