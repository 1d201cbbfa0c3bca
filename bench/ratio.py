#!/usr/bin/python3
"""Helpers for bench/compare.sh: `pair A_JSON B_JSON INDEX` prints one pair and its ratio on the last line;
`median RATIO...` prints the median ratio."""
import json
import statistics
import sys

if sys.argv[1] == "pair":
    a, b, i = json.loads(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4]
    ratio = a["images_per_s"] / b["images_per_s"]
    print("pair %s: inception4j %.2f img/s (median %.1f ms, peak RSS %.0f MiB) | torchvision %.2f img/s "
          "(median %.1f ms) | ratio %.3f" % (i, a["images_per_s"], a["median_ms"], a["peak_rss_mb"],
                                           b["images_per_s"], b["median_ms"], ratio))
    print("%.4f" % ratio)
else:
    ratios = [float(r) for r in sys.argv[2:]]
    print("median ratio %.3f over %d pairs (%s)" % (statistics.median(ratios), len(ratios),
                                                   ", ".join("%.3f" % r for r in ratios)))
