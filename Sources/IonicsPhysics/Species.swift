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
    /// In-plane over out-of-plane diffusivity, D_x/D_y (dimensionless, > 0; 1 for an
    /// isotropic medium). Layered hosts (WO₃, MoS₂) conduct ions along their planes,
    /// which lie along x (the channel), faster than across them, along y (the stack).
    /// The diffusivity through a face whose unit normal has |n_x| > 0.5 (an x-normal
    /// face of a 2D mesh) is D_x = factor·D, through every other face D_y = D; for a
    /// host the factor multiplies its filling-dependent D(θ) alike. A 1D stack has
    /// only y-normal faces, so the factor never acts there.
    public var lateralDiffusivityFactor: Double

    public init(
        species: Int, diffusivity: Double, initialConcentration: Double, standardChemicalPotential: Double = 0,
        lateralDiffusivityFactor: Double = 1
    ) {
        self.species = species
        self.diffusivity = diffusivity
        self.initialConcentration = initialConcentration
        self.standardChemicalPotential = standardChemicalPotential
        self.lateralDiffusivityFactor = lateralDiffusivityFactor
    }

    /// The factor on D through a face of unit normal `normal`:
    /// ``lateralDiffusivityFactor`` when the face is x-normal (|n_x| > 0.5), else 1.
    public func diffusivityFactor(normal: SIMD2<Double>) -> Double {
        abs(normal.x) > 0.5 ? lateralDiffusivityFactor : 1
    }
}
