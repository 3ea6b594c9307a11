public import IonicsPhysics
import IonicsUnits

/// Scales of the internal nondimensionalisation: potentials in thermal voltages V_T,
/// concentrations in c0, lengths in L0, time in t0 = L0²/D0.
///
/// In these units Poisson's equation reads −∇̂·(εr ∇̂φ̂) = κ (Σ z ĉ + ĉ_fix) with the
/// coupling κ = L0² F c0 / (ε0 V_T) = (L0/λ0)², λ0 = √(ε0 V_T / (F c0)) (the Debye
/// length of c0 at εr = 1 without the factor 2 of a binary salt), and the
/// Nernst–Planck equation ∂ĉ/∂t̂ = ∇̂·[D̂ (∇̂ĉ + z ĉ ∇̂φ̂)].
public struct Scales: Sendable, Equatable {
    /// V_T = RT/F, V.
    public let thermalVoltage: Double
    /// c0, mol/m³.
    public let concentration: Double
    /// L0, m.
    public let length: Double
    /// D0, m²/s.
    public let diffusivity: Double

    public init(thermalVoltage: Double, concentration: Double, length: Double, diffusivity: Double) {
        self.thermalVoltage = thermalVoltage
        self.concentration = concentration
        self.length = length
        self.diffusivity = diffusivity
    }

    /// Default scales of a problem: c0 the largest initial concentration, L0 the
    /// stack thickness, D0 the largest diffusivity.
    public init(problem: PNPProblem) {
        let cs = problem.layers.flatMap { $0.species.map(\.initialConcentration) } + problem.layers.map { abs($0.fixedCharge) }
        let ds = problem.layers.flatMap { $0.species.map(\.diffusivity) }
        self.init(
            thermalVoltage: problem.thermalVoltage, concentration: max(cs.max() ?? 1, 1e-30),
            length: problem.thickness, diffusivity: ds.max() ?? 1e-9)
    }

    /// t0 = L0²/D0, s.
    public var time: Double { length * length / diffusivity }
    /// κ = L0² F c0 / (ε0 V_T).
    public var poissonCoupling: Double {
        length * length * PhysicalConstants.faraday * concentration / (PhysicalConstants.vacuumPermittivity * thermalVoltage)
    }
    /// Unit of a nondimensional species flux: c0 D0 / L0, mol/(m²·s).
    public var flux: Double { concentration * diffusivity / length }
    /// Unit of the nondimensional displacement ε0 εr ∂φ̂/∂ŷ: ε0 V_T / L0, C/m².
    public var displacement: Double { PhysicalConstants.vacuumPermittivity * thermalVoltage / length }
}

