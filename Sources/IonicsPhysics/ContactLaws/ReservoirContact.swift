/// A reservoir: the species' concentration c(t) (mol/m³) is held on the boundary face;
/// the flux from the face to the first cell is the Scharfetter–Gummel flux over the half
/// cell (Scharfetter & Gummel, IEEE Trans. Electron Devices 16, 64 (1969)).
public struct ReservoirContact: SpeciesContactLaw {
    public static let name = "reservoir"
    public var value: TimeFunction

    public init(concentration: TimeFunction) { value = concentration }

    public var summary: String { "fixed concentration" }
    public var concentration: TimeFunction? { value }
}
