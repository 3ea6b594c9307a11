/// A prescribed flux j(t) into the domain, mol/(m²·s) (a Neumann condition).
public struct InfluxContact: SpeciesContactLaw {
    public static let name = "influx"
    public var value: TimeFunction

    public init(influx: TimeFunction) { value = influx }

    public var summary: String { "prescribed influx" }
    public var influx: TimeFunction? { value }
}
