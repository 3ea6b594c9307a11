/// A metal that sources or sinks the ion by M(metal) ⇌ M^{z+} + z e⁻ at the fixed
/// equilibrium potential `equilibriumPotential` (V, metal minus electrolyte; e.g. the
/// two-phase plateau of PdHx), at the Butler–Volmer (or Marcus–Hush–Chidsey) rate of
/// `kinetics` with the overpotential taken at the reaction plane (Frumkin correction;
/// Bazant, Acc. Chem. Res. 46, 1144 (2013)). Needs a metal potential on the same boundary.
public struct MetalReactionContact: SpeciesContactLaw {
    public static let name = "metal-reaction"
    public var transfer: MetalTransfer

    public init(kinetics: ButlerVolmer, equilibriumPotential: Double) {
        transfer = MetalTransfer(kinetics: kinetics, equilibriumPotential: equilibriumPotential)
    }

    public var summary: String { "metal reaction at \(transfer.equilibriumPotential) V" }
    public var metalTransfer: MetalTransfer? { transfer }

    public func problems(with potential: any PotentialContactLaw) -> [String] {
        var problems: [String] = []
        if !(transfer.kinetics.exchangeCurrent > 0) { problems.append("the exchange current must be positive") }
        if potential.metal == nil { problems.append("a reaction needs a metal potential") }
        return problems
    }
}
