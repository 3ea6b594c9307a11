/// A metal at a prescribed potential V(t) behind a compact (Stern) layer of capacitance
/// C_S (F/m²): C_S (V − φ_s) = −ε ∂φ/∂n at the surface (a Robin condition; Bazant,
/// Thornton & Ajdari, Phys. Rev. E 70, 021506 (2004), for the Stern layer of a blocking cell).
public struct SternContact: PotentialContactLaw {
    public static let name = "stern"
    /// C_S, F/m².
    public var capacitance: Double
    /// V(t), volts.
    public var potential: TimeFunction

    public init(capacitance: Double, potential: TimeFunction) {
        self.capacitance = capacitance
        self.potential = potential
    }

    public var summary: String { "metal behind a Stern layer of \(capacitance) F/m²" }
    public var metal: ContactMetal? { ContactMetal(potential: .prescribed(potential), sternCapacitance: capacitance) }
}
