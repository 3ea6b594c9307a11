/// A mobile ionic species, e.g. H⁺ (charge +1) or ClO₄⁻ (charge −1).
public struct Species: Sendable, Hashable {
    public var name: String
    /// Charge number z.
    public var charge: Int

    public init(name: String, charge: Int) {
        self.name = name
        self.charge = charge
    }
}

/// How one species moves in one layer.
public struct SpeciesInLayer: Sendable {
    /// Index into ``PNPProblem/species``.
    public var species: Int
    /// Diffusivity D, m²/s.
    public var diffusivity: Double
    /// Initial concentration, mol/m³ (uniform in the layer).
    public var initialConcentration: Double
    /// Standard chemical potential μ° of the species in this layer, J/mol. Only
    /// differences between layers matter: at an electrolyte | electrolyte interface
    /// the equilibrium concentration ratio (partition coefficient) is
    /// c_b/c_a = exp(−(μ°_b − μ°_a)/RT) at equal electric potential.
    public var standardChemicalPotential: Double

    public init(species: Int, diffusivity: Double, initialConcentration: Double, standardChemicalPotential: Double = 0) {
        self.species = species
        self.diffusivity = diffusivity
        self.initialConcentration = initialConcentration
        self.standardChemicalPotential = standardChemicalPotential
    }
}
