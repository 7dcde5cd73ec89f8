"""Training throughput of the MNIST LeNet in PyTorch on one CPU thread (the peer for `npm run bench`).

Run: /usr/bin/python3 bench/peers/pytorch_lenet.py [batch] [steps]
Prints one JSON line: {"samplesPerSecond": ..., "torch": "..."}.
The net and the step match bench/training.ts: conv(1→8, 5×5)-relu-maxpool 2 - conv(8→16, 5×5)-relu-
maxpool 2 - linear(256→10), cross-entropy, Adam, batch of random MNIST-shaped inputs.
"""
import json
import sys
import time

import torch
from torch import nn


def main():
    batch = int(sys.argv[1]) if len(sys.argv) > 1 else 64
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 8, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(256, 10),
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(batch, 1, 28, 28)
    y = torch.arange(batch) % 10

    def step():
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()

    for _ in range(10):
        step()
    best = 0.0
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        best = max(best, steps * batch / (time.perf_counter() - start))
    print(json.dumps({"samplesPerSecond": best, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
