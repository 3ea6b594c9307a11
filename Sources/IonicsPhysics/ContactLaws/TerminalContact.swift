/// A metal driven by a terminal (its potential is the terminal's: held by a voltage drive
/// or solved for under current control or open circuit), with an optional Stern layer
/// C_S (F/m²) and a potential of zero charge `pzc` (V): the electrode charge is
/// C_S (V − pzc − φ_s). Next to a layer without Poisson (a neutral host) the Stern
/// capacitance is the contact's double layer between the metal and the host's electrons.
public struct TerminalContact: PotentialContactLaw {
    public static let name = "terminal"
    public var terminal: Int
    public var sternCapacitance: Double?
    public var potentialOfZeroCharge: Double

    public init(terminal: Int, stern: Double?, pzc: Double = 0) {
        self.terminal = terminal
        sternCapacitance = stern
        potentialOfZeroCharge = pzc
    }

    public var summary: String { "metal at terminal \(terminal)" }
    public var metal: ContactMetal? {
        ContactMetal(potential: .terminal(terminal), sternCapacitance: sternCapacitance, potentialOfZeroCharge: potentialOfZeroCharge)
    }
}
