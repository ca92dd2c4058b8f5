#!/usr/bin/env python3
"""Exports the inference workloads of bench/workloads.json as ONNX models (torch.onnx), for the ONNX
Runtime column of bench/kernels.js (bench/onnx_runtime.js runs them):
  - <id>.onnx for each layer_infer workload: an LSTM over the whole sequence, input x [batch, time,
    features], output the sequence [batch, time, units];
  - <id>.onnx for each step workload: one LSTM step with its state, inputs x [batch, 1, features],
    h [1, batch, units], c [1, batch, units], outputs y, h, c (the state fed back by the caller).
Usage: python3 bench/export_onnx.py <output folder>. Prints the exported ids as JSON.
"""
import json
import os
import sys

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


class Step(nn.Module):
    def __init__(self, lstm):
        super().__init__()
        self.lstm = lstm

    def forward(self, x, h, c):
        y, (h2, c2) = self.lstm(x, (h, c))
        return y, h2, c2


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(HERE, "workloads.json")) as f:
        workloads = json.load(f)["workloads"]
    torch.manual_seed(7)
    exported = []
    for w in workloads:
        if w.get("cell") != "lstm":
            continue
        lstm = nn.LSTM(w["features"], w["units"], batch_first=True).eval()
        path = os.path.join(out_dir, f"{w['id']}.onnx")
        if "layer_infer" in w["modes"]:
            x = torch.randn(w["batch"], w["time"], w["features"])
            torch.onnx.export(lstm, (x,), path, input_names=["x"], output_names=["y", "h", "c"], opset_version=14)
            exported.append(w["id"])
        elif "step" in w["modes"]:
            x = torch.randn(w["batch"], 1, w["features"])
            h = torch.zeros(1, w["batch"], w["units"])
            c = torch.zeros(1, w["batch"], w["units"])
            torch.onnx.export(Step(lstm), (x, h, c), path, input_names=["x", "h", "c"], output_names=["y", "h_out", "c_out"], opset_version=14)
            exported.append(w["id"])
    print(json.dumps({"exported": exported}))


if __name__ == "__main__":
    main()
