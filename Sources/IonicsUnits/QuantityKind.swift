/// What a configuration value is expected to be: a dimension, plus any other
/// dimensions that convert to it unambiguously.
///
/// Concentrations, for example, are stored in mol/m³ but may be given as a number
/// density (`"1e19 cm^-3"`, divided by N_A); activation energies are stored in J/mol
/// but may be given per particle (`"0.87 eV"`, multiplied by N_A).
public struct QuantityKind: Hashable, Sendable, CustomStringConvertible {
    /// A conversion from another dimension: SI value × `factor`.
    public struct Alternative: Hashable, Sendable {
        public let dimension: Dimension
        public let factor: Double
    }

    /// Human name without article, e.g. "length".
    public let name: String
    /// The dimension of the SI value this kind is stored in.
    public let dimension: Dimension
    public let alternatives: [Alternative]
    /// An example written with units, used in messages: `"50 nm"`.
    public let example: String

    public init(name: String, dimension: Dimension, example: String, alternatives: [Alternative] = []) {
        self.name = name
        self.dimension = dimension
        self.example = example
        self.alternatives = alternatives
    }

    /// "a length", "an energy".
    public var phrase: String {
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        return (vowels.contains(name.first ?? "x") ? "an " : "a ") + name
    }

    public var description: String { name }

    /// The SI value of `quantity` in this kind's dimension, or nil when the
    /// dimensions do not match.
    public func siValue(of quantity: Quantity) -> Double? {
        if quantity.dimension == dimension { return quantity.value }
        for alt in alternatives where alt.dimension == quantity.dimension {
            return quantity.value * alt.factor
        }
        return nil
    }
}

extension QuantityKind {
    public static let dimensionless = QuantityKind(name: "dimensionless number", dimension: .dimensionless, example: "0.5")
    public static let length = QuantityKind(name: "length", dimension: Dimension(m: 1), example: "50 nm")
    public static let area = QuantityKind(name: "area", dimension: Dimension(m: 2), example: "100 um^2")
    public static let time = QuantityKind(name: "time", dimension: Dimension(s: 1), example: "5 ms")
    public static let frequency = QuantityKind(name: "frequency", dimension: Dimension(s: -1), example: "10 Hz")
    public static let current = QuantityKind(name: "current", dimension: Dimension(A: 1), example: "0.5 uA")
    public static let currentDensity = QuantityKind(
        name: "current density", dimension: Dimension(m: -2, A: 1), example: "1 mA/cm^2")
    public static let voltage = QuantityKind(
        name: "voltage", dimension: Dimension(m: 2, kg: 1, s: -3, A: -1), example: "1.5 V")
    public static let charge = QuantityKind(name: "charge", dimension: Dimension(s: 1, A: 1), example: "2.5 nC")
    public static let chargePerArea = QuantityKind(
        name: "charge per area", dimension: Dimension(m: -2, s: 1, A: 1), example: "1 uC/cm^2")
    public static let energy = QuantityKind(name: "energy", dimension: Dimension(m: 2, kg: 1, s: -2), example: "132 aJ")
    public static let energyPerArea = QuantityKind(
        name: "energy per area", dimension: Dimension(kg: 1, s: -2), example: "0.39 fJ/um^2")
    public static let power = QuantityKind(name: "power", dimension: Dimension(m: 2, kg: 1, s: -3), example: "1 uW")
    public static let temperature = QuantityKind(name: "temperature", dimension: Dimension(K: 1), example: "25 degC")
    public static let concentration = QuantityKind(
        name: "concentration", dimension: Dimension(m: -3, mol: 1), example: "0.1 M",
        alternatives: [Alternative(dimension: Dimension(m: -3), factor: 1 / PhysicalConstants.avogadro)])
    public static let numberDensity = QuantityKind(
        name: "number density", dimension: Dimension(m: -3), example: "1e19 cm^-3",
        alternatives: [Alternative(dimension: Dimension(m: -3, mol: 1), factor: PhysicalConstants.avogadro)])
    public static let diffusivity = QuantityKind(
        name: "diffusivity", dimension: Dimension(m: 2, s: -1), example: "1e-10 cm^2/s")
    public static let conductivity = QuantityKind(
        name: "conductivity", dimension: Dimension(m: -3, kg: -1, s: 3, A: 2), example: "1e-4 S/cm")
    public static let conductance = QuantityKind(
        name: "conductance", dimension: Dimension(m: -2, kg: -1, s: 3, A: 2), example: "42 uS")
    public static let resistance = QuantityKind(
        name: "resistance", dimension: Dimension(m: 2, kg: 1, s: -3, A: -2), example: "10 kohm")
    public static let areaResistance = QuantityKind(
        name: "area-specific resistance", dimension: Dimension(m: 4, kg: 1, s: -3, A: -2), example: "10 ohm cm^2")
    public static let capacitance = QuantityKind(
        name: "capacitance", dimension: Dimension(m: -2, kg: -1, s: 4, A: 2), example: "1 pF")
    public static let capacitancePerArea = QuantityKind(
        name: "capacitance per area", dimension: Dimension(m: -4, kg: -1, s: 4, A: 2), example: "10 uF/cm^2")
    public static let mobility = QuantityKind(
        name: "mobility", dimension: Dimension(kg: -1, s: 2, A: 1), example: "10 cm^2/(V s)")
    public static let velocity = QuantityKind(name: "velocity", dimension: Dimension(m: 1, s: -1), example: "1e-9 m/s")
    public static let molarEnergy = QuantityKind(
        name: "molar energy", dimension: Dimension(m: 2, kg: 1, s: -2, mol: -1), example: "0.87 eV",
        alternatives: [Alternative(dimension: Dimension(m: 2, kg: 1, s: -2), factor: PhysicalConstants.avogadro)])
}
