#!/usr/bin/env python3
"""The peers of `ottt bench decode`, timed on given files (run through tools/peer-decode, which makes the venv).

usage: peer_decode.py [--runs N] CASE FILE [CASE FILE ...]
  aedat4 FILE                  dv-processing's MonoCameraRecording: every event batch, its columns as numpy
                               (timestamps, coordinates, polarities), as ours delivers columns chunk by chunk
  evt2 FILE, evt3 FILE         expelliarmus Wizard(encoding).read (a numpy structured array)
  aedat2 FILE                  numpy: skip the '#' header, frombuffer big-endian pairs, DVS128 fields x, y, p
  write-aedat4-none|-lz4|-zstd FILE
                               dv-processing's MonoCameraWriter: the events of the AEDAT 4 FILE (read once, untimed)
                               written in batches of 10,000 to a temporary file (opened and closed in the time)

Each case is timed --runs times (default 5) and the best kept by the calling thread's CPU time (time.thread_time,
as ottt's figures); process CPU and wall time of the same best run are beside it, so a peer's own threads show
(dv-processing reads ahead on a thread of its own: process CPU > thread CPU). One JSON line per case:
  {"peer", "version", "case", "file", "events", "runs", "best_thread_cpu_s", "process_cpu_s", "wall_s",
   "mevents_per_s"} (mevents_per_s by thread CPU), or {"case", "file", "skipped": why}.
Exit 0 when every case was timed, 3 when a peer is missing (the others still run), 64 on usage errors.
"""
import json
import os
import sys
import tempfile
import time


def version(dist):
    try:
        from importlib.metadata import version as v
        return v(dist)
    except Exception:
        return None


def read_dv(path):
    import dv_processing as dv
    import numpy as np
    rec = dv.io.MonoCameraRecording(path)
    n = 0
    while rec.isRunning():
        batch = rec.getNextEventBatch()
        if batch is None or batch.size() == 0:
            continue
        t = np.asarray(batch.timestamps())
        xy = np.asarray(batch.coordinates())
        p = np.asarray(batch.polarities())
        n += t.shape[0]
        assert xy.shape[0] == t.shape[0] == p.shape[0]
    return n


def read_expelliarmus(encoding):
    def read(path):
        from expelliarmus import Wizard
        return int(Wizard(encoding=encoding).read(path).shape[0])
    return read


def read_aedat2(path):
    import numpy as np
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while data[pos:pos + 1] == b"#":
        pos = data.index(b"\n", pos) + 1
    body = memoryview(data)[pos:]
    words = np.frombuffer(body[: len(body) - len(body) % 8], dtype=">u4")
    address, t = words[0::2], words[1::2].astype(np.int64)
    x = ((address >> 1) & 0x7F).astype(np.uint16)
    y = ((address >> 8) & 0x7F).astype(np.uint16)
    p = (address & 1).astype(np.uint8)
    assert x.shape == y.shape == p.shape == t.shape
    return int(t.shape[0])


def dv_batches(path, size=10_000):
    """The events of an AEDAT 4 file as EventStores of `size` events (untimed preparation of the writer case)."""
    import dv_processing as dv
    rec = dv.io.MonoCameraRecording(path)
    store = dv.EventStore()
    while rec.isRunning():
        batch = rec.getNextEventBatch()
        if batch is not None:
            store.add(batch)
    resolution = rec.getEventResolution()
    return [store.slice(i, min(size, store.size() - i)) for i in range(0, store.size(), size)], resolution


def writer(compression):
    def prepare(path):
        batches, resolution = dv_batches(path)
        out = tempfile.NamedTemporaryFile(suffix=".aedat4", delete=False).name

        def write(_):
            import dv_processing as dv
            kind = getattr(dv.CompressionType, compression.upper())
            w = dv.io.MonoCameraWriter(out, dv.io.MonoCameraWriter.EventOnlyConfig("peer", resolution, kind))
            n = 0
            for b in batches:
                w.writeEvents(b)
                n += b.size()
            del w  # closes the file
            return n
        return write, lambda: os.path.exists(out) and os.remove(out)
    return prepare


# The extension each peer insists on (dv-processing: .aedat4; expelliarmus: .raw for EVT, checked after resolving
# symbolic links): other names are hard-linked (or else copied) into a temporary folder under that extension.
EXTENSIONS = {"aedat4": ".aedat4", "evt2": ".raw", "evt3": ".raw"}


def named(path, case, folder):
    ext = EXTENSIONS.get(case.replace("write-", "").split("-")[0] if case.startswith("write-") else case)
    if ext is None or path.endswith(ext):
        return path
    link = os.path.join(folder, f"{len(os.listdir(folder))}{ext}")
    try:
        os.link(os.path.realpath(path), link)
    except OSError:
        import shutil
        shutil.copyfile(path, link)
    return link


CASES = {
    "aedat4": ("dv-processing", "dv_processing", read_dv, None),
    "evt2": ("expelliarmus", "expelliarmus", read_expelliarmus("evt2"), None),
    "evt3": ("expelliarmus", "expelliarmus", read_expelliarmus("evt3"), None),
    "aedat2": ("numpy", "numpy", read_aedat2, None),
    "write-aedat4-none": ("dv-processing", "dv_processing", None, writer("none")),
    "write-aedat4-lz4": ("dv-processing", "dv_processing", None, writer("lz4")),
    "write-aedat4-zstd": ("dv-processing", "dv_processing", None, writer("zstd")),
}


def main(argv):
    runs = 5
    if argv[:1] == ["--runs"]:
        if len(argv) < 2 or not argv[1].isdigit() or int(argv[1]) < 1:
            print("peer_decode: --runs takes a positive integer", file=sys.stderr)
            return 64
        runs, argv = int(argv[1]), argv[2:]
    if not argv or len(argv) % 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 64
    status = 0
    folder = tempfile.mkdtemp(prefix="peer-decode-")
    try:
        for case, path in zip(argv[0::2], argv[1::2]):
            status = run(case, path, named(path, case, folder) if case in CASES else path, runs, status)
            if status == 64:
                break
    finally:
        for name in os.listdir(folder):
            os.remove(os.path.join(folder, name))
        os.rmdir(folder)
    return status


def first_line(error):
    return str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__


def run(case, path, local, runs, status):
    """Times one case; returns the exit status so far."""
    if case not in CASES:
        print(f"peer_decode: no case '{case}' (have {', '.join(CASES)})", file=sys.stderr)
        return 64
    peer, module, read, prepare = CASES[case]
    try:
        __import__(module)
    except Exception as e:  # a peer that would not install: skip it, say why, go on
        print(json.dumps({"case": case, "file": path, "skipped": f"{peer} does not import: {e}"}))
        return max(status, 3)
    cleanup = None
    best = None
    try:
        if prepare:
            read, cleanup = prepare(local)
        for _ in range(runs):
            c0, p0, w0 = time.thread_time(), time.process_time(), time.perf_counter()
            n = read(local)
            c1, p1, w1 = time.thread_time(), time.process_time(), time.perf_counter()
            if best is None or c1 - c0 < best[0]:
                best = (c1 - c0, p1 - p0, w1 - w0, n)
    except Exception as e:
        print(json.dumps({"case": case, "file": path, "failed": f"{peer}: {first_line(e)}"}), flush=True)
        return 1 if status == 0 else status
    finally:
        if cleanup:
            cleanup()
    cpu, process, wall, n = best
    print(json.dumps({"peer": peer, "version": version(peer), "case": case, "file": path, "events": n,
                      "runs": runs, "best_thread_cpu_s": round(cpu, 6), "process_cpu_s": round(process, 6),
                      "wall_s": round(wall, 6), "mevents_per_s": round(n / cpu / 1e6, 2) if cpu > 0 else None}),
          flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
