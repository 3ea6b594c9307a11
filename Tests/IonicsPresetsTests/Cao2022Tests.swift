import Foundation
import IonicsConfig
import IonicsTestSupport
import IonicsUnits
import Testing

/// Cao 2022 (K⁺ | InOx | AlOx:K, ref. 116) on the InOx material's semiconductor parameters
/// (N_c, background doping, flat-band offset, electron mobility) with one
/// `conductivity_scale` fitted to Gmin. Gmax counts as fitted too (the material's doping was
/// chosen knowing the former fit, and Gmax/Gmin goes as 1/N_d), so it is checked only for
/// consistency with the charge the writes move; the energy and the states are predictions.
/// The golden values are derived here from the material's values and the preset's inputs,
/// not taken from a run.
@Suite("Cao 2022 on the InOx material parameters")
struct Cao2022Tests {
    // The preset's inputs (configs/devices/k-inox-aloxk-cao2022.json).
    static let pulses = 50.0                                  // writes per branch
    static let channelWidth = 150e-6, channelLength = 10e-6, thickness = 10e-9
    static let gminReported = 40e-6, gmaxReported = 1100e-6
    static let temperature = 298.15

    static func semiconductor() throws -> SemiconductorConfig { try PresetCheck.semiconductor("InOx") }

    /// The documented literature ranges (configs/materials/InOx.json, provenance): N_c for
    /// m* 0.2–0.45 m0 is 2.2e24–7.6e24 m⁻³; the background electron density of undoped InOx
    /// spans 1e17–1e20 cm⁻³ with deposition, TFT-grade solution-processed films 1e17–1e19 cm⁻³;
    /// field-effect mobilities of solution-processed In2O3 TFTs ≈ 10–45 cm²/(V s).
    @Test("InOx material: N_c, background doping and mobility within their documented literature ranges; the band offset is the flat-band value of that doping")
    func materialValues() throws {
        let sc = try Self.semiconductor()
        #expect(sc.effectiveDensity >= 2.2e24 && sc.effectiveDensity <= 7.6e24, "N_c \(sc.effectiveDensity) m⁻³")
        #expect(sc.doping >= 1e23 && sc.doping <= 1e25, "N_d \(sc.doping) m⁻³")
        let mu = try #require(PresetCheck.constant(sc.mobility))
        #expect(mu >= 10e-4 && mu <= 45e-4, "μ_n \(mu) m²/(V s)")
        #expect(sc.holes == nil, "InOx is n-type only")
        // Flat band with the source: N_c·F_{1/2}(−ΔE_c/k_BT) = N_d (1 %: ΔE_c is given to 3
        // digits). Here η ≈ −1.3, where Fermi–Dirac and Boltzmann differ by several per cent.
        let n = PresetCheck.flatBandDensity(sc, offset: sc.bandOffset, temperature: Self.temperature)
        #expect(abs(n / sc.doping - 1) < 0.01, "n at flat band \(n) m⁻³ vs N_d \(sc.doping) m⁻³")
    }

    @Test("predictions: the channel reads the material's values times one scale; Gmax/Gmin is of the order of the K the writes add over the background sheet N_d·t")
    func predictions() throws {
        let config = try PresetCheck.config("configs/devices/k-inox-aloxk-cao2022.json")
        try PresetCheck.channelOnOneScale(config)
        let reported = try #require(config.reported)
        #expect(reported.fitted.contains("gmax") && !reported.predicted.contains("gmax"))

        let m = try PresetCheck.metrics("configs/devices/k-inox-aloxk-cao2022.json")

        let (gmin, gmax) = try PresetCheck.gRange(m, gminReported: Self.gminReported)

        // With μ constant (no holes in InOx), a lateral G = (W/L)·e·μ·scale·S is
        // proportional to the electron sheet S, degenerate or not, so Gmax/Gmin = S_max/S_min.
        // The channel starts at flat band, S0 = N_d·t (1e16 m⁻² for the material's 1e18 cm⁻³
        // over 10 nm). The writes add K donors, a sheet Q = N·q·η/(e·W·L) (q the gate charge per
        // pulse, η the share that enters the InOx, both means over the two branches), so
        // Gmax/Gmin ≈ 1 + Q/S0. Two-sided within a decade: at rest part of the donors is
        // screened by the AlOx:K double layer rather than by electrons (share 0.1–1), and a
        // depression branch could leave the sheet below S0 (a factor ≤ 10 the other way).
        // The estimate depends on the material's N_d as 1/N_d: across the TFT-grade range
        // 1e17–1e19 cm⁻³ it spans two decades, so agreement with Table 1 is only as good as
        // that choice (and 1e18 cm⁻³ was chosen knowing the former fit's 1.04e18, see the preset).
        let expected = try PresetCheck.donorSheetRatio(m, doping: try Self.semiconductor().doping, thickness: Self.thickness,
                                                       pulses: Self.pulses, area: Self.channelWidth * Self.channelLength)
        let lower = 0.1 * expected, upper = 10 * expected
        let ratio = gmax / gmin
        // A consistency check of the donor picture, not a test of a prediction.
        #expect(ratio > lower && ratio < upper, "Gmax/Gmin = \(ratio), charge over background says \(expected) (×0.1–10)")
        // Gmax is fitted (through the choice of N_d): a regression bound only.
        #expect(abs(gmax / Self.gmaxReported - 1) < 0.2, "Gmax \(gmax) S")

        // States: at most one distinguishable level per write (51 with the start), at least two.
        let states = try #require(m["states"] as? Int)
        #expect(states >= 2 && states <= 51)
    }
}
