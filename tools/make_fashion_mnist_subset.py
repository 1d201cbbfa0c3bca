#!/usr/bin/env python3
"""Writes the Fashion-MNIST subset embedded in the jar for `inception demo`: the first N training and M test
images of each class, in file order, as gzipped IDX files (the format FashionMnist reads).

Usage: tools/make_fashion_mnist_subset.py [SOURCE_DIR] [TARGET_DIR] [N] [M]
Defaults: /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist), the resource folder, 600, 100.
Fashion-MNIST is (c) Zalando SE, MIT licence.
"""
import gzip
import struct
import sys
from pathlib import Path

src = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist")
dst = Path(sys.argv[2] if len(sys.argv) > 2 else
           Path(__file__).resolve().parent.parent / "src/main/resources/io/github/inception4j/data/fashion-mnist-subset")
per_class = {"train": int(sys.argv[3]) if len(sys.argv) > 3 else 600,
             "t10k": int(sys.argv[4]) if len(sys.argv) > 4 else 100}
dst.mkdir(parents=True, exist_ok=True)
for split, n in per_class.items():
    images = gzip.open(src / f"{split}-images-idx3-ubyte.gz").read()
    labels = gzip.open(src / f"{split}-labels-idx1-ubyte.gz").read()
    count, rows, cols = struct.unpack(">III", images[4:16])
    size = rows * cols
    taken = {c: 0 for c in range(10)}
    keep = []
    for i in range(count):
        c = labels[8 + i]
        if taken[c] < n:
            taken[c] += 1
            keep.append(i)
    img = struct.pack(">IIII", 0x803, len(keep), rows, cols) + b"".join(
        images[16 + i * size:16 + (i + 1) * size] for i in keep)
    lab = struct.pack(">II", 0x801, len(keep)) + bytes(labels[8 + i] for i in keep)
    # mtime=0: the same input always gives the same bytes.
    (dst / f"{split}-images-idx3-ubyte.gz").write_bytes(gzip.compress(img, 9, mtime=0))
    (dst / f"{split}-labels-idx1-ubyte.gz").write_bytes(gzip.compress(lab, 9, mtime=0))
    print(split, len(keep), "images")
