#!/usr/bin/python3
"""Helpers for bench/compare.sh: `pair A_JSON B_JSON INDEX` prints one pair and its ratio on the last line;
`median RATIO...` prints the median ratio. For bench/variants.sh: `table RUNS_FILE` (lines "ROUND NAME JSON")
prints each variant's median images/s and, for every two variants, the median of their per-round ratios."""
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
elif sys.argv[1] == "table":
    rounds = {}
    for line in open(sys.argv[2]):
        r, name, payload = line.split(" ", 2)
        rounds.setdefault(name, {})[int(r)] = json.loads(payload)["images_per_s"]
    names = list(rounds)
    print("%-24s %s" % ("variant", "images/s by round -> median"))
    for n in names:
        values = [rounds[n][r] for r in sorted(rounds[n])]
        print("%-24s %s -> %.2f" % (n, " ".join("%.2f" % v for v in values), statistics.median(values)))
    print("ratios (row / column), median of per-round ratios:")
    print("%-24s " % "" + " ".join("%14s" % n[-14:] for n in names))
    for a in names:
        cells = []
        for b in names:
            common = sorted(set(rounds[a]) & set(rounds[b]))
            cells.append("%14.2f" % statistics.median(rounds[a][r] / rounds[b][r] for r in common))
        print("%-24s " % a + " ".join(cells))
else:
    ratios = [float(r) for r in sys.argv[2:]]
    print("median ratio %.3f over %d pairs (%s)" % (statistics.median(ratios), len(ratios),
                                                   ", ".join("%.3f" % r for r in ratios)))
