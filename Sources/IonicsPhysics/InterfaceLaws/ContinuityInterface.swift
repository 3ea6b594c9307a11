/// Continuity of φ, ε∂φ/∂n, each species' electrochemical potential (with the partition
/// set by the layers' standard chemical potentials μ°) and flux: the law between two
/// electrolytes, and the default.
public struct ContinuityInterface: InterfaceLaw {
    public init() {}

    public var summary: String { "continuity" }
    public var sternCapacitance: Double? { nil }
    public var potentialOfZeroCharge: Double { 0 }
    public var transfers: [InterfaceTransfer] { [] }

    public func problems(between a: LayerPhysics, and b: LayerPhysics) -> [String] {
        let at = LayerPhysics.interfaceName(a, b)
        var problems: [String] = []
        if (a.host == nil) != (b.host == nil) {
            problems.append("\(at): an electrolyte meets a host; give an intercalation or blocking law")
        }
        if a.electrostatics != b.electrostatics {
            problems.append("\(at): continuity needs Poisson on both sides or neither")
        }
        return problems
    }
}
