/// An electronic path in parallel with the ionic stack: a layer that conducts electrons
/// (an electrolyte with an electronic conductivity σ_e, S/m) between two electron
/// conductors at terminals `from` and `to` carries the ohmic current
///
///     I = g (V_from − V_to)
///
/// from the one to the other, beside (not through) the ions. Its electrons are a
/// separate carrier with their own quasi-Fermi potential, which is linear across a
/// uniform layer between the two terminals' potentials, so the path is the resistor
/// g = σ_e·A/d; it does not act on the ions. The current adds to the terminals'
/// currents, so the gate current, charge and energy ∫V·I dt include the leak, and a
/// current-controlled or open terminal loses charge through it (self-discharge).
public struct ElectronicLeak: Sendable, Equatable {
    /// Terminal indices (``PNPProblem/terminals``).
    public var from: Int
    public var to: Int
    /// Conductance per unit of the discretisation's cross-section: S/m² in 1D (per m² of
    /// channel), S/m in 2D (per metre of depth).
    public var conductance: Double

    public init(from: Int, to: Int, conductance: Double) {
        self.from = from
        self.to = to
        self.conductance = conductance
    }
}
