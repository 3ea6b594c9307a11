/// What happens to one species at an outer boundary of the stack. Each law is a type of
/// its own in this folder, listed once in ``ContactLaws``. A law states its effect as data
/// (a fixed concentration, a prescribed influx, a transfer with the metal; none of them:
/// no flux), which the discretisation reads once, when it classifies the boundary faces,
/// into the faces' precomputed records: the assembly never asks a law anything.
public protocol SpeciesContactLaw: Sendable {
    /// Short name, e.g. "reservoir" (unique among the registered laws).
    static var name: String { get }
    var summary: String { get }
    /// Fixed concentration c(t) on the boundary face, mol/m³ (a reservoir), or nil.
    var concentration: TimeFunction? { get }
    /// Prescribed flux into the domain j(t), mol/(m²·s), or nil.
    var influx: TimeFunction? { get }
    /// Ion transfer with the metal behind the boundary, or nil.
    var metalTransfer: MetalTransfer? { get }
    /// Why this law cannot hold with `potential` on the same boundary, if it cannot.
    func problems(with potential: any PotentialContactLaw) -> [String]
}

extension SpeciesContactLaw {
    public var concentration: TimeFunction? { nil }
    public var influx: TimeFunction? { nil }
    public var metalTransfer: MetalTransfer? { nil }
    public func problems(with potential: any PotentialContactLaw) -> [String] { [] }
}

/// A metal that sources or sinks an ion by M(metal) ⇌ M^{z+} + z e⁻ at a fixed
/// equilibrium potential (V, metal minus electrolyte), at the rate of `kinetics`.
public struct MetalTransfer: Sendable {
    public var kinetics: ButlerVolmer
    public var equilibriumPotential: Double

    public init(kinetics: ButlerVolmer, equilibriumPotential: Double) {
        self.kinetics = kinetics
        self.equilibriumPotential = equilibriumPotential
    }
}
