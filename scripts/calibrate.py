#!/usr/bin/env python3
"""Calibrate a device preset's channel conductivity table to its reported G range.

Usage:
    python3 scripts/calibrate.py configs/devices/NAME.json [--iterations 3]

The electrochemistry does not depend on the channel's conductivity table, so the
fillings a protocol produces are fixed by everything else in the preset. This script
runs the preset, reads the channel's filling at the reads before the first pulse and
after the last potentiation pulse, and writes a log-linear conductivity table through
(theta_start, sigma_min) and (theta_end, sigma_max) into the preset's channel layer so
that the simulated Gmin and Gmax match the reported ones; it then reruns and rescales
the two conductivities by the remaining ratio (non-uniform fillings make G differ from
W/L t sigma(mean theta)) until both are within 1 %.

A development tool (needs h5py, numpy and a built `ionics`); the presets it writes
state in their provenance that the table is calibrated.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np


def run(preset, out):
    cmd = [".build/release/ionics", "run", preset, "-o", out, "--force"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("run failed:\n" + p.stderr[-2000:])


def channel_fillings(h5, layer_index):
    layer = h5["mesh/layer"][:]
    width = h5["mesh/width"][:]
    sel = layer == layer_index
    theta = h5["fields/filling"][:, sel]
    return (theta * width[sel]).sum(axis=1) / width[sel].sum()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("preset")
    ap.add_argument("--iterations", type=int, default=4)
    args = ap.parse_args()
    with open(args.preset) as f:
        config = json.load(f)
    rep = config["reported"]
    units = {"pS": 1e-12, "nS": 1e-9, "uS": 1e-6, "µS": 1e-6, "mS": 1e-3, "S": 1.0}

    def siemens(text):
        value, unit = text.split()
        return float(value) * units[unit]

    gmin, gmax = siemens(rep["gmin"]), siemens(rep["gmax"])
    channel = config["readout"]["layer"]
    idx = [l["name"] for l in config["layers"]].index(channel)
    out = os.path.join(tempfile.gettempdir(), "calibrate.h5")
    sig_lo = sig_hi = None
    for it in range(args.iterations):
        run(args.preset, out)
        with h5py.File(out, "r") as h5:
            names = [n.decode() if isinstance(n, bytes) else n for n in h5["mesh"].attrs["layer_names"]]
            li = names.index(channel)
            theta = channel_fillings(h5, li)
            reads_g = h5["reads/conductance"][:]
            kind = h5["pulses/kind"][:]
            m = h5["metrics"].attrs
            sim_min, sim_max = float(m["gmin"]), float(m["gmax"])
            # Snapshot 0 is the initial state; snapshot k (k ≥ 1) is read k.
            ap_ = h5["reads/after_pulse"][:]
        pot = np.where(kind == 0)[0]
        last_pot = pot.max() if len(pot) else len(kind) - 1
        first_read = max(i for i in range(len(ap_)) if ap_[i] < 0)
        end_read = [i for i in range(len(ap_)) if ap_[i] == last_pot][0]
        t0, t1 = theta[first_read], theta[end_read]
        g0, g1 = reads_g[first_read], reads_g[end_read]
        print(f"iteration {it}: theta {t0:.6g} -> {t1:.6g}; G {g0:.4g} -> {g1:.4g} S (targets {gmin:.4g}, {gmax:.4g}); Gmin/Gmax sim {sim_min:.4g}/{sim_max:.4g}")
        layer = config["layers"][idx]
        if sig_lo is None:
            # G = (W/L) t sigma for a uniform channel: sigma = G L / (W t).
            geo = config["geometry"]
            def length(text):
                v, u = text.split()
                return float(v) * {"nm": 1e-9, "um": 1e-6, "µm": 1e-6, "mm": 1e-3, "m": 1}[u]
            wl = length(geo["width"]) / length(geo["length"])
            t = length(layer["thickness"])
            sig_lo, sig_hi = gmin / (wl * t), gmax / (wl * t)
        else:
            if abs(g0 / gmin - 1) < 0.01 and abs(g1 / gmax - 1) < 0.01:
                break
            sig_lo *= gmin / g0
            sig_hi *= gmax / g1
        dt = t1 - t0
        if dt == 0:
            sys.exit("the channel filling did not change; nothing to calibrate")
        # Log-linear through the two calibration points, continued to θ = 0 and 1 with the
        # same slope but never beyond a factor of 100 past the calibrated range, so that
        # non-uniform fillings never leave the table.
        slope = math.log(sig_hi / sig_lo) / dt
        floor, ceiling = min(sig_lo, sig_hi) / 100, max(sig_lo, sig_hi) * 100
        def sigma(x):
            return min(max(sig_lo * math.exp(slope * (x - t0)), floor), ceiling)
        span = abs(dt)
        pts = sorted({0.0, max(0.0, min(t0, t1) - 2 * span), t0, t1, min(1.0, max(t0, t1) + 2 * span), 1.0})
        values = [sigma(x) for x in pts]
        layer["conductivity"] = {"filling": [float(f"{x:.8g}") for x in pts], "value": [f"{v:.6g} S/m" for v in values]}
        with open(args.preset, "w") as f:
            json.dump(config, f, indent=2, ensure_ascii=False)
            f.write("\n")
    print("conductivity table:", json.dumps(config["layers"][idx]["conductivity"]))


if __name__ == "__main__":
    main()
