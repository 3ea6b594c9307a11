#!/usr/bin/env python3
"""Plot an Ionics run file (HDF5) to PNG images.

Usage:
    python3 scripts/plot.py results/default.h5 [-o plots/]

Writes, next to the run file (or into -o), and prints the paths of:
    <name>-profiles.png   one column per layer of the stack (the gate electrode included,
                          as its terminal potential), one row per field; each panel on its
                          own x and y scale (log where a positive quantity spans more than
                          two decades), lines end at the interfaces; colour = snapshot time
                          (colour bar), t = 0 dashed on top;
    <name>-terminals.png  terminal voltages and currents against time, and a zoom on one
                          pulse (the middle potentiation pulse) in ms;
    <name>-ltp-ltd.png    G after each pulse with the NeuroSim nonlinearity fit of each
                          branch (ν = N/A, A/N) and Gmin/Gmax marked, plus charge and
                          write energy per pulse;
    <name>-sweep.png      the swept response (PPF, STDP, SRDP, SVDP, SNDP, SWDP runs).

For a 2D cross-section (root attribute dimension = 2) the profiles are replaced by
    <name>-maps.png       maps over (x along the channel, depth into each layer) of the
                          potential and concentrations in electrolytes and the filling of
                          hosts, one column per chosen snapshot (--times, default: first,
                          middle, last), each layer on its own depth scale;
    <name>-front.png      the channel's thickness-averaged filling θ̄(x) at the snapshots,
                          and the lateral front position against time: the distance from
                          the source end at which the rise of θ̄ over its initial value
                          falls to half of its largest rise.

Axis labels come from each dataset's `long_name` and `units` attributes (docs/output.md),
scaled to a readable SI prefix. Requirements: scripts/requirements.txt.
"""
import argparse
import json
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.cm import ScalarMappable  # noqa: E402
from matplotlib.colors import LogNorm, Normalize  # noqa: E402

PREFIXES = [(1e9, "G"), (1e6, "M"), (1e3, "k"), (1, ""), (1e-3, "m"), (1e-6, "µ"), (1e-9, "n"), (1e-12, "p"), (1e-15, "f")]
# Units that take an SI prefix (others, e.g. mol/m^3 or 1, are drawn as they are).
PREFIXABLE = {"V", "A", "S", "s", "C", "J", "m", "S/m", "W"}


def text(value):
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode()
    return str(value)


def attr(dataset, name, default=""):
    return text(dataset.attrs[name]) if name in dataset.attrs else default


def scaled(values, units):
    """(factor, unit label) so that values*factor read as 1…1000 with an SI prefix."""
    if units not in PREFIXABLE:
        return 1.0, units
    finite = np.abs(values[np.isfinite(values)])
    peak = finite.max() if finite.size else 0.0
    if peak == 0:
        return 1.0, units
    for scale, prefix in PREFIXES:
        if peak >= scale * 0.9995:
            return 1.0 / scale, prefix + units
    return 1.0 / PREFIXES[-1][0], PREFIXES[-1][1] + units


def label(dataset, unit_label=None):
    name = attr(dataset, "long_name", dataset.name.split("/")[-1])
    unit = unit_label if unit_label is not None else attr(dataset, "units")
    return f"{name} ({unit})" if unit and unit != "1" else name


def choose_scale(ax, data):
    """Log axis for a positive quantity spanning more than two decades, linear otherwise."""
    finite = data[np.isfinite(data)]
    if finite.size and finite.min() > 0 and finite.max() / finite.min() > 100:
        ax.set_yscale("log")


def gate_layers(f):
    """Layers of the config that are not meshed (electrodes such as the gate reservoir)."""
    try:
        config = json.loads(text(f.attrs["config"]))
    except (KeyError, ValueError):
        return []
    meshed = [text(n) for n in f["mesh"].attrs.get("layer_names", [])]
    return [(layer.get("name", "?"), layer.get("material", ""), layer.get("terminal"))
            for layer in config.get("layers", []) if layer.get("name") not in meshed]


def plot_profiles(f, base):
    if "fields/time" not in f or f["fields/time"].shape[0] == 0:
        return None
    times = f["fields/time"][:]
    y = f["mesh/y"][:]
    layer = f["mesh/layer"][:]
    bounds = f["mesh/layer_bounds"][:]
    names = [text(n) for n in f["mesh"].attrs.get("layer_names", [])]
    materials = [text(n) for n in f["mesh"].attrs.get("layer_materials", [])]
    keys = ["potential"] + ["concentration/" + k for k in f["fields/concentration"] if k not in ("time", "y")]
    keys += ["filling", "electron_density", "conductivity", "charge_density"]
    keys = [k for k in keys if "fields/" + k in f and np.isfinite(f["fields/" + k][:]).any()]
    picks = sorted(set(np.linspace(0, len(times) - 1, min(12, len(times))).astype(int)))
    positive = times[times > 0]
    norm = (LogNorm(positive.min(), times.max()) if positive.size > 1 and times.max() / positive.min() > 100
            else Normalize(times.min(), times.max() if times.max() > times.min() else times.min() + 1))
    cmap = plt.get_cmap("viridis")

    def colour(t):
        return cmap(norm(max(t, positive.min()) if isinstance(norm, LogNorm) else t))

    electrodes = gate_layers(f)
    columns = [("electrode", e) for e in electrodes] + [("layer", i) for i in range(len(names))]
    widths = [0.5 if kind == "electrode" else 1.0 for kind, _ in columns]
    fig, axes = plt.subplots(len(keys), len(columns), figsize=(3.2 * len(columns), 2.3 * len(keys)),
                             squeeze=False, gridspec_kw={"width_ratios": widths}, layout="constrained")
    for col, (kind, which) in enumerate(columns):
        for row, key in enumerate(keys):
            ax = axes[row][col]
            data = f["fields/" + key]
            if kind == "electrode":
                name, material, terminal = which
                if row == 0:
                    ax.set_title(f"{name} ({material})\nelectrode, not meshed", fontsize=9)
                tpath = f"terminals/{terminal}/voltage"
                if key == "potential" and terminal and tpath in f:
                    tv = f[tpath]
                    tt = f[f"terminals/{terminal}/time"][:]
                    for k in picks:
                        v = np.interp(times[k], tt, tv[:]) if tt.size else np.nan
                        ax.plot([0, 1], [v, v], color=colour(times[k]), lw=1.2, ls="--" if k == 0 else "-")
                    ax.set_ylabel(label(tv))
                    ax.set_xticks([])
                else:
                    ax.axis("off")
                continue
            sel = layer == which
            values = data[:, sel]
            if not np.isfinite(values).any():
                ax.text(0.5, 0.5, "—", ha="center", va="center", transform=ax.transAxes, color="0.5")
                ax.set_xticks([])
                ax.set_yticks([])
                if row == 0:
                    ax.set_title(f"{names[which]} ({materials[which] if which < len(materials) else ''})", fontsize=9)
                continue
            vf, vunit = scaled(values, attr(data, "units"))
            # Depth into the layer, on the layer's own scale (a 50 nm channel beside 1 µm of electrolyte).
            lo, hi = bounds[which], bounds[which + 1]
            xf, xunit = scaled(np.array([hi - lo]), attr(f["mesh/y"], "units", "m"))
            for k in picks[1:] + picks[:1]:  # t = 0 last, dashed, so later curves do not hide it
                ax.plot((y[sel] - lo) * xf, values[k] * vf, color=colour(times[k]), lw=1.2 if k else 1.0,
                        ls="--" if k == 0 else "-", zorder=3 if k == 0 else 2)
            choose_scale(ax, values * vf)
            ax.set_xlim(0, (hi - lo) * xf)
            ax.set_ylabel(label(data, vunit), fontsize=8)
            if row == 0:
                ax.set_title(f"{names[which]} ({materials[which] if which < len(materials) else ''})", fontsize=9)
            if row == len(keys) - 1:
                ax.set_xlabel(f"depth into {names[which]} ({xunit})")
    fig.suptitle(text(f.attrs.get("device", "")) + ": profiles through the stack (t = 0 dashed)", fontsize=10)
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=axes.ravel().tolist(), fraction=0.03, pad=0.01)
    bar.set_label(label(f["fields/time"]))
    out = base + "-profiles.png"
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out


def snapshot_picks(times, wanted):
    """Indices of the snapshots nearest to the wanted times (s); default first, middle, last."""
    if not wanted:
        return sorted(set([0, len(times) // 2, len(times) - 1]))
    return sorted(set(int(np.argmin(np.abs(times - t))) for t in wanted))


def layer_rows(f, which):
    """Rows of layer `which` and its face positions through the stack (depth from its first face)."""
    layer = f["mesh/layer"][:]
    faces = f["mesh/faces"][:]
    rows = np.where(layer == which)[0]
    lo = f["mesh/layer_bounds"][which]
    return rows, faces[rows[0]:rows[-1] + 2] - lo


def plot_maps(f, base, wanted):
    if "fields/time" not in f or f["fields/time"].shape[0] == 0:
        return None
    times = f["fields/time"][:]
    picks = snapshot_picks(times, wanted)
    xf = f["mesh/x_faces"][:]
    names = [text(n) for n in f["mesh"].attrs.get("layer_names", [])]
    panels = []
    for which, name in enumerate(names):
        rows, _ = layer_rows(f, which)
        filling = f["fields/filling"][0][rows]
        if np.isfinite(filling).any():
            panels.append((which, "filling"))
            continue
        panels.append((which, "potential"))
        for k in f["fields/concentration"]:
            if k not in ("time", "y", "x") and np.isfinite(f["fields/concentration/" + k][0][rows]).any():
                panels.append((which, "concentration/" + k))
    fig, axes = plt.subplots(len(panels), len(picks), figsize=(3.6 * len(picks), 1.9 * len(panels)), squeeze=False,
                             layout="constrained")
    xs, xunit = scaled(np.array([xf[-1]]), "m")
    for r, (which, key) in enumerate(panels):
        data = f["fields/" + key]
        rows, yf = layer_rows(f, which)
        block = data[:, rows[0]:rows[-1] + 1, :]
        vs, vunit = scaled(block[np.isfinite(block)], attr(data, "units"))
        ys, yunit = scaled(np.array([yf[-1]]), "m")
        finite = block[np.isfinite(block)] * vs
        lo, hi = (finite.min(), finite.max()) if finite.size else (0, 1)
        for c, k in enumerate(picks):
            ax = axes[r][c]
            mesh = ax.pcolormesh(xf * xs, yf * ys, block[k] * vs, vmin=lo, vmax=hi, cmap="viridis", shading="flat")
            if r == 0:
                ax.set_title(f"t = {times[k]:.4g} s", fontsize=9)
            if c == 0:
                ax.set_ylabel(f"{names[which]}\ndepth ({yunit})", fontsize=8)
            if r == len(panels) - 1:
                ax.set_xlabel(f"x from source ({xunit})")
        bar = fig.colorbar(mesh, ax=axes[r].tolist(), fraction=0.02, pad=0.01)
        bar.set_label(label(data, vunit), fontsize=8)
    fig.suptitle(text(f.attrs.get("device", "")) + ": maps of the cross-section", fontsize=10)
    out = base + "-maps.png"
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def front_positions(x, mean_filling):
    """Lateral front per snapshot: where the rise of θ̄ over t = 0 falls to half its largest rise."""
    rise = mean_filling - mean_filling[0]
    fronts = []
    for r in rise:
        peak = int(np.argmax(r))
        if not r[peak] > 0:
            fronts.append(np.nan)
            continue
        half = 0.5 * r[peak]
        beyond = np.where(r[peak:] <= half)[0]
        if beyond.size == 0:
            fronts.append(x[-1])
            continue
        j = peak + beyond[0]
        # Linear interpolation between the last cell above half and the first below.
        x0, x1, r0, r1 = x[j - 1], x[j], r[j - 1], r[j]
        fronts.append(x0 + (r0 - half) / (r0 - r1) * (x1 - x0) if r0 != r1 else x1)
    return np.array(fronts)


def plot_front(f, base, wanted):
    if "fields/time" not in f or f["fields/time"].shape[0] < 2:
        return None
    names = [text(n) for n in f["mesh"].attrs.get("layer_names", [])]
    channel = None
    for which in range(len(names)):
        rows, _ = layer_rows(f, which)
        if np.isfinite(f["fields/filling"][0][rows]).any():
            channel = which  # the last host
    if channel is None:
        return None
    rows, yf = layer_rows(f, channel)
    h = np.diff(yf)
    theta = f["fields/filling"][:, rows[0]:rows[-1] + 1, :]
    mean = np.einsum("tyx,y->tx", theta, h) / h.sum()
    times = f["fields/time"][:]
    x = f["mesh/x"][:]
    xs, xunit = scaled(np.array([x[-1]]), "m")
    fronts = front_positions(x, mean)
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
    for k in snapshot_picks(times, wanted) if wanted else range(len(times)):
        a.plot(x * xs, mean[k], color=plt.get_cmap("viridis")(k / max(len(times) - 1, 1)), lw=1)
    a.set_xlabel(f"x from source ({xunit})")
    a.set_ylabel(f"θ̄ in {names[channel]} (thickness mean)")
    b.plot(times, fronts * xs, "o-", ms=3)
    b.set_xlabel("time (s)")
    b.set_ylabel(f"front position ({xunit})")
    b.set_title("half-rise of θ̄ beyond its peak", fontsize=9)
    fig.suptitle(text(f.attrs.get("device", "")) + ": lateral intercalation front", fontsize=10)
    out = base + "-front.png"
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out


def plot_terminals(f, base):
    names = [text(n) for n in f.attrs.get("terminals", [])]
    names = [n for n in names if "terminals/" + n in f]
    if not names:
        return None
    pulses = f["pulses"] if "pulses" in f and f["pulses/start"].shape[0] else None
    zoom = None
    if pulses is not None:
        kind = pulses["kind"][:]
        rows = np.flatnonzero(kind == 0) if (kind == 0).any() else np.arange(len(kind))
        r = rows[len(rows) // 2]
        start, end = pulses["start"][r], pulses["end"][r]
        width = end - start
        zoom = (start - 0.5 * width, end + 1.5 * width, int(pulses["pulse"][r]) if "pulse" in pulses else r)
    fig, axes = plt.subplots(2, 2 if zoom else 1, figsize=(12 if zoom else 8, 6), squeeze=False,
                             gridspec_kw={"width_ratios": [2, 1]} if zoom else None)
    for col in range(axes.shape[1]):
        for row, quantity in enumerate(["voltage", "current"]):
            ax = axes[row][col]
            traces = []
            for name in names:
                g = f["terminals/" + name]
                t, v = g["time"][:], g[quantity][:]
                if col == 1:
                    keep = (t >= zoom[0]) & (t <= zoom[1])
                    t, v = t[keep], v[keep]
                traces.append((name, t, v))
            # One scale for all terminals of a panel, chosen from the largest of them.
            tf, tunit = scaled(np.concatenate([t for _, t, _ in traces]), "s")
            vf, vunit = scaled(np.concatenate([v for _, _, v in traces]), attr(f[f"terminals/{names[0]}/{quantity}"], "units"))
            for name, t, v in traces:
                ax.plot(t * tf, v * vf, lw=0.9, label=name, drawstyle="steps-pre" if quantity == "current" else "default")
            ax.set_ylabel(f"{quantity} ({vunit})")
            ax.set_xlabel(f"time ({tunit})")
            if col == 1 and row == 0:
                ax.set_title(f"one pulse (pulse {zoom[2]}), zoom", fontsize=9)
            if col == 0 and row == 0:
                ax.set_title("terminals over the run", fontsize=9)
                ax.legend(frameon=False, fontsize=8)
    fig.suptitle(text(f.attrs.get("device", "")), fontsize=10)
    fig.tight_layout()
    out = base + "-terminals.png"
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out


def branch(pulses, code):
    """G before the first pulse of the first contiguous run of `code`, then after each (experiment 0)."""
    kind, index, experiment = pulses["kind"][:], pulses["index"][:], pulses["experiment"][:]
    rows = [r for r in range(len(kind)) if kind[r] == code and experiment[r] == experiment[0]]
    if not rows:
        return None, None
    run = [rows[0]]
    for r in rows[1:]:
        if index[r] == index[run[-1]] + 1:
            run.append(r)
    g = np.concatenate([[pulses["conductance_before"][run[0]]], pulses["conductance_after"][run]])
    return np.array(run), g


def neurosim_curve(g, a):
    """G(P) = G_0 + (G_N − G_0)(1 − e^(−P/A))/(1 − e^(−N/A)) (docs/metrics.md)."""
    n = len(g) - 1
    p = np.arange(n + 1)
    if not np.isfinite(a) or abs(a) > 1e12:
        return g[0] + (g[-1] - g[0]) * p / n
    return g[0] + (g[-1] - g[0]) * (-np.expm1(-p / a)) / (-np.expm1(-n / a))


def plot_pulses(f, base):
    if "pulses" not in f or f["pulses/index"].shape[0] == 0:
        return None
    p = f["pulses"]
    after, before, kind = p["conductance_after"][:], p["conductance_before"][:], p["kind"][:]
    n = np.arange(1, len(after) + 1)
    gf, gunit = scaled(np.concatenate([before, after]), attr(p["conductance_after"], "units", "S"))
    fig, axes = plt.subplots(3, 1, figsize=(8, 8.5), sharex=True, gridspec_kw={"height_ratios": [3, 1, 1]})
    ax = axes[0]
    ax.plot(np.arange(0, len(after) + 1), np.concatenate([[before[0]], after]) * gf, "-", color="0.6", lw=0.8)
    for code, colour, name in [(0, "tab:red", "potentiation"), (1, "tab:blue", "depression"), (2, "tab:green", "pulse")]:
        sel = kind == code
        if sel.any():
            ax.plot(n[sel], after[sel] * gf, "o", ms=3, color=colour, label=name)
    metrics = f["metrics"].attrs if "metrics" in f else {}
    notes = []
    for code, key, name, colour in [(0, "potentiation", "potentiation", "tab:red"), (1, "depression", "depression", "tab:blue"),
                                    (2, "potentiation", "pulses", "tab:green")]:
        rows, g = branch(p, code)
        a = metrics.get(f"nonlinearity_{key}_A")
        if rows is None or a is None or len(g) < 3:
            continue
        a = float(a)
        x = np.concatenate([[rows[0]], rows + 1])
        ax.plot(x, neurosim_curve(g, a) * gf, "-", color=colour, lw=1.4, alpha=0.7)
        nu = (len(g) - 1) / a if np.isfinite(a) and a != 0 else 0.0
        notes.append(f"{name}: ν = N/A = {nu:.3g}, NeuroSim A/N = {a / (len(g) - 1):.3g}")
    gmin, gmax = metrics.get("gmin"), metrics.get("gmax")
    if gmin is not None and gmax is not None and np.isfinite(gmin) and np.isfinite(gmax):
        for value, name in [(gmin, "Gmin"), (gmax, "Gmax")]:
            ax.axhline(value * gf, color="0.3", ls=":", lw=0.8)
            ax.annotate(f"{name} = {value * gf:.4g} {gunit}", (0.005, value * gf), xycoords=("axes fraction", "data"),
                        fontsize=8, va="bottom")
        notes.append(f"Gmax/Gmin = {gmax / gmin:.3g}")
    if notes:
        ax.set_title("; ".join(notes) + "\nlines: NeuroSim fit G(P) = B(1 − e^(−P/A)) + G_0 of each branch", fontsize=8)
    ax.set_ylabel(f"G after pulse ({gunit})")
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(0, 0.93))
    for ax, key in [(axes[1], "charge"), (axes[2], "write_energy")]:
        d = p[key]
        vf, vunit = scaled(d[:], attr(d, "units"))
        ax.bar(n, d[:] * vf, color=["tab:red" if k == 0 else "tab:blue" if k == 1 else "0.4" for k in kind])
        ax.set_ylabel(label(d, vunit) if len(label(d, vunit)) < 30 else f"{key.replace('_', ' ')} ({vunit})", fontsize=8)
    axes[2].set_xlabel("pulse")
    fig.suptitle(text(f.attrs.get("device", "")), fontsize=10)
    fig.tight_layout()
    out = base + "-ltp-ltd.png"
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out


def plot_sweep(f, base):
    if "metrics/sweep_parameter" not in f:
        return None
    x = f["metrics/sweep_parameter"]
    r = f["metrics/sweep_response"]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(x[:], r[:], "o-")
    ax.set_xlabel(label(x))
    ax.set_ylabel(text(f["metrics"].attrs.get("sweep_response_name", "response")))
    fig.tight_layout()
    out = base + "-sweep.png"
    fig.savefig(out, dpi=120)
    plt.close(fig)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", help="Ionics HDF5 run file")
    parser.add_argument("-o", "--output", help="folder for the PNG files (default: next to the run file)")
    parser.add_argument("--times", help="2D: comma-separated snapshot times (s) for the maps, e.g. 0,0.1,0.2")
    args = parser.parse_args()
    wanted = [float(t) for t in args.times.split(",")] if args.times else []
    folder = args.output or os.path.dirname(os.path.abspath(args.file))
    os.makedirs(folder, exist_ok=True)
    base = os.path.join(folder, os.path.splitext(os.path.basename(args.file))[0])
    with h5py.File(args.file, "r") as f:
        status = text(f.attrs.get("status", "?"))
        if status != "completed":
            print(f"note: run status is {status!r}: plotting what the file holds", file=sys.stderr)
        two_d = int(np.asarray(f.attrs.get("dimension", 1)).ravel()[0]) == 2
        fields = (plot_maps(f, base, wanted), plot_front(f, base, wanted)) if two_d else (plot_profiles(f, base),)
        for out in fields + (plot_terminals(f, base), plot_pulses(f, base), plot_sweep(f, base)):
            if out:
                print(out)


if __name__ == "__main__":
    main()
