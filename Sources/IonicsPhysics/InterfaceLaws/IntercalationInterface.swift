/// Electrolyte | host with ion transfer: a compact layer (C_S, F/m², nil for none) and
/// the transfer of electrolyte species `species` into the host's intercalant at the
/// Frumkin-corrected rate of `kinetics` (the overpotential taken at the reaction plane,
/// the outer face of the compact layer). `pzc` (V) is the host's potential of zero
/// charge against the electrolyte: set it to the host's initial open-circuit potential
/// and the interface starts uncharged at equilibrium.
public struct IntercalationInterface: InterfaceLaw {
    public var sternCapacitance: Double?
    public var potentialOfZeroCharge: Double
    public var transfer: InterfaceTransfer

    public init(stern: Double?, kinetics: ButlerVolmer, species: Int, pzc: Double = 0) {
        sternCapacitance = stern
        potentialOfZeroCharge = pzc
        transfer = InterfaceTransfer(species: species, kinetics: kinetics)
    }

    public var summary: String { "intercalation of species \(transfer.species)" }
    public var transfers: [InterfaceTransfer] { [transfer] }

    public func problems(between a: LayerPhysics, and b: LayerPhysics) -> [String] {
        let at = LayerPhysics.interfaceName(a, b)
        var problems: [String] = []
        let electrolyte = a.host == nil ? a : b
        let host = a.host == nil ? b : a
        let sp = transfer.species
        if host.host == nil || electrolyte.host != nil {
            problems.append("\(at): intercalation needs an electrolyte on one side and a host on the other")
        } else {
            if electrolyte.slot(of: sp) == nil { problems.append("\(at): species \(sp) is not in \(electrolyte.name)") }
            if host.species.first?.species != sp { problems.append("\(at): the host's intercalant is not species \(sp)") }
            if electrolyte.electrostatics != .poisson { problems.append("\(at): the electrolyte must solve Poisson") }
        }
        if !(transfer.kinetics.exchangeCurrent > 0) { problems.append("\(at): the exchange current must be positive") }
        if let c = sternCapacitance, !(c > 0) { problems.append("\(at): the Stern capacitance must be positive") }
        return problems
    }
}
