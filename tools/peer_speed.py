#!/usr/bin/env python3
"""Time the PyTorch peer of `ottt bench train` on this machine: OTTT_A training and inference with PyTorch.

The network code is tools/make_reference.py's (docs/OTTT.md, structured like the official pkuxmq/OTTT-SNN code: every
wrapped layer's forward runs twice per training step, once on spikes for the output and once on traces for the
gradient graph; the first convolution runs once; weights are standardized at every call; the official code also
concatenates spikes and traces along the batch around each pooling and x2.74, which is the same arithmetic plus
one copy). The networks are the presets of docs/PEERS.md and Sources/SNN/NetworkSpec.swift, in the
same spec strings:

  vgg      2x48x48:c64-c128-a2-c256-c256-a2-c512-c512-a2-c512-c512-gap-fc10   dropout 0.1 while training
  small32  2x32x32:c32-a2-c64-a2-fc10
  small48  2x48x48:c32-a2-c64-a2-fc10

(any such spec string may be given in --nets too). Inputs are random spikes at rate 0.1 (one fixed tensor per
configuration), labels random, T = 10. Figures:
  train  OTTT_A: per-step loss and backward, gradients summed over T, one SGD step (momentum 0.9) per batch;
         samples/s at each --batches size;
  infer  batch 1, no_grad, evaluation mode (no dropout, one forward per step); time steps/s.
Time it on an idle machine: PyTorch's OpenMP threads slow down by orders of magnitude when other work shares the
cores (the script prints the load average and warns). Each figure: warm-up for --warmup seconds, then --runs runs
of at least --seconds each (whole batches), the median reported with every run; the firing rate of every LIF layer is measured in one untimed batch afterwards.
GFLOP/s counts 8 operations per forward multiply-add in training (two forwards, two backward products, as
docs/PEERS.md counts) and 2 in inference.

usage: tools/peer_speed.py [--nets vgg,small32,small48] [--batches 1,16] [--seconds 10] [--runs 3] [--warmup 3]
                           [--steps 10] [--threads 2] [--no-infer] [--json]
needs: pip install torch safetensors numpy (in a venv; run it with that venv's python)
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import torch

import make_reference as ref

NETS = {
    "vgg": ("2x48x48:c64-c128-a2-c256-c256-a2-c512-c512-a2-c512-c512-gap-fc10", 0.1),
    "small32": ("2x32x32:c32-a2-c64-a2-fc10", 0.0),
    "small48": ("2x48x48:c32-a2-c64-a2-fc10", 0.0),
}
INPUT_RATE = 0.1


class Network:
    """A spec string of Sources/SNN/NetworkSpec.swift (convolutions cN, pools a2, gap, one head fcN) as
    make_reference's layer list: shape [C,H,W], convs (N or "M"), head ("gap" or "flatten"), classes."""

    def __init__(self, name, spec, dropout):
        self.name, self.spec, self.dropout = name, spec, dropout
        try:
            shape, layers = spec.split(":")
            self.shape = [int(d) for d in shape.split("x")]
            tokens = layers.split("-")
            self.convs, self.head = [], "flatten"
            for i, token in enumerate(tokens[:-1]):
                if token == "a2":
                    self.convs.append("M")
                elif token == "gap" and i == len(tokens) - 2:
                    self.head = "gap"
                elif token[0] == "c" and int(token[1:]) > 0:
                    self.convs.append(int(token[1:]))
                else:
                    raise ValueError
            if len(self.shape) != 3 or not tokens[-1].startswith("fc") or not self.convs or self.convs[0] == "M":
                raise ValueError
            self.classes = int(tokens[-1][2:])
        except (ValueError, IndexError):
            raise SystemExit(f"peer_speed: cannot read network spec {spec!r}: expected CxHxW:layers with cN, a2, "
                             "an optional gap and a final fcN, for example 2x32x32:c32-a2-c64-a2-fc10")

    def multiply_adds(self):
        """Multiply-adds of one sample step (convolutions and the head)."""
        c, h, w = self.shape
        total = 0
        for layer in self.convs:
            if layer == "M":
                h, w = h // 2, w // 2
            else:
                total += layer * c * 9 * h * w
                c = layer
        return total + self.classes * (c if self.head == "gap" else c * h * w)


def timed(run_batch, units_per_batch, seconds, runs, warmup):
    """Median and every run of units/s: warm-up first, then `runs` runs of whole batches lasting >= seconds."""
    start = time.perf_counter()
    while True:
        run_batch()
        if time.perf_counter() - start >= warmup:
            break
    rates = []
    for _ in range(runs):
        batches, start = 0, time.perf_counter()
        while True:
            run_batch()
            batches += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        rates.append(batches * units_per_batch / elapsed)
    return statistics.median(rates), rates


def random_spikes(steps, batch, shape):
    return (torch.rand(steps, batch, *shape) < INPUT_RATE).float()


def measure_train(net, batch, a):
    """OTTT_A training samples/s at this batch size, and the firing rates it saw."""
    params = {n: p.requires_grad_(True) for n, p in ref.init_params(net.shape, net.convs, net.classes,
                                                                       head=net.head).items()}
    sgd = torch.optim.SGD(list(params.values()), lr=0.1, momentum=0.9)
    x = random_spikes(a.steps, batch, net.shape)
    y = torch.randint(0, net.classes, (batch,))

    def one_batch(rates=None):
        sgd.zero_grad()
        state = ref.State(net.convs)
        for t in range(a.steps):
            o, fired = ref.step(params, net.convs, x[t], state, True, net.head, net.dropout)
            ref.step_loss(o, y, net.classes, a.steps).backward()
            if rates is not None:
                rates.append([s.mean().item() for s in fired])
        sgd.step()

    value, runs = timed(one_batch, batch, a.seconds, a.runs, a.warmup)
    rates = []
    one_batch(rates)
    return value, runs, [statistics.fmean(r) for r in zip(*rates)]


def measure_infer(net, a):
    """Inference time steps/s at batch 1 (samples of T steps, state reset per sample) and its firing rates."""
    params = ref.init_params(net.shape, net.convs, net.classes, head=net.head)
    x = random_spikes(a.steps, 1, net.shape)

    @torch.no_grad()
    def one_sample(rates=None):
        state = ref.State(net.convs)
        for t in range(a.steps):
            _, fired = ref.step(params, net.convs, x[t], state, False, net.head)
            if rates is not None:
                rates.append([s.mean().item() for s in fired])

    value, runs = timed(one_sample, a.steps, a.seconds, a.runs, a.warmup)
    rates = []
    one_sample(rates)
    return value, runs, [statistics.fmean(r) for r in zip(*rates)]


def onednn_isa():
    """The instruction set oneDNN picks here, from its verbose log of one convolution in a child process."""
    probe = ("import torch, torch.nn.functional as F; torch.set_num_threads(1); "
             "F.conv2d(torch.ones(1, 64, 24, 24), torch.ones(64, 64, 3, 3), padding=1)")
    env = dict(os.environ, ONEDNN_VERBOSE="1")
    try:
        out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True,
                             timeout=120).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    isa = [line.split("isa:")[1] for line in out.splitlines() if "isa:" in line]
    return isa[0].strip() if isa else "unknown"


def environment(threads):
    config = torch.__config__.show()
    pick = lambda key: next((line.strip(" -") for line in config.splitlines() if key in line), "none")
    return {"load_average": round(os.getloadavg()[0], 2), "torch": torch.__version__, "cpu_capability": torch.backends.cpu.get_cpu_capability(),
            "onednn_isa": onednn_isa(), "threads": threads, "blas": pick("Math Kernel Library"),
            "onednn": pick("MKL-DNN")}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nets", default="vgg,small32,small48",
                    help="comma-separated names (vgg, small32, small48) or spec strings")
    ap.add_argument("--batches", default="1,16", help="training batch sizes")
    ap.add_argument("--seconds", type=float, default=10, help="minimum length of one timed run")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per figure (the median is reported)")
    ap.add_argument("--warmup", type=float, default=3, help="warm-up seconds per figure (at least one batch)")
    ap.add_argument("--steps", type=int, default=10, help="time steps T per sample")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-infer", action="store_true", help="skip the inference figure")
    ap.add_argument("--json", action="store_true", help="one JSON object per figure, nothing else")
    a = ap.parse_args()
    try:
        batches = [int(b) for b in a.batches.split(",")]
    except ValueError:
        ap.error(f"--batches {a.batches!r}: expected comma-separated integers such as 1,16")
    if min(batches) < 1 or a.steps < 1 or a.runs < 1 or a.threads < 1 or a.seconds < 0 or a.warmup < 0:
        ap.error("--batches, --steps, --runs and --threads must be positive, --seconds and --warmup not negative")
    nets = [Network(n, *NETS[n]) if n in NETS else Network(n, n, 0.0) for n in a.nets.split(",")]

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    env = environment(torch.get_num_threads())
    if env["load_average"] >= 0.5:
        print(f"peer_speed: warning: load average {env['load_average']} before starting; other work shares the "
              "cores, and PyTorch's OpenMP threads slow down by orders of magnitude when they do: time on an idle "
              "machine", file=sys.stderr)
    if not a.json:
        print(f"load average {env['load_average']}; torch {env['torch']}, CPU capability {env['cpu_capability']}, oneDNN ISA {env['onednn_isa']}, "
              f"threads {env['threads']}; {env['blas']}; {env['onednn']}")
        print(f"T = {a.steps}, inputs random spikes at rate {INPUT_RATE}; median of {a.runs} runs of >= {a.seconds} s "
              f"after {a.warmup} s of warm-up")

    for net in nets:
        n_params = sum(p.numel() for p in ref.init_params(net.shape, net.convs, net.classes, head=net.head).values())
        macs = net.multiply_adds()
        if not a.json:
            print(f"{net.name}: {net.spec}, dropout {net.dropout}, {n_params:,} parameters, "
                  f"{macs / 1e6:,.1f} M multiply-adds per sample step")
        cases = [("train", b) for b in batches] + ([] if a.no_infer else [("infer", 1)])
        for figure, batch in cases:
            if figure == "train":
                value, runs, rates = measure_train(net, batch, a)
                unit, flops = "samples/s", 8 * macs * a.steps * value
            else:
                value, runs, rates = measure_infer(net, a)
                unit, flops = "steps/s", 2 * macs * value
            if a.json:
                print(json.dumps({"peer": "pytorch ottt (tools/make_reference.py)", "net": net.name, "spec": net.spec,
                                  "figure": figure, "rule": "ottt_a" if figure == "train" else None, "batch": batch,
                                  "steps": a.steps, "value": value, "unit": unit, "runs": runs,
                                  "gflops": flops / 1e9, "multiply_adds": macs, "firing_rates": rates, "input_rate": INPUT_RATE,
                                  "dropout": net.dropout if figure == "train" else 0.0, "params": n_params,
                                  "seconds": a.seconds, **env}), flush=True)
            else:
                what = "OTTT_A training" if figure == "train" else "inference"
                print(f"  {what:15} batch {batch:<3} {value:10.2f} {unit:9}  {flops / 1e9:6.1f} GFLOP/s  "
                      f"runs {' '.join(f'{r:.2f}' for r in runs)}  firing rates "
                      f"{' '.join(f'{r:.3f}' for r in rates)}", flush=True)


if __name__ == "__main__":
    main()
