/// The registry of contact laws: every law the problem accepts at an outer boundary is
/// listed here, once. ``PNPProblem/validate()`` refuses a boundary whose law is not
/// listed, so a law's file and its line here come together; a new law is one new file
/// in this folder and one line below (see docs/architecture.md, "Adding a contact law").
public enum ContactLaws {
    /// Laws for the electric potential.
    public static let potential: [any PotentialContactLaw.Type] = [
        IdealMetalContact.self,
        SternContact.self,
        TerminalContact.self,
        ZeroFieldContact.self,
    ]

    /// Laws for a species.
    public static let species: [any SpeciesContactLaw.Type] = [
        BlockingSpeciesContact.self,
        ReservoirContact.self,
        InfluxContact.self,
        MetalReactionContact.self,
    ]

    /// Whether `law`'s type is registered.
    public static func isRegistered(_ law: any PotentialContactLaw) -> Bool {
        potential.contains { ObjectIdentifier($0) == ObjectIdentifier(type(of: law)) }
    }

    /// Whether `law`'s type is registered.
    public static func isRegistered(_ law: any SpeciesContactLaw) -> Bool {
        species.contains { ObjectIdentifier($0) == ObjectIdentifier(type(of: law)) }
    }
}
