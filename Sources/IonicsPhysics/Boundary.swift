/// Everything that holds at one outer boundary of the stack: a contact law for the
/// potential and one per species (``ContactLaws`` lists them).
public struct Boundary: Sendable {
    public var potential: any PotentialContactLaw
    /// Per species index; species not listed are blocked.
    public var species: [Int: any SpeciesContactLaw]

    public init(potential: any PotentialContactLaw, species: [Int: any SpeciesContactLaw] = [:]) {
        self.potential = potential
        self.species = species
    }

    /// No field and no flux: an insulating wall.
    public static var closed: Boundary { Boundary(potential: ZeroFieldContact()) }

    public func condition(for species: Int) -> any SpeciesContactLaw { self.species[species] ?? BlockingSpeciesContact() }

    /// The metal behind the boundary, if any (``PotentialContactLaw/metal``).
    public var metal: ContactMetal? { potential.metal }
}
