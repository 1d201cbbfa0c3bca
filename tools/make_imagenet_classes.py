#!/usr/bin/env python3
"""Writes the ImageNet-1k class names bundled in the jar (one per line, in class-index order), from the list
torchvision ships with its ImageNet weights (torchvision.models._meta._IMAGENET_CATEGORIES).

Usage: /usr/bin/python3 tools/make_imagenet_classes.py [TARGET_FILE]   (needs Debian's python3-torchvision)
"""
import sys
from pathlib import Path

from torchvision.models._meta import _IMAGENET_CATEGORIES

target = Path(sys.argv[1] if len(sys.argv) > 1 else
              Path(__file__).resolve().parent.parent / "src/main/resources/io/github/inception4j/eval/imagenet-1k.txt")
assert len(_IMAGENET_CATEGORIES) == 1000 and all("\n" not in c for c in _IMAGENET_CATEGORIES)
target.write_text("".join(c + "\n" for c in _IMAGENET_CATEGORIES), encoding="utf-8")
print(f"wrote {target} ({len(_IMAGENET_CATEGORIES)} classes)")
