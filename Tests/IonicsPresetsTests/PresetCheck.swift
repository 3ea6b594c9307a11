import Foundation
import IonicsConfig
import IonicsTestSupport
import IonicsUnits
import Testing

/// What the per-preset prediction tests share: one `ionics run --json` of a config, and a
/// material's σ(θ) nodes or semiconductor parameters from the library.
enum PresetCheck {
    /// The `metrics` of `ionics run <path> --json` (path relative to the repository root, as
    /// the tests run there), written to a temporary file that is removed afterwards.
    static func metrics(_ path: String) throws -> [String: Any] {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("preset-\(UUID().uuidString).h5").path
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: (out as NSString).deletingPathExtension + ".xmf")
        }
        let r = try runIonics(["run", path, "-o", out, "--json", "--force"])
        #expect(r.status == 0, "\(path): \(r.stderr.suffix(2000))")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return try #require(document["metrics"] as? [String: Any])
    }

    /// The config at `path` (relative to the repository root).
    static func config(_ path: String) throws -> DeviceConfig {
        let full = repositoryRoot() + "/" + path
        return try DeviceConfig.parse(try String(contentsOfFile: full, encoding: .utf8), source: full)
    }

    /// The layer named "channel" of `config` reads its material's law (σ(θ) or electron
    /// parameters) with one `conductivity_scale` and nothing else of its own; a scale 10× or
    /// more from 1 must be flagged as outside the literature. Returns the layer.
    @discardableResult
    static func channelOnOneScale(_ config: DeviceConfig) throws -> LayerConfig {
        let layer = try #require(config.layers.first { $0.name == "channel" })
        #expect(layer.conductivity == nil, "the channel must read the material's law")
        for key in ["doping", "band_offset", "effective_density"] {
            #expect(layer.overrides[key] == nil, "the channel must use the material's \(key)")
        }
        #expect(layer.mobility == nil && layer.holeMobility == nil, "the channel must use the material's mobilities")
        let scale = try #require(layer.conductivityScale)
        if scale >= 10 || scale <= 0.1 {
            let flags = try #require(config.provenance["flags"])
            #expect(flags.contains("conductivity_scale") && flags.contains("outside"))
        }
        return layer
    }

    /// Gmax/Gmin of a donor-doped semiconductor channel read laterally (G ∝ the electron
    /// sheet S, μ constant) when the writes add donors over a background at flat band:
    /// 1 + Q/S0, S0 = N_d·t, Q = N·q·η/(e·A) with q the run's mean gate charge per pulse
    /// and η the share entering the channel (its faradaic efficiency).
    static func donorSheetRatio(_ m: [String: Any], doping: Double, thickness: Double, pulses: Double, area: Double) throws -> Double {
        let added = try channelCharge(m, pulses: pulses) / (PhysicalConstants.elementaryCharge * area)
        #expect(added > 0)
        return 1 + added / (doping * thickness)
    }

    /// The charge (C) `pulses` writes of a run put into its channel: N·q·η, q the run's mean
    /// gate charge per pulse and η the share entering the channel (its faradaic efficiency).
    static func channelCharge(_ m: [String: Any], pulses: Double) throws -> Double {
        let q = try #require(m["charge_per_pulse"] as? Double)
        let eta = try #require(m["faradaic_efficiency"] as? Double)
        return pulses * q * eta
    }

    /// The mean filling change Δx̄ of a host with c_max (mol/m³) over `volume` (m³) that
    /// takes `charge` (C) of monovalent ions: Q/(F·c_max·V).
    static func fillingChange(charge: Double, maximumConcentration: Double, volume: Double) -> Double {
        charge / (PhysicalConstants.faraday * maximumConcentration * volume)
    }

    /// The run's Gmin and Gmax (S); Gmin is fitted (a preset's one scale is chosen for
    /// Table 1's), so it is held only to the regression bound of 20 %.
    static func gRange(_ m: [String: Any], gminReported: Double) throws -> (gmin: Double, gmax: Double) {
        let gmin = try #require(m["gmin"] as? Double), gmax = try #require(m["gmax"] as? Double)
        #expect(abs(gmin / gminReported - 1) < 0.2, "Gmin \(gmin) S vs the fitted \(gminReported) S")
        return (gmin, gmax)
    }

    /// The value of a constant property (nil for a table).
    static func constant(_ p: PropertyConfig) -> Double? {
        if case .constant(let v) = p { return v }
        return nil
    }

    /// Electron density N_c·F_1/2(−ΔE_c/k_BT) of a band offset ΔE_c (V) at `temperature` (K):
    /// N_d at flat band.
    static func flatBandDensity(_ sc: SemiconductorConfig, offset: Double, temperature: Double) -> Double {
        let kT = PhysicalConstants.boltzmann * temperature / PhysicalConstants.elementaryCharge
        return sc.effectiveDensity * fermiHalf(-offset / kT)
    }

    /// A material of `configs/materials`.
    static func material(_ name: String) throws -> MaterialConfig {
        try #require(MaterialLibrary(folders: [repositoryRoot() + "/configs/materials"])[name], "no material \(name)")
    }

    struct NoTable: Error, CustomStringConvertible {
        let material: String
        var description: String { "\(material) has no σ(θ) table" }
    }

    /// A material's σ(θ) law as tabulated: fillings and σ in S/m.
    static func conductivityLaw(_ name: String) throws -> TableConfig {
        guard case .table(let t)? = try material(name).conductivity else { throw NoTable(material: name) }
        return t
    }

    /// A material's σ(θ) law as nodes: fillings and σ in S/m.
    static func lawNodes(_ name: String) throws -> (x: [Double], sigma: [Double]) {
        let t = try conductivityLaw(name)
        return (t.filling, t.values)
    }

    /// A semiconductor material's electron parameters.
    static func semiconductor(_ name: String) throws -> SemiconductorConfig {
        try #require(try material(name).semiconductor, "\(name) must be a semiconductor host")
    }

    /// F_{1/2}(η) normalised so that F → e^η for η → −∞ (the solver's form):
    /// (2/√π)∫₀^∞ √x/(1 + e^(x−η)) dx, by the trapezoid rule on [0, 60 + max(η, 0)].
    static func fermiHalf(_ eta: Double) -> Double {
        let top = 60 + max(eta, 0), n = 60_000
        let h = top / Double(n)
        var sum = 0.0
        for i in 0...n {
            let x = Double(i) * h
            let f = x.squareRoot() / (1 + exp(min(x - eta, 700)))
            sum += (i == 0 || i == n) ? 0.5 * f : f
        }
        return 2 / Double.pi.squareRoot() * sum * h
    }
}
