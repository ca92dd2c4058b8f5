#!/usr/bin/env python3
"""bench/memory.js's twin: peak RSS after importing torch (--mode load), or after 20 training steps of W1
(nn.LSTM(128, 256) over 100 steps, batch 32, nn.Linear(256, 10), cross-entropy, SGD; --mode train).
Prints {"peakRssMb": ...}."""
import argparse
import json
import resource

import torch
from torch import nn


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mode", choices=["load", "train"], required=True)
    p.add_argument("--steps", type=int, default=20)
    a = p.parse_args()
    torch.set_num_threads(2)
    if a.mode == "train":
        torch.manual_seed(7)
        lstm, head = nn.LSTM(128, 256, batch_first=True), nn.Linear(256, 10)
        optimizer = torch.optim.SGD(list(lstm.parameters()) + list(head.parameters()), lr=0.01)
        x, y = torch.rand(32, 100, 128) * 2 - 1, torch.randint(0, 10, (32,))
        for _ in range(a.steps):
            optimizer.zero_grad()
            out, _ = lstm(x)
            loss = nn.functional.cross_entropy(head(out[:, -1]), y)
            loss.backward()
            optimizer.step()
            loss.item()
    print(json.dumps({"peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}))


if __name__ == "__main__":
    main()
