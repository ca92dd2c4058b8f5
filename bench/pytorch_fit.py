#!/usr/bin/env python3
"""The training loop of bench/fit.js in PyTorch: the same corpus ids (written by bench/fit.js), windows of
seqLength ids and the next id as target, one-hot encoded per batch, a recurrent layer of 128 units and a
Dense softmax layer, RMSprop (Keras's defaults: rho 0.9, epsilon 1e-7) with every variable's gradient
clipped to norm 1 on its own (Keras's clipnorm), categorical cross-entropy, accuracy read back every batch.

Prints {"msPerStep": ..., "rssBeforeMb": ..., "peakRssMb": ...} as one JSON line: the resident set once the
corpus and the model are in place, and the peak by the end. The first epoch is a warm-up.
"""
import argparse
import json
import resource
import time

import torch
from torch import nn

CELLS = {"SimpleRNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}


def resident_mb():
    """The current resident set (Linux /proc); elsewhere the peak so far, which is what it can know."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class CharModel(nn.Module):
    def __init__(self, cell, vocab, units):
        super().__init__()
        self.rnn = CELLS[cell](vocab, units, batch_first=True)
        self.head = nn.Linear(units, vocab)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out[:, -1])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("corpus")
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    with open(a.corpus) as f:
        c = json.load(f)
    ids = torch.tensor(c["ids"], dtype=torch.long)
    seq, vocab, batch = c["seqLength"], c["vocabSize"], c["batchSize"]
    windows = ids.numel() - seq
    offsets = torch.arange(seq)
    model = CharModel(c["cell"], vocab, c["units"])
    optimizer = torch.optim.RMSprop(model.parameters(), lr=c["learningRate"], alpha=0.9, eps=1e-7)
    params = list(model.parameters())
    rss_before_mb = resident_mb()

    def step(rows):
        x = nn.functional.one_hot(ids[rows.unsqueeze(1) + offsets], vocab).float()
        y = ids[rows + seq]
        optimizer.zero_grad()
        logits = model(x)
        loss = nn.functional.cross_entropy(logits, y)
        loss.backward()
        for q in params:
            torch.nn.utils.clip_grad_norm_(q, c["clipnorm"])
        optimizer.step()
        return loss.item(), (logits.argmax(1) == y).float().mean().item()

    times = []
    for epoch in range(a.epochs):
        order = torch.randperm(windows)
        t0 = time.perf_counter()
        for s in range(a.steps):
            step(order[s * batch:(s + 1) * batch])
        if epoch > 0:
            times.append((time.perf_counter() - t0) * 1000.0)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps({"msPerStep": sum(times) / (len(times) * a.steps), "rssBeforeMb": rss_before_mb, "peakRssMb": rss_mb}))


if __name__ == "__main__":
    main()
