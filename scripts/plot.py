#!/usr/bin/env python3
"""Plot an Ionics run file (HDF5) to PNG images.

Usage:
    python3 scripts/plot.py results/default.h5 [-o plots/]

Writes, next to the run file (or into -o):
    <name>-ltp-ltd.png      conductance after every pulse (the synaptic weight) and
                            per-pulse charge and energy;
    <name>-profiles.png     concentration / filling / potential profiles across the
                            stack at several snapshots;
    <name>-terminals.png    terminal voltages and currents against time;
    <name>-sweep.png        the swept response (PPF, STDP, SRDP, SVDP, SNDP, SWDP runs).

Requirements: scripts/requirements.txt (h5py, matplotlib, numpy).
"""
import argparse
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def plot_pulses(f, base):
    if "pulses" not in f or f["pulses/index"].shape[0] == 0:
        return None
    after = f["pulses/conductance_after"][:]
    before = f["pulses/conductance_before"][:]
    kind = f["pulses/kind"][:]
    charge = f["pulses/charge"][:]
    energy = f["pulses/write_energy"][:]
    n = np.arange(1, len(after) + 1)
    fig, axes = plt.subplots(3, 1, figsize=(7, 8), sharex=True)
    g = np.concatenate([[before[0]], after]) * 1e6
    axes[0].plot(np.arange(0, len(after) + 1), g, "k-", lw=0.8)
    for code, colour, label in [(0, "tab:red", "potentiation"), (1, "tab:blue", "depression"), (2, "tab:green", "pulse")]:
        sel = kind == code
        if sel.any():
            axes[0].plot(n[sel], after[sel] * 1e6, "o", ms=3, color=colour, label=label)
    axes[0].set_ylabel("G after pulse (µS)")
    axes[0].legend(frameon=False)
    axes[1].bar(n, charge * 1e9, color=["tab:red" if k == 0 else "tab:blue" for k in kind])
    axes[1].set_ylabel("charge (nC)")
    axes[2].bar(n, energy * 1e12, color="0.4")
    axes[2].set_ylabel("write energy (pJ)")
    axes[2].set_xlabel("pulse")
    fig.suptitle(text(f.attrs.get("device", "")))
    fig.tight_layout()
    out = base + "-ltp-ltd.png"
    fig.savefig(out, dpi=130)
    plt.close(fig)
    return out


def plot_profiles(f, base):
    y = f["mesh/y"][:] * 1e9
    times = f["fields/time"][:]
    if len(times) == 0:
        return None
    picks = sorted(set(np.linspace(0, len(times) - 1, min(6, len(times))).astype(int)))
    species = [text(s) for s in f.attrs.get("species", [])]
    panels = [("filling", "filling θ"), ("potential", "potential (V)")] + [("concentration/" + s, s + " (mol/m³)") for s in species]
    panels = [p for p in panels if "fields/" + p[0] in f and np.isfinite(f["fields/" + p[0]][:]).any()]
    fig, axes = plt.subplots(len(panels), 1, figsize=(7, 2.6 * len(panels)), sharex=True)
    axes = np.atleast_1d(axes)
    cmap = plt.get_cmap("viridis")
    for ax, (key, label) in zip(axes, panels):
        data = f["fields/" + key]
        for j, k in enumerate(picks):
            ax.plot(y, data[k, :], color=cmap(j / max(1, len(picks) - 1)), lw=1, label=f"t = {times[k]:.3g} s")
        ax.set_ylabel(label)
        if key.startswith("concentration"):
            ax.set_yscale("log")
    for b in f["mesh/layer_bounds"][:] * 1e9:
        for ax in axes:
            ax.axvline(b, color="0.8", lw=0.6)
    axes[0].legend(fontsize=7, frameon=False)
    axes[-1].set_xlabel("y through the stack (nm)")
    fig.tight_layout()
    out = base + "-profiles.png"
    fig.savefig(out, dpi=130)
    plt.close(fig)
    return out


def plot_terminals(f, base):
    t = f["series/time"][:]
    names = [text(n) for n in f.attrs.get("terminals", [])]
    fig, axes = plt.subplots(3, 1, figsize=(8, 7), sharex=True)
    for name in names:
        g = f["terminals/" + name]
        axes[0].plot(t, g["voltage"][:], lw=0.8, label=name)
        axes[1].plot(t, g["current"][:] * 1e6, lw=0.8, label=name)
    axes[2].plot(t, f["series/conductance"][:] * 1e6, "k", lw=0.8)
    axes[0].set_ylabel("voltage (V)")
    axes[1].set_ylabel("current (µA)")
    axes[2].set_ylabel("G (µS)")
    axes[2].set_xlabel("time (s)")
    axes[0].legend(frameon=False)
    fig.tight_layout()
    out = base + "-terminals.png"
    fig.savefig(out, dpi=130)
    plt.close(fig)
    return out


def plot_sweep(f, base):
    if "metrics/sweep_parameter" not in f:
        return None
    x = f["metrics/sweep_parameter"][:]
    r = f["metrics/sweep_response"][:]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(x, r, "o-")
    ax.set_xlabel(text(f.attrs.get("protocol", "")) + " parameter")
    ax.set_ylabel(text(f["metrics"].attrs.get("sweep_response_name", "response")))
    fig.tight_layout()
    out = base + "-sweep.png"
    fig.savefig(out, dpi=130)
    plt.close(fig)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", help="Ionics HDF5 run file")
    parser.add_argument("-o", "--output", help="folder for the PNG files (default: next to the run file)")
    args = parser.parse_args()
    folder = args.output or os.path.dirname(os.path.abspath(args.file))
    os.makedirs(folder, exist_ok=True)
    base = os.path.join(folder, os.path.splitext(os.path.basename(args.file))[0])
    with h5py.File(args.file, "r") as f:
        status = text(f.attrs.get("status", "?"))
        if status != "completed":
            print(f"note: run status is {status!r}: plotting what the file holds", file=sys.stderr)
        for out in (plot_pulses(f, base), plot_profiles(f, base), plot_terminals(f, base), plot_sweep(f, base)):
            if out:
                print(out)


if __name__ == "__main__":
    main()
