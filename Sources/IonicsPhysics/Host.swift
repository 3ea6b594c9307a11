public import Foundation
import IonicsUnits

/// Open-circuit potential of an intercalation host against the filling θ = c/c_max,
/// either the lattice-gas form
///
///     U(θ) = U0 − (V_T/z)·ln(θ/(1 − θ)) − g·θ + U_ex(θ)
///
/// (ideal configurational entropy, a Frumkin interaction g in V, g > 0 repulsive, and an
/// optional tabulated excess U_ex(θ)), or a measured table U(θ) (`table`, e.g. the
/// LiCoO2 and graphite curves of Doyle/Dualfoil), continued beyond its ends by the
/// ideal term so that θ stays inside (0, 1):
/// U(θ) = U(θ_end) − (V_T/z)[ln(θ/(1−θ)) − ln(θ_end/(1−θ_end))].
/// Intercalation lowers U, so U must decrease strictly with θ; a non-monotone U (phase
/// separation) would need a gradient-energy (Cahn–Hilliard) model and is refused by
/// ``validate(temperature:charge:)``.
public struct OpenCircuitPotential: Sendable, Equatable {
    /// U0, V (the potential at θ = 1/2 without interaction or excess).
    public var standard: Double
    /// Frumkin interaction g, V.
    public var interaction: Double
    public var excess: MonotoneTable?
    /// A full U(θ) table (V); when set, `standard`, `interaction` and `excess` are unused.
    public var table: MonotoneTable?

    public init(standard: Double, interaction: Double = 0, excess: MonotoneTable? = nil) {
        self.standard = standard
        self.interaction = interaction
        self.excess = excess
    }

    /// A measured U(θ) table.
    public init(table: MonotoneTable) {
        standard = 0
        interaction = 0
        self.table = table
    }

    /// U(θ) and dU/dθ in V.
    @inlinable
    public func evaluate(_ theta: Double, thermalVoltage vt: Double, charge z: Double) -> (value: Double, derivative: Double) {
        let t = min(max(theta, 1e-300), 1 - 1e-16)
        if let table {
            func ideal(_ x: Double) -> Double { log(x / (1 - x)) }
            let lo = table.x[0], hi = table.x[table.x.count - 1]
            if t < lo || t > hi {
                let end = t < lo ? lo : hi
                let u = table.value(end) - vt / z * (ideal(t) - ideal(end))
                return (u, -vt / z * (1 / t + 1 / (1 - t)))
            }
            return table.evaluate(t)
        }
        var u = standard - vt / z * log(t / (1 - t)) - interaction * t
        var du = -vt / z * (1 / t + 1 / (1 - t)) - interaction
        if let excess {
            let e = excess.evaluate(t)
            u += e.value
            du += e.derivative
        }
        return (u, du)
    }

    /// Problems with the curve: where it stops decreasing, on a fine grid of θ.
    public func validate(temperature: Double, charge z: Double) -> [String] {
        let vt = PhysicalConstants.thermalVoltage(kelvin: temperature)
        var problems: [String] = []
        if let table {
            // Monotone cubic interpolation of strictly decreasing data never rises.
            return table.isStrictlyDecreasing ? [] : [
                "the U(θ) table is not strictly decreasing: a phase-separating host needs a gradient-energy (Cahn–Hilliard) model, which Ionics does not have yet"
            ]
        }
        for k in 1..<2000 {
            let t = Double(k) / 2000
            let du = evaluate(t, thermalVoltage: vt, charge: z).derivative
            if !(du < 0) {
                problems.append(String(format: "U(θ) is not monotone (dU/dθ = %.3g V ≥ 0 at θ = %.4f): a phase-separating host needs a gradient-energy (Cahn–Hilliard) model, which Ionics does not have yet", du, t))
                break
            }
        }
        return problems
    }
}

/// Intercalation host properties: what a channel or a gate reservoir stores and how
/// the ion moves in it.
public struct HostProperties: Sendable {
    /// c_max, mol/m³.
    public var maximumConcentration: Double
    public var openCircuit: OpenCircuitPotential
    /// Chemical diffusivity D_s(θ), m²/s, of the intercalant in J = −D_s c ∇(μ/RT).
    public var diffusivity: MonotoneTable

    public init(maximumConcentration: Double, openCircuit: OpenCircuitPotential, diffusivity: MonotoneTable) {
        self.maximumConcentration = maximumConcentration
        self.openCircuit = openCircuit
        self.diffusivity = diffusivity
    }
}

/// Electrons (and, for an ambipolar channel, holes) of a semiconductor host, in
/// equilibrium with the host's terminal: n = N_c F(η), η = (φ − φ_T)/V_T − ΔE_c/(k_B T),
/// with F the Boltzmann exponential or the Fermi–Dirac integral F_{1/2} (normalised so
/// F_{1/2}(η) → e^η for η → −∞); holes p = N_v F(−η − E_g/(k_B T)) (``ValenceBand``).
public struct SemiconductorProperties: Sendable {
    public enum Statistics: String, Sendable { case boltzmann, fermiDirac = "fermi-dirac" }
    /// N_c, m⁻³.
    public var effectiveDensity: Double
    /// ΔE_c = E_c − E_F at φ = φ_T, in eV (the band offset; negative when degenerate).
    public var bandOffset: Double
    /// Ionised donor density N_d, m⁻³.
    public var doping: Double
    public var statistics: Statistics
    /// Terminal whose potential sets the Fermi level.
    public var terminal: Int
    /// The valence band of an ambipolar channel (holes), or nil for electrons only.
    public var holes: ValenceBand?

    /// Holes in the valence band, in equilibrium with the same Fermi level as the
    /// electrons: p = N_v F(η_p), η_p = (E_v − E_F)/(k_B T) = −η − E_g/(k_B T), with η the
    /// electrons' reduced Fermi level above and F the same statistics (Sze & Ng, Physics of
    /// Semiconductor Devices, 3rd ed., §1.5). Ionised acceptors are not modelled: N_d is the
    /// net donor density.
    public struct ValenceBand: Sendable, Equatable {
        /// N_v, m⁻³.
        public var effectiveDensity: Double
        /// E_g = E_c − E_v, eV.
        public var bandGap: Double

        public init(effectiveDensity: Double, bandGap: Double) {
            self.effectiveDensity = effectiveDensity
            self.bandGap = bandGap
        }
    }

    public init(effectiveDensity: Double, bandOffset: Double, doping: Double, statistics: Statistics, terminal: Int,
                holes: ValenceBand? = nil) {
        self.effectiveDensity = effectiveDensity
        self.bandOffset = bandOffset
        self.doping = doping
        self.statistics = statistics
        self.terminal = terminal
        self.holes = holes
    }

    /// F(η) and F'(η).
    @inlinable
    public func occupancy(_ eta: Double) -> (value: Double, derivative: Double) {
        switch statistics {
        case .boltzmann:
            let e = exp(eta)
            return (e, e)
        case .fermiDirac:
            return FermiDirac.half(eta)
        }
    }
}

/// The Fermi–Dirac integral of order 1/2.
public enum FermiDirac {
    /// F_{1/2}(η) = (2/√π)∫₀^∞ √ε/(1 + e^(ε−η)) dε and its derivative, by the
    /// approximation of Bednarczyk & Bednarczyk, Phys. Lett. A 64, 409 (1978):
    /// F ≈ 1/(e^(−η) + (3√π/4)·v^(−3/8)), v = η⁴ + 50 + 33.6η(1 − 0.68e^(−0.17(η+1)²)),
    /// relative error below 0.4 % for all η, exact in both limits.
    @inlinable
    public static func half(_ eta: Double) -> (value: Double, derivative: Double) {
        // Deep in the gap the form is e^η to round-off (w·e^η < 1e-16), and e^(−η) would
        // overflow below η ≈ −709 (a fully depleted layer).
        if eta < -40 {
            let e = exp(eta)
            return (e, e)
        }
        let a = 0.68 * exp(-0.17 * (eta + 1) * (eta + 1))
        let v = eta * eta * eta * eta + 50 + 33.6 * eta * (1 - a)
        let dv = 4 * eta * eta * eta + 33.6 * (1 - a) + 33.6 * eta * a * 0.34 * (eta + 1)
        let c = 3 * Double.pi.squareRoot() / 4
        // v^(−3/8) = 1/r³ with r = v^(1/8) = √√√v: three square roots and a division
        // instead of pow (a third of a semiconductor cell's assembly), to a few ulps.
        let r = v.squareRoot().squareRoot().squareRoot()
        let w = c / (r * r * r)
        let dw = -0.375 * w / v * dv
        let e = exp(-eta)
        let den = e + w
        return (1 / den, (e - dw) / (den * den))
    }
}

/// Butler–Volmer kinetics of an ion-transfer reaction
/// M^{z+}(electrolyte) + z e⁻ ⇌ M(host or metal), with the insertion rate (mol/(m²·s))
///
///     R = i0/(zF) · [exp(−α_c z η/V_T) − exp(α_a z η/V_T)],
///     η = (φ_e⁻ − φ_s) − U(θ) − (V_T/z)·ln(c_e/c_ref),
///     i0 = i0_ref · (c_e/c_ref)^α_a · θ^α_c (1 − θ)^α_a / (θ_ref^α_c (1 − θ_ref)^α_a),
///
/// φ_e⁻ the electron (terminal) potential, φ_s the electrolyte potential at the
/// reaction plane (outside the Stern layer). With α_a + α_c = 1 the forward rate is
/// ∝ c_e (1 − θ) and the backward rate ∝ θ for an ideal host, and R = 0 exactly at
/// equilibrium, so the reaction can never undo a discrete steady state (the
/// Frumkin–Butler–Volmer form of Bazant, Acc. Chem. Res. 46, 1144 (2013)).
public struct ButlerVolmer: Sendable, Equatable {
    /// i0_ref, A/m², at c_e = c_ref and θ = θ_ref.
    public var exchangeCurrent: Double
    public var alphaAnodic: Double
    public var alphaCathodic: Double
    /// c_ref, mol/m³.
    public var referenceConcentration: Double
    public var referenceFilling: Double
    /// The overpotential dependence (Butler–Volmer, or Marcus–Hush–Chidsey with the
    /// same exchange current and the same concentration factors).
    public var law: RateLaw

    public init(exchangeCurrent: Double, alphaAnodic: Double = 0.5, alphaCathodic: Double = 0.5,
                referenceConcentration: Double, referenceFilling: Double = 0.5, law: RateLaw = .butlerVolmer) {
        self.law = law
        self.exchangeCurrent = exchangeCurrent
        self.alphaAnodic = alphaAnodic
        self.alphaCathodic = alphaCathodic
        self.referenceConcentration = referenceConcentration
        self.referenceFilling = referenceFilling
    }
}
