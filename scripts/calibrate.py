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

(or A / Σ_i Δy_i/σ(θ_i) with σ = σ0·exp(k(θ − θ0)) for a vertical readout)

exactly (k by bisection on the ratio, then σ0), continued to θ = 0 and 1 with the same
slope but never more than a factor of 100 beyond the calibrated range. It writes the
table into the preset's channel layer, reruns, and prints the simulated range.

For a semiconductor channel (σ = e μ_n n) the script calibrates instead the donor
background N_d and the mobility μ_n: the intercalated Li (or the gated charge) adds a
sheet density ΔS to the background sheet N_d·t, so N_d is iterated until
S_max/S_min over the reads = Gmax/Gmin (secant in log N_d), with the band offset kept at the flat-band value
ΔE_c = −k_B T F⁻¹(N_d/N_c); then μ_n = Gmin / ((W/L) e S_min). Layer overrides
`doping`, `band_offset` and `mobility` are written.

With --scale the material's own σ(θ) (or μ_n) law is kept and only the layer's
`conductivity_scale` is fitted, to Gmin: the rest of the G range is then a prediction.
Tables and mobilities are written at the material's reference temperature (divided by
its `temperature_dependence` factor at the preset's temperature).

A development tool (needs h5py, numpy and a built `ionics`); presets state in their
provenance that their table is calibrated.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

try:
    import h5py  # the table fits read the run file; --scale needs only the CLI's JSON
except ImportError:
    h5py = None

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


KB_T_OVER_Q = 8.617333262e-5  # eV/K


def fermi_half(eta):
    """F_{1/2}(η) normalised so that F → e^η for η → −∞ (the form the solver uses)."""
    x = np.linspace(0, max(60.0, eta + 60.0), 200001)
    f = np.sqrt(x) / (1 + np.exp(np.clip(x - eta, -700, 700)))
    integrate = getattr(np, "trapezoid", None) or np.trapz  # numpy < 2 has only trapz
    return 2 / np.sqrt(np.pi) * integrate(f, x)


def flat_band_offset(nd, nc, temperature, statistics):
    """ΔE_c (eV) with N_c F(−ΔE_c/kT) = N_d."""
    kt = KB_T_OVER_Q * temperature
    if statistics == "boltzmann":
        return kt * np.log(nc / nd)
    lo, hi = -60.0, 60.0
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if fermi_half(mid) < nd / nc else (lo, mid)
    return -kt * 0.5 * (lo + hi)


def temperature_of(config):
    t = config.get("temperature", "298.15 K")
    if isinstance(t, (int, float)):
        return float(t)
    v, u = t.split()
    return float(v) + (273.15 if u == "degC" else 0.0)


def temperature_factor(material, parameter, temperature):
    """p(T)/p(T_ref) of a material's `temperature_dependence` law (1 without one): the
    tables and mobilities a preset states are at the material's reference temperature."""
    law = material.get("temperature_dependence", {}).get(parameter)
    if not law:
        return 1.0
    value, unit = law["activation_energy"].split()
    ea = float(value) * {"eV": 96485.33212, "kJ/mol": 1e3, "J/mol": 1.0}[unit]
    tref = temperature_of({"temperature": law.get("reference_temperature", "298.15 K")})
    m = float(law.get("exponent", 0))
    return (temperature / tref) ** m * np.exp(-ea / 8.314462618 * (1 / temperature - 1 / tref))


def load_material(name):
    with open(os.path.join("configs/materials", name + ".json")) as f:
        return json.load(f)


def calibrate_scale(args, config, idx, gmin, out):
    """Fits the one stated factor `conductivity_scale` on the material's law so that the
    smallest read equals the reported Gmin; every other G is then a prediction."""
    layer = config["layers"][idx]
    for key in ("conductivity", "mobility"):
        layer.pop(key, None)
    scale = float(layer.get("conductivity_scale", 1.0))
    layer["conductivity_scale"] = scale
    with open(args.preset, "w") as f:
        json.dump(config, f, indent=2, ensure_ascii=False)
        f.write("\n")
    p = subprocess.run([".build/release/ionics", "run", args.preset, "-o", out, "--force", "--json"], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("run failed:\n" + p.stderr[-3000:])
    scale *= gmin / float(json.loads(p.stdout)["metrics"]["gmin"])  # G is proportional to the scale in every readout
    layer["conductivity_scale"] = float(f"{scale:.6g}")
    with open(args.preset, "w") as f:
        json.dump(config, f, indent=2, ensure_ascii=False)
        f.write("\n")
    summary = run(args.preset, out)
    print(f"conductivity_scale {scale:.6g}")
    print("\n".join(l for l in summary.splitlines() if l.startswith(("conductance", "energy", "warning"))))


def sheets(out, channel):
    """Smallest and largest electron sheet density (m⁻²) over the reads of a run."""
    with h5py.File(out, "r") as h5:
        names = [n.decode() if isinstance(n, bytes) else n for n in h5["mesh"].attrs["layer_names"]]
        sel = h5["mesh/layer"][:] == names.index(channel)
        width = h5["mesh/width"][:][sel]
        n = h5["fields/electron_density"][:, :][:, sel]
    s = (n * width).sum(axis=1)
    return float(s.min()), float(s.max())


def calibrate_semiconductor(args, config, idx, channel, wl, gmin, gmax, out):
    layer = config["layers"][idx]
    with open(os.path.join("configs/materials", layer["material"] + ".json")) as f:
        electrons = json.load(f)["electrons"]
    overrides = layer.setdefault("overrides", {})
    nd = float(overrides.get("doping", electrons["doping"]).split()[0])
    nc = float(overrides.get("effective_density", electrons["effective_density"]).split()[0])
    temperature = temperature_of(config)
    stats = electrons.get("statistics", "fermi-dirac")
    target = gmax / gmin

    def save():
        with open(args.preset, "w") as f:
            json.dump(config, f, indent=2, ensure_ascii=False)
            f.write("\n")

    # Secant on log(ratio − 1) against log N_d; the first step assumes the written
    # sheet density does not depend on N_d.
    history = []
    for it in range(args.iterations):
        overrides["doping"] = f"{nd:.6g} m^-3"
        overrides["band_offset"] = f"{flat_band_offset(nd, nc, temperature, stats):.6g} V"
        save()
        run(args.preset, out)
        s0, s1 = sheets(out, channel)
        ratio = s1 / s0
        print(f"iteration {it}: N_d {nd:.4g} m^-3, sheet {s0:.4g} – {s1:.4g} m^-2, ratio {ratio:.4g} (target {target:.4g})", flush=True)
        if abs(ratio / target - 1) < args.tolerance:
            break
        if ratio <= 1:
            sys.exit("the protocol does not change the electron sheet density; cannot calibrate")
        history.append((np.log(nd), np.log(ratio - 1)))
        if len(history) >= 2 and abs(history[-1][1] - history[-2][1]) > 1e-6:
            (x0, y0), (x1, y1) = history[-2], history[-1]
            x = x1 + (np.log(target - 1) - y1) * (x1 - x0) / (y1 - y0)
            nd = float(np.exp(np.clip(x, x1 - 5, x1 + 5)))
        else:
            nd *= (s1 - s0) / ((target - 1) * s0)
    mu = gmin / (wl * 1.602176634e-19 * s0) / temperature_factor(load_material(layer["material"]), "mobility", temperature)
    layer["mobility"] = f"{mu:.6g} m^2/(V s)"
    save()
    summary = run(args.preset, out)
    print(f"N_d {nd:.6g} m^-3, μ_n {mu:.6g} m^2/(V s)")
    print("\n".join(l for l in summary.splitlines() if l.startswith(("conductance", "energy", "warning"))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("preset")
    ap.add_argument("--iterations", type=int, default=8, help="semiconductor channels: at most this many runs")
    ap.add_argument("--tolerance", type=float, default=0.02, help="semiconductor channels: relative tolerance on Gmax/Gmin")
    ap.add_argument("--scale", action="store_true",
                    help="keep the material's σ(θ) (or μ_n) law and fit only the layer's conductivity_scale to Gmin (Gmax is then predicted)")
    args = ap.parse_args()
    with open(args.preset) as f:
        config = json.load(f)
    rep = config["reported"]
    gmin, gmax = quantity(rep["gmin"], UNITS), quantity(rep["gmax"], UNITS)
    channel = config["readout"]["layer"]
    idx = [l["name"] for l in config["layers"]].index(channel)
    geo = config["geometry"]
    wl = quantity(geo["width"], LENGTHS) / quantity(geo["length"], LENGTHS)
    out = os.path.join(tempfile.gettempdir(), "calibrate-" + os.path.basename(args.preset).replace(".json", ".h5"))
    material = config["layers"][idx].get("material", "")
    path = os.path.join("configs/materials", material + ".json")
    if args.scale:
        return calibrate_scale(args, config, idx, gmin, out)
    sigma_factor = temperature_factor(load_material(material), "conductivity", temperature_of(config)) if os.path.exists(path) else 1.0
    if os.path.exists(path):
        with open(path) as f:
            if json.load(f).get("electrons", {}).get("model") == "semiconductor":
                return calibrate_semiconductor(args, config, idx, channel, wl, gmin, gmax, out)
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
    vertical = config["readout"].get("mode", "lateral") == "vertical"
    area = quantity(geo["width"], LENGTHS) * quantity(geo["length"], LENGTHS)
    # A uniform start: G = (W/L)·σ·t laterally, A·σ/t vertically.
    s_min = gmin * thickness / area if vertical else gmin / (wl * thickness)
    floor = s_min / 1000

    # Laterally σ is linear in θ (clamped at the onset of conduction); vertically the
    # slices add as resistors in series, so a linear σ would let one slice past the
    # onset dominate: there σ = σ_min·exp(k(θ − θ0)), the insulator–metal form.
    def local(profile, k):
        if vertical:
            return s_min * np.exp(np.clip(k * (profile - t0), -50, 50))
        return np.maximum(s_min + k * (profile - t0), floor)

    def conductance(profile, k):
        s = local(profile, k)
        return area / (width / s).sum() if vertical else wl * (s * width).sum()

    if vertical:
        # Fit the range over all reads: the ratio max G / min G depends on k alone
        # (σ0 scales every G alike), then σ0 sets Gmin.
        def ratio(k):
            g = np.array([conductance(p, k) for p in theta])
            return g.max() / g.min()
        target = gmax / gmin
        hi_k = np.log(target) / (t1 - t0)
        while ratio(hi_k) < target:
            hi_k *= 2
            if abs(hi_k) > 1e6:
                sys.exit("cannot reach Gmax/Gmin with σ = σ0·exp(k(θ − θ0))")
        lo_k = 0.0
        for _ in range(100):
            mid = 0.5 * (lo_k + hi_k)
            lo_k, hi_k = (mid, hi_k) if ratio(mid) < target else (lo_k, mid)
        slope = 0.5 * (lo_k + hi_k)
        s_min *= gmin / min(conductance(p, slope) for p in theta)
    # The parameter that gives Gmax at the end read (bisection).
    guess = np.log(gmax / gmin) / (t1 - t0) if vertical else (gmax / gmin - 1) * s_min / (t1 - t0)
    lo_k, hi_k = 0.0, guess
    while not vertical and (conductance(te, hi_k) - gmax) * (conductance(te, lo_k) - gmax) > 0:
        hi_k *= 2
        if abs(hi_k) > 1e15:
            sys.exit("cannot reach Gmax with this form of σ(θ)")
    for _ in range(0 if vertical else 200):
        mid = 0.5 * (lo_k + hi_k)
        if (conductance(te, mid) - gmax) * (conductance(te, lo_k) - gmax) > 0:
            lo_k = mid
        else:
            hi_k = mid
    if not vertical:
        slope = 0.5 * (lo_k + hi_k)
    s_max = float(local(np.array([t1]), slope)[0])

    # Beyond the fillings the reads visited, hold σ within a factor of 10 of what they saw.
    seen = np.concatenate([local(p, slope) for p in theta]) if vertical else local(np.array([t0, t1]), slope)
    s_lo, s_hi = float(seen.min()) / 10, float(seen.max()) * 10

    def sigma(x):
        return min(max(float(local(np.array([x]), slope)[0]), s_lo), s_hi)

    lo = max(0.0, min(float(ts.min()), float(te.min()), t0, t1) - abs(t1 - t0))
    hi = min(1.0, max(float(ts.max()), float(te.max()), t0, t1) + abs(t1 - t0))
    pts = sorted({0.0, 1.0, *np.linspace(lo, hi, 41).tolist()})
    config["layers"][idx]["conductivity"] = {"filling": [float(f"{x:.9g}") for x in pts],
                                             "value": [f"{sigma(x) / sigma_factor:.6g} S/m" for x in pts]}
    with open(args.preset, "w") as f:
        json.dump(config, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"θ start {t0:.6g} (spread {np.ptp(ts):.2g}), end {t1:.6g} (spread {np.ptp(te):.2g}); σ {s_min:.6g} → {s_max:.6g} S/m")
    summary = run(args.preset, out)
    print("\n".join(l for l in summary.splitlines() if l.startswith(("conductance", "energy", "warning"))))


if __name__ == "__main__":
    main()
