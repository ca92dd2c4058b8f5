#!/usr/bin/env python3
"""The kernel benchmark's workloads (bench/workloads.json) in PyTorch, for comparison (the model
workloads too: conv_lstm is bench/conv_lstm.js's model).

Prints one JSON object {"torch": version, "threads": n, "results": {"W1/train": median_ms, ...},
"fastest": {"W1/train": fastest_ms, ...}}.
Run it the way bench/kernels.js does: 2 threads, and for a fair BLAS the environment described in
docs/performance.md (LD_LIBRARY_PATH to openblas-openmp, OMP_NUM_THREADS=2; bench/pytorch_process.js sets
OPENBLAS_CORETYPE for the CPU).
"""
import argparse
import json
import os
import statistics
import time

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
CELLS = {"lstm": nn.LSTM, "gru": nn.GRU, "simple_rnn": nn.RNN}


class Timing:
    """Median and fastest of repeated calls, in ms; `/ n` gives them per step."""

    def __init__(self, median, fastest):
        self.median = median
        self.fastest = fastest

    def __truediv__(self, n):
        return Timing(self.median / n, self.fastest / n)


def median_ms(fn, warmup, reps, budget_s):
    for _ in range(warmup):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < reps or (time.perf_counter() - start < budget_s and len(times) < 5 * reps):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    return Timing(statistics.median(times), min(times))


def inputs_for(w):
    x = torch.randn(w["batch"], w["time"], w["features"])
    if w.get("oneHot"):
        idx = torch.randint(0, w["features"], (w["batch"], w["time"]))
        x = nn.functional.one_hot(idx, w["features"]).float()
    return x


class ConvLstm(nn.Module):
    """Embedding -> Conv1D(relu) -> MaxPooling1D -> LSTM -> Dense(1), Keras's layout (batch, time, channels)."""

    def __init__(self, w):
        super().__init__()
        self.embedding = nn.Embedding(w["vocab"], w["embedding"])
        self.conv = nn.Conv1d(w["embedding"], w["filters"], w["kernelSize"])
        self.pool = nn.MaxPool1d(w["pool"])
        self.lstm = nn.LSTM(w["filters"], w["units"], batch_first=True)
        self.head = nn.Linear(w["units"], 1)

    def forward(self, ids):
        x = self.embedding(ids).transpose(1, 2)  # nn.Conv1d wants (batch, channels, time)
        x = self.pool(torch.relu(self.conv(x))).transpose(1, 2)
        _, (h, _) = self.lstm(x)
        return torch.sigmoid(self.head(h[-1]))


def run_model(w, mode, quick):
    if w["model"] != "conv_lstm" or mode != "train":
        raise ValueError(f'unknown model workload {w["model"]}/{mode}')
    torch.manual_seed(0)
    model = ConvLstm(w)
    opt = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = nn.BCELoss()
    ids = torch.randint(0, w["vocab"], (w["batch"], w["time"]))
    labels = torch.randint(0, 2, (w["batch"], 1)).float()

    def train():
        opt.zero_grad()
        loss = loss_fn(model(ids), labels)
        loss.backward()
        opt.step()

    warmup, reps, budget = (1, 3, 0.5) if quick else (3, 10, 2.0)
    return median_ms(train, warmup, reps, budget)


def run(w, mode, quick):
    if "model" in w:
        return run_model(w, mode, quick)
    torch.manual_seed(0)
    rnn = CELLS[w["cell"]](w["features"], w["units"], batch_first=True)
    warmup, reps, budget = (1, 3, 0.5) if quick else (3, 10, 2.0)
    x = inputs_for(w)
    if mode in ("train", "infer"):
        head = nn.Linear(w["units"], w["classes"])
        labels = torch.randint(0, w["classes"], (w["batch"],))
        params = list(rnn.parameters()) + list(head.parameters())
        opt = torch.optim.SGD(params, lr=0.01)
        loss_fn = nn.CrossEntropyLoss()

        def train():
            opt.zero_grad()
            out, _ = rnn(x)
            loss = loss_fn(head(out[:, -1, :]), labels)
            loss.backward()
            opt.step()

        def infer():
            with torch.no_grad():
                out, _ = rnn(x)
                torch.softmax(head(out[:, -1, :]), dim=-1)

        return median_ms(train if mode == "train" else infer, warmup, reps, budget)
    if mode == "layer_infer":
        def layer_infer():
            with torch.no_grad():
                rnn(x)
        return median_ms(layer_infer, warmup, reps, budget)
    if mode == "step":
        steps = w["time"]

        def generate():
            with torch.no_grad():
                state = None
                for t in range(steps):
                    _, state = rnn(x[:, t : t + 1, :], state)
        return median_ms(generate, warmup, reps, budget) / steps
    raise ValueError(f"unknown mode {mode}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated workload ids")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    with open(os.path.join(HERE, "workloads.json")) as f:
        workloads = json.load(f)["workloads"]
    only = set(filter(None, args.only.split(",")))
    results = {}
    fastest = {}
    for w in workloads:
        if only and w["id"] not in only:
            continue
        for mode in w["modes"]:
            timing = run(w, mode, args.quick)
            results[f'{w["id"]}/{mode}'] = timing.median
            fastest[f'{w["id"]}/{mode}'] = timing.fastest
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "results": results, "fastest": fastest}))


if __name__ == "__main__":
    main()
