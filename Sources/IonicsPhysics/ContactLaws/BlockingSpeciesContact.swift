/// No flux of the species through the boundary (the default for species not listed).
public struct BlockingSpeciesContact: SpeciesContactLaw {
    public static let name = "blocking"

    public init() {}

    public var summary: String { "blocking" }
}
