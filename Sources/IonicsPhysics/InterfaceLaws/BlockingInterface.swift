/// No ion crosses. Next to a neutral host the host is an electrode behind an optional
/// compact layer (C_S, F/m²) with potential of zero charge `pzc` (V); next to a
/// semiconductor host the two Poisson regions meet through the compact layer.
public struct BlockingInterface: InterfaceLaw {
    public var sternCapacitance: Double?
    public var potentialOfZeroCharge: Double

    public init(stern: Double?, pzc: Double = 0) {
        sternCapacitance = stern
        potentialOfZeroCharge = pzc
    }

    public var summary: String { "blocking" }
    public var transfers: [InterfaceTransfer] { [] }

    public func problems(between a: LayerPhysics, and b: LayerPhysics) -> [String] {
        guard let c = sternCapacitance, !(c > 0) else { return [] }
        return ["\(LayerPhysics.interfaceName(a, b)): the Stern capacitance must be positive"]
    }
}
