#!/usr/bin/env python3
"""Golden values for EventBinning's `paper` resize: what the official OTTT pipeline makes of a count frame.

The OTTT code turns each [2, H, W] float count frame into a PIL image with torchvision's ToPILImage
(`pic.mul(255).byte()`: x255 then a uint8 cast that wraps, mode "LA" for two channels, channel 0 = L = OFF,
channel 1 = A = ON) and resizes it with `Resize(48)`, which for a PIL image calls `img.resize((48, 48), BILINEAR)`.
Pillow resizes LA images premultiplied: convert("La"), resample, convert("LA"). This script runs exactly that with
real Pillow and prints the results the Swift tests embed (torch is not needed: the wrap is done in numpy the way
torch's cast does it on x86, through a 32-bit integer).

Frames come from a tiny linear congruential generator that the Swift test reimplements, so both sides build the
same counts without shipping data:  state = (state * 6364136223846793005 + 1442695040888963407) mod 2^64,
count = (state >> 33) % modulus, drawn row-major over [channel][y][x].

usage: pip install pillow numpy; python3 tools/paper_resize_golden.py
"""
import numpy as np
from PIL import Image
import PIL

MASK = (1 << 64) - 1


def counts(seed, h, w, modulus, zero_percent):
    state = seed
    out = np.zeros((2, h, w), dtype=np.float32)
    for c in range(2):
        for y in range(h):
            for x in range(w):
                state = (state * 6364136223846793005 + 1442695040888963407) & MASK
                r = state >> 33
                if r % 100 < zero_percent:
                    out[c, y, x] = 0
                else:
                    out[c, y, x] = (r >> 8) % modulus
    return out


def paper_resize(frame, size):
    # ToPILImage: float -> x255 -> uint8 with wrap (torch casts through int32 then truncates on x86)
    wrapped = ((frame * 255).astype(np.int64) & 255).astype(np.uint8)
    image = Image.fromarray(np.ascontiguousarray(np.transpose(wrapped, (1, 2, 0))))  # HxWx2 uint8 is "LA"
    assert image.mode == "LA", image.mode
    resized = image.resize((size, size), Image.BILINEAR)
    return np.transpose(np.asarray(resized), (2, 0, 1))  # [2, size, size] uint8


def fnv1a(data):
    h = 0xcbf29ce484222325
    for b in data:
        h ^= int(b)
        h = (h * 0x100000001b3) & MASK
    return h


def main():
    print(f"# Pillow {PIL.__version__}, numpy {np.__version__}")
    small = counts(seed=7, h=12, w=12, modulus=4, zero_percent=50)
    out = paper_resize(small, 5)
    print("small 12x12 -> 5x5, seed 7, counts 0..3, half zeros")
    for c, name in enumerate(["L (OFF)", "A (ON)"]):
        print(f"  {name}: {out[c].flatten().tolist()}")
    big = counts(seed=2022, h=128, w=128, modulus=3, zero_percent=90)
    out = paper_resize(big, 48)
    print("big 128x128 -> 48x48, seed 2022, counts 0..2, 90% zeros")
    print(f"  sum L {int(out[0].astype(np.int64).sum())}, sum A {int(out[1].astype(np.int64).sum())}, "
          f"fnv1a of the [2,48,48] bytes 0x{fnv1a(out.flatten()):016x}")


if __name__ == "__main__":
    main()
