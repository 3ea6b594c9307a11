/// The dimension of a physical quantity: integer exponents of the SI base units
/// metre, kilogram, second, ampere, kelvin and mole.
public struct Dimension: Hashable, Sendable, CustomStringConvertible {
    public var metre: Int
    public var kilogram: Int
    public var second: Int
    public var ampere: Int
    public var kelvin: Int
    public var mole: Int

    public init(m: Int = 0, kg: Int = 0, s: Int = 0, A: Int = 0, K: Int = 0, mol: Int = 0) {
        metre = m
        kilogram = kg
        second = s
        ampere = A
        kelvin = K
        mole = mol
    }

    var exponents: [Int] { [metre, kilogram, second, ampere, kelvin, mole] }

    public static let dimensionless = Dimension()
    public var isDimensionless: Bool { self == .dimensionless }

    public static func * (a: Dimension, b: Dimension) -> Dimension {
        Dimension(
            m: a.metre + b.metre, kg: a.kilogram + b.kilogram, s: a.second + b.second,
            A: a.ampere + b.ampere, K: a.kelvin + b.kelvin, mol: a.mole + b.mole)
    }

    public static func / (a: Dimension, b: Dimension) -> Dimension { a * b.power(-1) }

    public func power(_ n: Int) -> Dimension {
        Dimension(
            m: metre * n, kg: kilogram * n, s: second * n, A: ampere * n, K: kelvin * n,
            mol: mole * n)
    }

    /// The dimension in SI base units, e.g. `m^2 s^-1`; `1` when dimensionless.
    public var description: String {
        let names = ["m", "kg", "s", "A", "K", "mol"]
        let parts = zip(names, exponents).compactMap { name, e -> String? in
            e == 0 ? nil : (e == 1 ? name : "\(name)^\(e)")
        }
        return parts.isEmpty ? "1" : parts.joined(separator: " ")
    }
}
