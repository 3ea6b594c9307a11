#!/usr/bin/env python3
"""Splice the table written by `ionics table` into docs/devices.md.

Usage:
    .build/release/ionics table -o results/table --force
    python3 scripts/update_devices_doc.py [results/table/table.md]

Replaces the text between the `<!-- table:start -->` and `<!-- table:end -->` markers.
"""
import sys

source = sys.argv[1] if len(sys.argv) > 1 else "results/table/table.md"
doc = "docs/devices.md"
with open(source) as f:
    table = f.read().strip()
with open(doc) as f:
    text = f.read()
start, end = "<!-- table:start -->", "<!-- table:end -->"
if start not in text or end not in text:
    sys.exit(f"{doc}: markers {start} / {end} not found")
head, rest = text.split(start, 1)
_, tail = rest.split(end, 1)
with open(doc, "w") as f:
    f.write(head + start + "\n" + table + "\n" + end + tail)
print(f"{doc}: table replaced ({table.count(chr(10)) - 1} rows)")
