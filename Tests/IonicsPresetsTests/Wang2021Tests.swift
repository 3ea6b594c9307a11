import Foundation
import IonicsConfig
import IonicsPresets
import IonicsTestSupport
import IonicsUnits
import Testing

/// Wang 2021 (Na⁺ | monolayer MoS2 | Na-doped SiO2, ref. 100) on the monolayer material's
/// literature electron parameters with one `conductivity_scale` fitted to Gmin: the material
/// against its documented ranges, and the preset on it (Gmax predicted, −48 %; the Fig. 2
/// temperature behaviour is tested in PlasticityTests.wangTemperatures).
@Suite("Wang 2021 and the monolayer MoS2 material")
struct Wang2021Tests {
    static let layerThickness = 0.65e-9

    @Test("MoS2-monolayer's electrons: N_c from m* = 0.45–0.7 m0, N_d 1e11–1e13 cm⁻² over the layer, μ_n 1–80 cm²/V s on SiO2, ΔE_c the flat band at 25 °C")
    func material() throws {
        let m = try PresetCheck.material("MoS2-monolayer")
        let sc = try #require(m.semiconductor)
        // N_c,2D = 4·m*·k_BT/(2πħ²) at 298 K: 9.7e16 (0.45 m0) … 1.50e17 m⁻² (0.7 m0).
        let sheetNc = sc.effectiveDensity * Self.layerThickness
        #expect(sheetNc >= 9.5e16 && sheetNc <= 1.55e17, "N_c·t = \(sheetNc) m⁻²")
        let sheetNd = sc.doping * Self.layerThickness
        #expect(sheetNd >= 1e15 && sheetNd <= 1e17, "N_d·t = \(sheetNd) m⁻²")
        guard case .constant(let mu) = sc.mobility else {
            Issue.record("MoS2-monolayer's μ_n should be one literature value")
            return
        }
        #expect(mu >= 1e-4 && mu <= 8e-3, "μ_n \(mu) m²/(V s)")
        // Flat band at 25 °C, N_c·F_1/2(−ΔE_c/kT) = N_d: N_d/N_c ≈ 0.09 is mildly degenerate,
        // so the Boltzmann kT·ln(N_c/N_d) is an upper bound, within 3 mV.
        let vt = PhysicalConstants.boltzmann * 298.15 / PhysicalConstants.elementaryCharge
        let boltzmann = vt * log(sc.effectiveDensity / sc.doping)
        #expect(sc.bandOffset <= boltzmann && sc.bandOffset > boltzmann - 3e-3, "ΔE_c \(sc.bandOffset) V vs \(boltzmann) V")
    }

    @Test("the preset reads the material's literature electrons with one scale: no per-device N_c, N_d or μ_n, its band offset is the material's flat band at its 150 °C, and Gmax is predicted")
    func presetOnTheMaterial() throws {
        let config = try PresetTable.device(at: repositoryRoot() + "/configs/devices/na-mos2-sio2na-wang2021.json").config
        let sc = try PresetCheck.semiconductor("MoS2-monolayer")
        let layer = try #require(config.layers.first { $0.name == "channel" })
        for key in ["doping", "effective_density"] { #expect(layer.overrides[key] == nil, "per-device \(key)") }
        #expect(layer.mobility == nil)
        #expect(layer.conductivityScale != nil)
        // Flat band at the preset's temperature: N_c·F_1/2(−ΔE_c/kT) = N_d (N_c taken as the material's,
        // which the solver does not change with T).
        let offset = try #require(layer.overrides["band_offset"])
        let n = PresetCheck.flatBandDensity(sc, offset: offset, temperature: config.temperature)
        #expect(abs(n / sc.doping - 1) < 0.01, "n at flat band \(n) m⁻³ vs N_d \(sc.doping) m⁻³ at \(config.temperature) K")
        let reported = try #require(config.reported)
        #expect(reported.predicted.contains("gmax") && !reported.fitted.contains("gmax"))
    }
}
