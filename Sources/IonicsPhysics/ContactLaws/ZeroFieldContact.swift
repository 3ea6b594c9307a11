/// No field across the boundary: ∂φ/∂n = 0 (an insulating wall with no charge on it).
public struct ZeroFieldContact: PotentialContactLaw {
    public static let name = "zero-field"

    public init() {}

    public var summary: String { "zero field" }
    public var metal: ContactMetal? { nil }
}
