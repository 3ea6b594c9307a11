/// Condition on the electric potential at an outer boundary of the stack.
public enum PotentialBoundary: Sendable {
    /// φ = V(t) on the boundary face (an ideal metal contact), V in volts.
    case potential(TimeFunction)
    /// A compact (Stern) layer of capacitance C_S (F/m²) between a metal at V(t) and
    /// the electrolyte: C_S (V − φ_s) = −ε ∂φ/∂n at the surface (Robin condition).
    case stern(capacitance: Double, potential: TimeFunction)
    /// No field across the boundary: ∂φ/∂n = 0.
    case zeroField

    /// The metal potential, if this condition has one.
    public var metalPotential: TimeFunction? {
        switch self {
        case .potential(let v), .stern(_, let v): return v
        case .zeroField: return nil
        }
    }
}

/// Condition on one species at an outer boundary.
public enum SpeciesBoundary: Sendable {
    /// No flux.
    case blocking
    /// Fixed concentration c(t), mol/m³, on the boundary face (a reservoir).
    case concentration(TimeFunction)
    /// Prescribed flux into the domain, mol/(m²·s).
    case influx(TimeFunction)
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
