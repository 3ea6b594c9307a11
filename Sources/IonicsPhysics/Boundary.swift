/// Condition on the electric potential at an outer boundary of the stack.
public enum PotentialBoundary: Sendable {
    /// φ = V(t) on the boundary face (an ideal metal contact), V in volts.
    case potential(TimeFunction)
    /// A compact (Stern) layer of capacitance C_S (F/m²) between a metal at V(t) and
    /// the electrolyte: C_S (V − φ_s) = −ε ∂φ/∂n at the surface (Robin condition).
    case stern(capacitance: Double, potential: TimeFunction)
    /// A metal driven by terminal `index` (its potential is the terminal's, fixed or
    /// solved for), with an optional Stern layer (F/m²) and a potential of zero charge
    /// `pzc` (V): the electrode charge is C_S (V − pzc − φ_s).
    case terminal(Int, stern: Double?, pzc: Double = 0)
    /// No field across the boundary: ∂φ/∂n = 0.
    case zeroField
}

/// Condition on one species at an outer boundary.
public enum SpeciesBoundary: Sendable {
    /// No flux.
    case blocking
    /// Fixed concentration c(t), mol/m³, on the boundary face (a reservoir).
    case concentration(TimeFunction)
    /// Prescribed flux into the domain, mol/(m²·s).
    case influx(TimeFunction)
    /// A metal that sources or sinks the ion by M(metal) ⇌ M^{z+} + z e⁻ at the fixed
    /// equilibrium potential `equilibriumPotential` (V, metal minus electrolyte), e.g.
    /// the two-phase plateau of PdHx.
    case reaction(ButlerVolmer, equilibriumPotential: Double)
}

/// Everything that holds at one outer boundary of the stack.
public struct Boundary: Sendable {
    public var potential: PotentialBoundary
    /// Per species index; species not listed are blocked.
    public var species: [Int: SpeciesBoundary]

    public init(potential: PotentialBoundary, species: [Int: SpeciesBoundary] = [:]) {
        self.potential = potential
        self.species = species
    }

    public func condition(for species: Int) -> SpeciesBoundary { self.species[species] ?? .blocking }
}
