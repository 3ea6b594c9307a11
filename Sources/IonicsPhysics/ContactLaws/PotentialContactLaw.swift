/// How the electric potential is held at an outer boundary of the stack: the metal (if
/// any) behind the boundary face, its compact (Stern) layer and its potential of zero
/// charge. Each law is a type of its own in this folder, listed once in
/// ``ContactLaws``; the discretisation reads only ``metal`` when it classifies the
/// boundary faces (once, at build time), so a new law is one new file and one line there.
///
/// With a metal, the face carries the Robin condition of a Stern layer in series with the
/// half-cell: C_S (V − pzc − φ_s) = −ε ∂φ/∂n (C_S = ∞ without a Stern layer, which is
/// φ_s = V − pzc); without one, no field crosses (∂φ/∂n = 0).
public protocol PotentialContactLaw: Sendable {
    /// Short name, e.g. "terminal" (unique among the registered laws).
    static var name: String { get }
    /// A description for messages and output, e.g. "terminal 0 with C_S = 0.2 F/m²".
    var summary: String { get }
    /// The metal behind the boundary; nil when none (zero field).
    var metal: ContactMetal? { get }
    /// Why this law cannot hold in a problem with `terminalCount` terminals, if it cannot.
    func problems(terminalCount: Int) -> [String]
}

extension PotentialContactLaw {
    public func problems(terminalCount: Int) -> [String] { metal?.problems(terminalCount: terminalCount) ?? [] }
}

/// The metal behind a boundary, as the discretisation uses it.
public struct ContactMetal: Sendable {
    /// Where the metal's potential comes from.
    public enum Potential: Sendable {
        /// V(t) in volts, prescribed (scaled by the bias factor of an equilibrium solve).
        case prescribed(TimeFunction)
        /// Terminal `index`'s potential (held by a voltage drive or solved for).
        case terminal(Int)
    }

    public var potential: Potential
    /// Compact-layer capacitance C_S, F/m² (nil: none, the diffuse layer reaches the face).
    public var sternCapacitance: Double?
    /// Potential of zero charge, V: the compact layer holds C_S (V − pzc − φ_s).
    public var potentialOfZeroCharge: Double

    public init(potential: Potential, sternCapacitance: Double? = nil, potentialOfZeroCharge: Double = 0) {
        self.potential = potential
        self.sternCapacitance = sternCapacitance
        self.potentialOfZeroCharge = potentialOfZeroCharge
    }

    /// The terminal driving the metal, if any.
    public var terminal: Int? {
        if case .terminal(let j) = potential { return j }
        return nil
    }

    func problems(terminalCount: Int) -> [String] {
        var problems: [String] = []
        if let j = terminal, j < 0 || j >= terminalCount { problems.append("unknown terminal \(j)") }
        if let c = sternCapacitance, !(c > 0) { problems.append("Stern capacitance must be positive") }
        return problems
    }
}
