/// Whether the electric potential is solved inside a layer.
public enum Electrostatics: Sendable, Equatable {
    /// Poisson's equation is solved: −∇·(ε0 εr ∇φ) = F Σ zᵢcᵢ + ρ_fix.
    case poisson
    /// No potential unknown: the species move by diffusion of their chemical
    /// potential only (a neutral solid where electrons compensate the ions locally,
    /// or an uncharged species).
    case none
}

/// One layer of an electrolyte stack: its geometry, dielectric and the species in it.
public struct LayerPhysics: Sendable {
    public var name: String
    /// Thickness, m.
    public var thickness: Double
    /// Relative permittivity εr.
    public var permittivity: Double
    public var electrostatics: Electrostatics
    public var species: [SpeciesInLayer]
    /// Fixed (immobile) charge as a signed concentration of elementary charges,
    /// mol/m³: ρ_fix = F·fixedCharge (e.g. −1200 for the bound SO₃⁻ of Nafion).
    public var fixedCharge: Double
    /// Ion size a, m, of the Bikerman lattice-gas (steric) correction with excess
    /// chemical potential μ_ex/RT = −ln(1 − a³N_A Σ_j c_j) (Kilic, Bazant & Ajdari,
    /// Phys. Rev. E 75, 021502 (2007)); nil for dilute solution theory.
    public var stericSize: Double?
    /// Set for an intercalation host: the layer's single species is the intercalant,
    /// which moves by the gradient of its chemical potential −zF·U(θ).
    public var host: HostProperties?
    /// Set for a semiconductor host (electrostatics must be `.poisson`): electrons in
    /// equilibrium with a terminal add −e·n to the charge density.
    public var semiconductor: SemiconductorProperties?
    /// For a host without electrostatics (a `neutral` metallic or degenerate host):
    /// the terminal whose potential the layer's electrons sit at.
    public var electronTerminal: Int?
    /// For a neutral host that is also an electronic conductor between two metals: its
    /// electrons' own potential and current (``ElectronTransport``); nil: the electrons
    /// sit at ``electronTerminal``.
    public var electronTransport: ElectronTransport? = nil

    public init(
        name: String, thickness: Double, permittivity: Double, electrostatics: Electrostatics = .poisson,
        species: [SpeciesInLayer], fixedCharge: Double = 0, stericSize: Double? = nil,
        host: HostProperties? = nil, semiconductor: SemiconductorProperties? = nil, electronTerminal: Int? = nil
    ) {
        self.name = name
        self.thickness = thickness
        self.permittivity = permittivity
        self.electrostatics = electrostatics
        self.species = species
        self.fixedCharge = fixedCharge
        self.stericSize = stericSize
        self.host = host
        self.semiconductor = semiconductor
        self.electronTerminal = electronTerminal
    }

    /// A host whose electrons compensate the ions locally (no Poisson inside).
    public var isNeutralHost: Bool { host != nil && electrostatics == .none }

    /// The slot of `species` in this layer, if present.
    public func slot(of species: Int) -> Int? { self.species.firstIndex { $0.species == species } }
}
