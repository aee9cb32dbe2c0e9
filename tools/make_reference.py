#!/usr/bin/env python3
"""Write an OTTT reference file for `ottt reference FILE.safetensors`, with PyTorch.

The computation follows docs/OTTT.md (and the official pkuxmq/OTTT-SNN code it describes): LIF with
tau 2, threshold 1, soft reset (detached), sigmoid surrogate alpha 4, x2.74 after every LIF, scaled weight
standardization (gain, eps 1e-4, unbiased variance, fan_in), 3x3 convolutions with padding 1, 2x2 average pooling,
global average pooling and a Linear head; the per-step loss ((1-g)*CE + g*MSE)/T with g = 0.001.

OTTT's backward at step t uses the trick of the official `WrapedSNNOp`: the output is computed from spikes, the
graph from traces, so a weight's gradient sees the presynaptic trace while the gradient passed down goes through
the spikes; u[t-1] is detached. OTTT_A sums the gradients over T; OTTT_O runs SGD after every step; BPTT keeps u's
graph across steps.

Like the official reference, spikes and traces are stored before the x2.74 scale (0/1 spikes).

usage: tools/make_reference.py OUT.safetensors [--input 2x12x12] [--convs 8,M,16] [--classes 10] [--T 6] [--B 3]
                               [--seed 0] [--lr 0.05] [--momentum 0.9] [--levels 3] [--gain 1]
       tools/make_reference.py --check REFERENCE.safetensors
         recomputes every tensor of an existing reference file (for example ../shared/reference/ottt_small.safetensors,
         made with the official code) from its input, label, init.* and spec, and prints the largest differences:
         the cross-check of this script against the official implementation.
needs: pip install torch safetensors
"""
import argparse
import json

import torch
import torch.nn.functional as F
from safetensors import safe_open
from safetensors.torch import save_file

TAU, VTH, ALPHA, SCALE, GAMMA, EPS = 2.0, 1.0, 4.0, 2.74, 0.001, 1e-4
DECAY = 1 - 1 / TAU


class SigmoidSpike(torch.autograd.Function):
    """Heaviside forward (x >= 0), alpha*sigmoid(alpha x)*(1 - sigmoid(alpha x)) backward."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x >= 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(ALPHA * x)
        return grad * ALPHA * s * (1 - s)


class Replace(torch.autograd.Function):
    """The value of the second argument, the gradient to both (the official code's `Replace`)."""

    @staticmethod
    def forward(ctx, z1, z1_r):
        return z1_r

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


def standardized(weight, gain):
    fan_in = weight[0].numel()
    mean = weight.mean(dim=(1, 2, 3), keepdim=True)
    var = weight.var(dim=(1, 2, 3), keepdim=True, unbiased=True)
    return gain * (weight - mean) / torch.sqrt(var * fan_in + EPS)


def wrapped(op, spikes, traces, online):
    """op(spikes) as the value; in online mode the graph is op(traces) with the input gradient sent to spikes."""
    if not online or traces is None:
        return op(spikes)
    with torch.no_grad():
        out = op(spikes).detach()
    out_for_grad = op(Replace.apply(spikes, traces))
    return Replace.apply(out_for_grad, out)


def lif_count(convs):
    return sum(1 for c in convs if c != "M")


class State:
    """Per LIF layer: the membrane potential after reset, the presynaptic trace and the dropout mask (None before
    the first step; a fresh State starts a sample)."""

    def __init__(self, convs):
        n = lif_count(convs)
        self.v, self.trace, self.mask = [None] * n, [None] * n, [None] * n


def step(params, convs, x, state, online, head="gap", dropout=0.0):
    """One time step on the frame x [B,C,H,W]: the output [B,classes] and each LIF layer's 0/1 spikes (before
    dropout and x2.74). head "gap" averages the last LIF layer globally, "flatten" flattens it; dropout p draws a
    mask per LIF layer at the first step (1/(1-p) or 0) that multiplies its spikes, as the official neuron does.
    Every convolution standardizes its weight when called (twice per wrapped layer, as the official code)."""
    h, h_trace, k, spikes = x, None, 0, []
    for c in convs:
        if c == "M":
            h = F.avg_pool2d(h, 2)
            h_trace = None if h_trace is None else F.avg_pool2d(h_trace, 2)
            continue
        name = f"conv{k + 1}"
        conv = lambda z: F.conv2d(z, standardized(params[name + ".weight"], params[name + ".gain"]),
                                  params[name + ".bias"], padding=1)
        current = wrapped(conv, h, h_trace, online)
        first = state.v[k] is None
        previous = torch.zeros_like(current) if first else state.v[k]
        if online:
            previous = previous.detach()
        u = DECAY * previous + current
        fired = SigmoidSpike.apply(u - VTH)
        state.v[k] = u - VTH * fired.detach()
        s = fired
        if dropout > 0:
            if first:
                state.mask[k] = torch.empty_like(fired).bernoulli_(1 - dropout) / (1 - dropout)
            s = state.mask[k] * fired
        with torch.no_grad():
            state.trace[k] = s.detach().clone() if first else DECAY * state.trace[k] + s.detach()
        spikes.append(fired.detach())
        h, h_trace = SCALE * s, SCALE * state.trace[k]
        k += 1
    if head == "gap":
        h, h_trace = h.mean(dim=(2, 3)), h_trace.mean(dim=(2, 3))
    else:
        h, h_trace = h.flatten(1), h_trace.flatten(1)
    o = wrapped(lambda z: F.linear(z, params["fc.weight"], params["fc.bias"]), h, h_trace, online)
    return o, spikes


def step_loss(o, y, classes, T):
    """((1-g)*CE + g*MSE(o, onehot(y)))/T, the loss of one step."""
    target = F.one_hot(y, classes).to(o.dtype)
    return ((1 - GAMMA) * F.cross_entropy(o, y) + GAMMA * F.mse_loss(o, target)) / T


def run(params, convs, x, y, classes, mode, optimizer=None):
    """mode 'ottt' (gradients accumulate over T), 'ottt_o' (optimizer step every step) or 'bptt'."""
    online = mode != "bptt"
    T = x.shape[0]
    state = State(convs)
    n_lif = lif_count(convs)
    outs, losses, spikes, traces = [], [], [[] for _ in range(n_lif)], [[] for _ in range(n_lif)]
    total = 0
    for t in range(T):
        o, fired = step(params, convs, x[t], state, online)
        for k in range(n_lif):
            spikes[k].append(fired[k].clone())
            traces[k].append(state.trace[k].clone())
        loss = step_loss(o, y, classes, T)
        outs.append(o.detach().clone())
        losses.append(loss.detach().clone())
        if online:
            loss.backward()
            if mode == "ottt_o":
                optimizer.step()
                optimizer.zero_grad()
        else:
            total = total + loss
    if not online:
        total.backward()
    return torch.stack(outs), torch.stack(losses), spikes, traces


def init_params(shape, convs, classes, gain=1.0, head="gap"):
    """Parameters as the official code initialises them: conv weights Kaiming-normal (fan_out, ReLU), biases 0,
    gains `gain`; the Linear head N(0, 0.01^2), bias 0 (its input: the last conv's channels, times H*W after the
    pools when head is "flatten")."""
    params, cin, (h, w) = {}, shape[0], shape[1:]
    k = 0
    for c in convs:
        if c == "M":
            h, w = h // 2, w // 2
            continue
        k += 1
        weight = torch.empty(c, cin, 3, 3)
        torch.nn.init.kaiming_normal_(weight, mode="fan_out", nonlinearity="relu")
        params[f"conv{k}.weight"], params[f"conv{k}.bias"] = weight, torch.zeros(c)
        params[f"conv{k}.gain"] = torch.full((c, 1, 1, 1), gain)
        cin = c
    features = cin if head == "gap" else cin * h * w
    params["fc.weight"] = torch.randn(classes, features) * 0.01
    params["fc.bias"] = torch.zeros(classes)
    return params


def expected_tensors(params, convs, x, y, classes, lr, momentum):
    """Every tensor a reference file holds besides input, label and init.*, computed from those."""

    def fresh():
        return {n: p.clone().requires_grad_(True) for n, p in params.items()}

    tensors = {}
    p = fresh()
    outs, losses, spikes, traces = run(p, convs, x, y, classes, "ottt")
    tensors["ottt.out"], tensors["ottt.loss"] = outs, losses
    for i in range(len(spikes)):
        tensors[f"ottt.spike.lif{i + 1}"] = torch.stack(spikes[i])
        tensors[f"ottt.trace.lif{i + 1}"] = torch.stack(traces[i])
    tensors.update({f"ottt_a.grad.{n}": q.grad.clone() for n, q in p.items()})

    p = fresh()
    sgd = torch.optim.SGD(list(p.values()), lr=lr, momentum=momentum)
    outs, _, _, _ = run(p, convs, x, y, classes, "ottt_o", sgd)
    tensors["ottt_o.out"] = outs
    tensors.update({f"ottt_o.param.{n}": q.detach().clone() for n, q in p.items()})

    p = fresh()
    outs, _, _, _ = run(p, convs, x, y, classes, "bptt")
    tensors["bptt.out"] = outs
    tensors.update({f"bptt.grad.{n}": q.grad.clone() for n, q in p.items()})
    return tensors


def check(path):
    """Recompute a reference file's tensors from its inputs and print the largest differences per group."""
    with safe_open(path, framework="pt") as f:
        spec = json.loads(f.metadata()["spec"])
        stored = {n: f.get_tensor(n) for n in f.keys()}
    net, opt = spec["network"], spec["ottt_o"]
    params = {n[len("init."):]: t for n, t in stored.items() if n.startswith("init.")}
    ours = expected_tensors(params, net["convs"], stored["input"], stored["label"], net["classes"],
                            opt["lr"], opt["momentum"])
    tol = spec["tolerance"]
    worst = {}
    for name, mine in ours.items():
        if name not in stored:
            continue
        theirs = stored[name]
        if theirs.shape != mine.shape and theirs.numel() == mine.numel():
            theirs = theirs.reshape(mine.shape)
        diff = (mine - theirs).abs()
        group = name.split(".")[0]
        bad = (diff > tol["atol"] + tol["rtol"] * theirs.abs()).any().item()
        a, n, b = worst.get(group, (0.0, 0, False))
        worst[group] = (max(a, diff.max().item()), n + 1, b or bad)
    for group, (a, n, bad) in worst.items():
        print(f"{group:8} {n:3} tensors  max abs {a:.2e}  {'FAIL' if bad else 'ok'}")
    return not any(bad for _, _, bad in worst.values())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", nargs="?")
    ap.add_argument("--check", metavar="REFERENCE", help="recompute an existing reference file and compare")
    ap.add_argument("--input", default="2x12x12")
    ap.add_argument("--convs", default="8,M,16")
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--T", type=int, default=6)
    ap.add_argument("--B", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--levels", type=int, default=3, help="input values are 0, 2/levels, ..., 2")
    ap.add_argument("--gain", type=float, default=1.0,
                    help="initial gain of every convolution (above 1 keeps deeper layers firing)")
    a = ap.parse_args()
    if a.check:
        raise SystemExit(0 if check(a.check) else 1)
    if not a.out:
        ap.error("OUT.safetensors is required (or --check REFERENCE)")

    torch.manual_seed(a.seed)
    shape = [int(d) for d in a.input.split("x")]
    convs = [c if c == "M" else int(c) for c in a.convs.split(",")]
    params = init_params(shape, convs, a.classes, a.gain)
    x = torch.randint(0, a.levels + 1, (a.T, a.B, *shape)).float() * (2.0 / a.levels)
    y = torch.randint(0, a.classes, (a.B,))

    tensors = {"input": x, "label": y}
    tensors.update({f"init.{n}": p.clone() for n, p in params.items()})
    tensors.update(expected_tensors(params, convs, x, y, a.classes, a.lr, a.momentum))
    spikes = [tensors[f"ottt.spike.lif{i + 1}"] for i in range(lif_count(convs))]
    rates = [s.mean().item() for s in spikes]
    spec = {
        "network": {"input": shape, "convs": convs, "kernel": 3, "padding": 1, "classes": a.classes,
                    "conv": "scaled weight standardization, gain per output channel, eps 1e-4, fan_in = Cin*3*3, biased conv",
                    "after each conv": f"LIF then Scale({SCALE})",
                    "first conv": "input is the raw frame (no trace)",
                    "head": "global average pool, flatten, Linear"},
        "lif": {"tau": TAU, "v_threshold": VTH, "reset": "soft (v -= spike*v_th), reset detached",
                "charge": "v = v*(1-1/tau) + x", "surrogate": f"sigmoid, alpha={ALPHA}"},
        "loss": f"per step ((1-l)*CE + l*MSE(out, onehot))/T with l={GAMMA}; MSE mean over B*classes",
        "ottt_o": {"optimizer": "SGD", "lr": a.lr, "momentum": a.momentum, "weight_decay": 0},
        "firing_rates": rates, "T": a.T, "B": a.B, "tolerance": {"rtol": 1e-4, "atol": 1e-5},
    }
    save_file({n: t.contiguous() for n, t in tensors.items()}, a.out, metadata={"spec": json.dumps(spec)})
    print(f"wrote {a.out}: {len(tensors)} tensors, firing rates {', '.join(f'{r:.3f}' for r in rates)}")


if __name__ == "__main__":
    main()
