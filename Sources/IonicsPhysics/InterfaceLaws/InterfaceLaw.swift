/// How two neighbouring layers meet: the compact (Stern) layer between them and the
/// ions that cross. Each law is a type of its own in this folder; the discretisation
/// and the problem's validation read only this protocol, so a new law is one new file
/// (configs name laws in `interfaces[].law`, which the device builder turns into these
/// types: one more name there).
///
/// Between two electrolytes (or inside a layer) the discretisation always applies
/// continuity of φ, ε∂φ/∂n, electrochemical potentials and fluxes; the law's compact
/// layer, pzc and transfers act on electrolyte | host faces, where the host is an
/// electrode (a neutral host) or a semiconductor with its own Poisson equation.
public protocol InterfaceLaw: Sendable {
    /// A short description for messages and output, e.g. "intercalation of species 0".
    var summary: String { get }
    /// Compact-layer capacitance C_S, F/m² (nil: none, the diffuse layer reaches the face).
    var sternCapacitance: Double? { get }
    /// The host's potential of zero charge against the electrolyte, V: the compact layer
    /// holds C_S (V_host − pzc − φ_s).
    var potentialOfZeroCharge: Double { get }
    /// Electrolyte species that cross into the host's intercalant, each with its kinetics.
    var transfers: [InterfaceTransfer] { get }
    /// Why this law cannot hold between layers `a` and `b` (in stack order), if it cannot.
    func problems(between a: LayerPhysics, and b: LayerPhysics) -> [String]
}

/// An ion transfer across an interface: electrolyte species `species` (an index into
/// the problem's species) into the host's intercalant, at the rate of `kinetics`
/// (Butler–Volmer or Marcus–Hush–Chidsey, ``ButlerVolmer/law``).
public struct InterfaceTransfer: Sendable {
    public var species: Int
    public var kinetics: ButlerVolmer

    public init(species: Int, kinetics: ButlerVolmer) {
        self.species = species
        self.kinetics = kinetics
    }
}

extension LayerPhysics {
    /// "a | b" for messages about the interface between two layers.
    static func interfaceName(_ a: LayerPhysics, _ b: LayerPhysics) -> String { "interface \(a.name) | \(b.name)" }
}
