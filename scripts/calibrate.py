#!/usr/bin/env python3
"""Calibrate a device preset's channel conductivity table to its reported G range.

Usage:
    python3 scripts/calibrate.py configs/devices/NAME.json

The electrochemistry does not depend on the channel's conductivity table, so the
filling profiles θ(y) that a protocol produces are fixed by everything else in the
preset. This script runs the preset once, reads the channel's filling profile at the
read before the first pulse (start) and at the read after the last potentiation pulse
(end), and solves for a log-linear table σ(θ) = σ0·exp(k(θ − θ0)) with

    (W/L) Σ_i σ(θ_i,start) Δy_i = Gmin,   (W/L) Σ_i σ(θ_i,end) Δy_i = Gmax

exactly (k by bisection on the ratio, then σ0), continued to θ = 0 and 1 with the same
slope but never more than a factor of 100 beyond the calibrated range. It writes the
table into the preset's channel layer, reruns, and prints the simulated range.

A development tool (needs h5py, numpy and a built `ionics`); presets state in their
provenance that their table is calibrated.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

UNITS = {"pS": 1e-12, "nS": 1e-9, "uS": 1e-6, "µS": 1e-6, "mS": 1e-3, "S": 1.0}
LENGTHS = {"nm": 1e-9, "um": 1e-6, "µm": 1e-6, "mm": 1e-3, "m": 1.0}


def quantity(text, table):
    value, unit = text.split()
    return float(value) * table[unit]


def run(preset, out):
    p = subprocess.run([".build/release/ionics", "run", preset, "-o", out, "--force"], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("run failed:\n" + p.stderr[-3000:])
    return p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("preset")
    args = ap.parse_args()
    with open(args.preset) as f:
        config = json.load(f)
    rep = config["reported"]
    gmin, gmax = quantity(rep["gmin"], UNITS), quantity(rep["gmax"], UNITS)
    channel = config["readout"]["layer"]
    idx = [l["name"] for l in config["layers"]].index(channel)
    geo = config["geometry"]
    wl = quantity(geo["width"], LENGTHS) / quantity(geo["length"], LENGTHS)
    out = os.path.join(tempfile.gettempdir(), "calibrate.h5")
    run(args.preset, out)
    with h5py.File(out, "r") as h5:
        names = [n.decode() if isinstance(n, bytes) else n for n in h5["mesh"].attrs["layer_names"]]
        sel = h5["mesh/layer"][:] == names.index(channel)
        width = h5["mesh/width"][:][sel]
        theta = h5["fields/filling"][:, :][:, sel]
        after = h5["reads/after_pulse"][:]
        kind = h5["pulses/kind"][:]
    pot = np.where(kind == 0)[0]
    last = pot.max() if len(pot) else len(kind) - 1
    # Field snapshot 0 is the initial state; snapshot k ≥ 1 is read k.
    start = max(i for i in range(len(after)) if after[i] < 0)
    end = next(i for i in range(len(after)) if after[i] == last)
    ts, te = theta[start], theta[end]
    t0 = float((ts * width).sum() / width.sum())
    t1 = float((te * width).sum() / width.sum())
    thickness = width.sum()
    s_min = gmin / (wl * (width * 1.0).sum())
    floor = s_min / 1000

    def conductance(profile, slope):
        return wl * (np.maximum(s_min + slope * (profile - t0), floor) * width).sum()

    # The slope that gives Gmax at the end read (bisection; exact for the clamped form
    # when some cells fall below the onset of conduction).
    lo_k, hi_k = 0.0, (gmax / gmin - 1) * s_min / (t1 - t0)
    while (conductance(te, hi_k) - gmax) * (conductance(te, lo_k) - gmax) > 0:
        hi_k *= 2
        if abs(hi_k) > 1e15:
            sys.exit("cannot reach Gmax with a linear conductivity")
    for _ in range(200):
        mid = 0.5 * (lo_k + hi_k)
        if (conductance(te, mid) - gmax) * (conductance(te, lo_k) - gmax) > 0:
            lo_k = mid
        else:
            hi_k = mid
    slope = 0.5 * (lo_k + hi_k)
    s_max = s_min + slope * (t1 - t0)

    def sigma(x):
        return max(s_min + slope * (x - t0), floor)

    lo = max(0.0, min(float(ts.min()), float(te.min()), t0, t1) - abs(t1 - t0))
    hi = min(1.0, max(float(ts.max()), float(te.max()), t0, t1) + abs(t1 - t0))
    pts = sorted({0.0, 1.0, *np.linspace(lo, hi, 41).tolist()})
    config["layers"][idx]["conductivity"] = {"filling": [float(f"{x:.9g}") for x in pts],
                                             "value": [f"{sigma(x):.6g} S/m" for x in pts]}
    with open(args.preset, "w") as f:
        json.dump(config, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"θ start {t0:.6g} (spread {np.ptp(ts):.2g}), end {t1:.6g} (spread {np.ptp(te):.2g}); σ {s_min:.6g} → {s_max:.6g} S/m")
    summary = run(args.preset, out)
    print("\n".join(l for l in summary.splitlines() if l.startswith(("conductance", "energy", "warning"))))


if __name__ == "__main__":
    main()
