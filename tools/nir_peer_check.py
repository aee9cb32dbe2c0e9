#!/usr/bin/env python3
"""Runs a network exported by `ottt export` in snnTorch (which reads NIR) and compares its outputs with ottt's.

    nir_peer_check.py OTTT MODEL.safetensors WORKDIR [--steps T] [--seed S] [--density D]

OTTT is the ottt executable. The script exports MODEL to NIR with a probe run of random binary frames (ottt's own
semantics: reset by subtraction, fire on v >= threshold), imports it back with --reset zero and probes that too
(NIR's reset, as snnTorch reads it), then runs the NIR file in snnTorch on the same frames and prints how the
outputs agree with each. Run it with the python of `tools/nir-venv --peer`.

snnTorch 1.0's importer has no SumPool2d: the script maps it to torch's AvgPool2d with divisor_override=1 (a sum),
alongside snnTorch's own mapping of every other node.
"""
import argparse
import json
import os
import struct
import subprocess
import sys

import numpy as np
import nir


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        a, b = e["data_offsets"]
        out[name] = np.frombuffer(data[a:b], dtype=np.float32).reshape(e["shape"])
    return out


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        b = np.ascontiguousarray(t, dtype=np.float32).tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def ottt(binary, *args):
    subprocess.run([binary, *args], check=True, stdout=subprocess.DEVNULL)


def snntorch_outputs(path, frames):
    import torch
    import nirtorch
    import snntorch.utils
    from snntorch import import_nir

    graph = nir.read(path)
    node_map = {t: (lambda n: import_nir._nir_to_snntorch_module(n, init_hidden=True))
                for t in (nir.Affine, nir.Linear, nir.Conv2d, nir.Flatten, nir.AvgPool2d, nir.IF, nir.LIF)}
    node_map[nir.SumPool2d] = lambda n: torch.nn.AvgPool2d(kernel_size=tuple(int(k) for k in n.kernel_size),
                                                          stride=tuple(int(s) for s in n.stride),
                                                          padding=tuple(int(p) for p in n.padding),
                                                          divisor_override=1)
    net = nirtorch.nir_to_torch(graph, node_map)
    snntorch.utils.reset(net)
    outputs, state = [], None
    with torch.no_grad():
        for t in range(frames.shape[0]):
            x = torch.from_numpy(frames[t:t + 1].copy())
            try:
                y = net(x) if state is None else net(x, state)
            except TypeError:
                y = net(x)
            if isinstance(y, tuple):
                y, state = y[0], y[1]
            outputs.append(y.reshape(-1).numpy().copy())
    return np.stack(outputs)


def compare(a, b):
    diff = np.abs(a - b)
    return {"max_abs_diff": float(diff.max()), "outputs_within_1e-5": float((diff <= 1e-5).mean()),
            "same_class_per_step": float((a.argmax(1) == b.argmax(1)).mean()),
            "same_class_summed": bool(a.sum(0).argmax() == b.sum(0).argmax())}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("ottt"); p.add_argument("model"); p.add_argument("workdir")
    p.add_argument("--steps", type=int, default=10); p.add_argument("--seed", type=int, default=1)
    p.add_argument("--density", type=float, default=0.2)
    a = p.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    w = lambda name: os.path.join(a.workdir, name)
    ottt(a.ottt, "export", a.model, w("model.nir"))
    shape = [int(x) for x in nir.read(w("model.nir")).nodes["input"].input_type["input"]]
    frames = (np.random.default_rng(a.seed).random([a.steps] + shape) < a.density).astype(np.float32)
    write_safetensors(w("frames.safetensors"), {"frames": frames})
    ottt(a.ottt, "export", a.model, w("model.nir"), "--probe-input", w("frames.safetensors"), "--probe-output", w("ottt-subtract.safetensors"))
    ottt(a.ottt, "import", w("model.nir"), w("zero.safetensors"), "--reset", "zero")
    ottt(a.ottt, "export", w("zero.safetensors"), w("zero.nir"), "--probe-input", w("frames.safetensors"), "--probe-output", w("ottt-zero.safetensors"))
    peer = snntorch_outputs(w("model.nir"), frames)
    subtract = read_safetensors(w("ottt-subtract.safetensors"))["outputs"]
    zero = read_safetensors(w("ottt-zero.safetensors"))["outputs"]
    report = {"model": a.model, "steps": a.steps, "input": shape, "output_scale": float(np.abs(zero).max()),
              "snntorch_vs_ottt_reset_zero": compare(peer, zero),
              "snntorch_vs_ottt_reset_subtract": compare(peer, subtract)}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    sys.exit(main())
