#!/usr/bin/env python3
"""Checks ottt's NIR files with the reference package (`nir`, github neuromorphs/NIR) and writes graphs with it.

    nir_check.py summary FILE.nir        nir.read(FILE) (strict, with type checking), then one JSON object on stdout:
                                         version, edges, and per node its type, input/output types as nir infers
                                         them, and per array field its shape, sum and sum of squares
    nir_check.py fixtures DIR            writes the graphs of Tests/Fixtures/nir/ with nir.write, and
                                         DIR/fixtures.json: each file's summary as above

Run it with the python of tools/nir-venv.
"""
import json
import os
import sys

import numpy as np
import nir


def summary(graph):
    nodes = {}
    for name, node in graph.nodes.items():
        fields = {}
        for key, value in node.to_dict().items():
            if isinstance(value, np.ndarray) and value.dtype.kind in "fiu":
                v = value.astype(np.float64)
                fields[key] = {"shape": list(value.shape), "dtype": str(value.dtype),
                               "sum": float(v.sum()), "sumsq": float((v * v).sum())}
            elif isinstance(value, (int, np.integer)):
                fields[key] = {"shape": [], "dtype": "int", "sum": float(value), "sumsq": float(value) ** 2}
        types = lambda t: {k: [int(x) for x in np.asarray(v).reshape(-1)] for k, v in (t or {}).items()}
        nodes[name] = {"type": type(node).__name__, "fields": fields,
                       "input_type": types(node.input_type), "output_type": types(node.output_type)}
    return {"version": nir.version, "edges": sorted([list(e) for e in graph.edges]), "nodes": nodes,
            "metadata": {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in (graph.metadata or {}).items()}}


def zero_mean_conv(rng, co, ci, scale=1.0):
    w = rng.normal(0, 0.3, (co, ci, 3, 3)).astype(np.float32)
    w -= w.reshape(co, -1).mean(axis=1).reshape(co, 1, 1, 1)
    return (w * scale).astype(np.float32)


def lif(shape, tau_steps=2.0, dt=1e-4, threshold=1.0):
    full = lambda v: np.full(shape, v, dtype=np.float32)
    return nir.LIF(tau=full(tau_steps * dt), r=full(tau_steps), v_leak=full(0), v_threshold=full(threshold),
                   v_reset=full(0))


def fixtures(directory):
    """Small graphs as another framework would write them (nir.write, gzip): what our importer must read."""
    rng = np.random.default_rng(15)
    graphs = {}
    # Conv2d → LIF → SumPool2d → Flatten → Affine, as snnTorch or Norse export a small convolutional network.
    graphs["conv-lif-sumpool.nir"] = nir.NIRGraph(nodes={
        "input": nir.Input(input_type=np.array([2, 8, 8])),
        "conv": nir.Conv2d(input_shape=(8, 8), weight=zero_mean_conv(rng, 4, 2), stride=1, padding=1, dilation=1,
                           groups=1, bias=rng.normal(0, 0.1, 4).astype(np.float32)),
        "lif": lif((4, 8, 8), tau_steps=4.0),
        "pool": nir.SumPool2d(kernel_size=np.array([2, 2]), stride=np.array([2, 2]), padding=np.array([0, 0])),
        "flat": nir.Flatten(input_type={"input": np.array([4, 4, 4])}, start_dim=0, end_dim=-1),
        "fc": nir.Affine(weight=rng.normal(0, 0.1, (3, 64)).astype(np.float32), bias=np.zeros(3, np.float32)),
        "output": nir.Output(output_type=np.array([3])),
    }, edges=[("input", "conv"), ("conv", "lif"), ("lif", "pool"), ("pool", "flat"), ("flat", "fc"), ("fc", "output")])
    # IF neurons, a Scale after each, AvgPool2d over the whole map, a Linear classifier.
    graphs["if-scale-avgpool-linear.nir"] = nir.NIRGraph(nodes={
        "in": nir.Input(input_type=np.array([1, 4, 4])),
        "c1": nir.Conv2d(input_shape=(4, 4), weight=zero_mean_conv(rng, 3, 1), stride=1, padding=1, dilation=1,
                         groups=1, bias=np.zeros(3, np.float32)),
        "n1": nir.IF(r=np.ones((3, 4, 4), np.float32), v_threshold=np.ones((3, 4, 4), np.float32),
                     v_reset=np.zeros((3, 4, 4), np.float32)),
        "s1": nir.Scale(scale=np.full((3, 4, 4), 2.0, np.float32)),
        "gap": nir.AvgPool2d(kernel_size=np.array([4, 4]), stride=np.array([4, 4]), padding=np.array([0, 0])),
        "flat": nir.Flatten(input_type={"input": np.array([3, 1, 1])}, start_dim=0, end_dim=-1),
        "fc": nir.Linear(weight=rng.normal(0, 0.1, (2, 3)).astype(np.float32)),
        "out": nir.Output(output_type=np.array([2])),
    }, edges=[("in", "c1"), ("c1", "n1"), ("n1", "s1"), ("s1", "gap"), ("gap", "flat"), ("flat", "fc"), ("fc", "out")])
    # Refused: a recurrent edge (lif → conv) and heterogeneous time constants.
    tau = np.full((2, 4, 4), 2e-4, np.float32)
    tau[1] = 5e-4
    graphs["refused-heterogeneous-tau.nir"] = nir.NIRGraph(nodes={
        "input": nir.Input(input_type=np.array([1, 4, 4])),
        "conv": nir.Conv2d(input_shape=(4, 4), weight=zero_mean_conv(rng, 2, 1), stride=1, padding=1, dilation=1,
                           groups=1, bias=np.zeros(2, np.float32)),
        "lif": nir.LIF(tau=tau, r=np.full((2, 4, 4), 2, np.float32), v_leak=np.zeros((2, 4, 4), np.float32),
                       v_threshold=np.ones((2, 4, 4), np.float32), v_reset=np.zeros((2, 4, 4), np.float32)),
        "flat": nir.Flatten(input_type={"input": np.array([2, 4, 4])}, start_dim=0, end_dim=-1),
        "fc": nir.Affine(weight=np.zeros((2, 32), np.float32), bias=np.zeros(2, np.float32)),
        "output": nir.Output(output_type=np.array([2])),
    }, edges=[("input", "conv"), ("conv", "lif"), ("lif", "flat"), ("flat", "fc"), ("fc", "output")])
    # Convolutions with arbitrary weights (rows of non-zero mean: plain convolutions) beside a zero-mean one (sWS).
    graphs["plain-conv.nir"] = nir.NIRGraph(nodes={
        "input": nir.Input(input_type=np.array([2, 4, 4])),
        "conv1": nir.Conv2d(input_shape=(4, 4), weight=rng.normal(0.1, 0.3, (3, 2, 3, 3)).astype(np.float32),
                            stride=1, padding=1, dilation=1, groups=1, bias=rng.normal(0, 0.1, 3).astype(np.float32)),
        "lif1": lif((3, 4, 4), tau_steps=2.0),
        "conv2": nir.Conv2d(input_shape=(4, 4), weight=zero_mean_conv(rng, 4, 3), stride=1, padding=1, dilation=1,
                            groups=1, bias=np.zeros(4, np.float32)),
        "lif2": lif((4, 4, 4), tau_steps=2.0),
        "conv3": nir.Conv2d(input_shape=(4, 4), weight=rng.normal(-0.05, 0.3, (2, 4, 3, 3)).astype(np.float32),
                            stride=1, padding=1, dilation=1, groups=1, bias=np.zeros(2, np.float32)),
        "lif3": lif((2, 4, 4), tau_steps=2.0),
        "flat": nir.Flatten(input_type={"input": np.array([2, 4, 4])}, start_dim=0, end_dim=-1),
        "fc": nir.Affine(weight=rng.normal(0, 0.1, (3, 32)).astype(np.float32), bias=np.zeros(3, np.float32)),
        "output": nir.Output(output_type=np.array([3])),
    }, edges=[("input", "conv1"), ("conv1", "lif1"), ("lif1", "conv2"), ("conv2", "lif2"), ("lif2", "conv3"),
              ("conv3", "lif3"), ("lif3", "flat"), ("flat", "fc"), ("fc", "output")])
    os.makedirs(directory, exist_ok=True)
    expected = {}
    for name, graph in graphs.items():
        path = os.path.join(directory, name)
        nir.write(path, graph)
        expected[name] = summary(nir.read(path))
    with open(os.path.join(directory, "fixtures.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


def main(argv):
    if len(argv) == 3 and argv[1] == "summary":
        print(json.dumps(summary(nir.read(argv[2])), sort_keys=True))
    elif len(argv) == 3 and argv[1] == "fixtures":
        fixtures(argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 64
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
