/// An ideal metal at a prescribed potential: φ = V(t) on the boundary face (Dirichlet).
public struct IdealMetalContact: PotentialContactLaw {
    public static let name = "metal"
    /// V(t), volts.
    public var potential: TimeFunction

    public init(potential: TimeFunction) { self.potential = potential }

    public var summary: String { "ideal metal at a prescribed potential" }
    public var metal: ContactMetal? { ContactMetal(potential: .prescribed(potential)) }
}
