#!/usr/bin/env python3
"""Cross-check: read AEDAT 4 files that ottt wrote with iniVation's dv-processing and compare the decoded events
with the digests of a fixture summary (first 16 hex digits of SHA-256 of each column as little-endian int64, the
scheme of ../shared/recordings/tools/decode_fixtures.py).

usage: aedat4_dvprocessing_check.py SUMMARY.json KEY FILE.aedat4...
  KEY names the digest object in the summary, e.g. sha256_16_of_int64_fields_jaer.
Exits 1 if any file disagrees. Run by tools/check-aedat4-writer, which sets up dv-processing in a throwaway venv.
"""
import hashlib
import json
import sys

import dv_processing as dv
import numpy as np


def digests(path):
    reader = dv.io.MonoCameraRecording(path)
    cols = {"t": [], "x": [], "y": [], "p": []}
    while reader.isRunning():
        batch = reader.getNextEventBatch()
        if batch is None:
            continue
        a = batch.numpy()
        for name, field in (("t", "timestamp"), ("x", "x"), ("y", "y"), ("p", "polarity")):
            cols[name].append(np.asarray(a[field], dtype="<i8"))
    return {k: hashlib.sha256(np.concatenate(v).astype("<i8").tobytes()).hexdigest()[:16] if v else "" for k, v in cols.items()}


def main():
    summary_path, key, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    expected = json.load(open(summary_path))[key]
    bad = 0
    for f in files:
        got = digests(f)
        verdict = "agrees" if got == expected else f"DISAGREES: {got} vs {expected}"
        bad += got != expected
        print(f"{f}: dv-processing {verdict}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
