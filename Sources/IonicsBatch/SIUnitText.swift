import Foundation
public import IonicsUnits
public import IonicsConfig

/// Unit symbols for SI values the sweep writes: into generated values (`"1.5e-07 m"`,
/// which the config reads back exactly) and into the `units` attributes of the
/// collected table.
public enum SIUnitText {
    static let named: [IonicsUnits.Dimension: String] = {
        typealias D = IonicsUnits.Dimension
        let pairs: [(D, String)] = [
            (D(m: 1), "m"),
            (D(s: 1), "s"),
            (D(A: 1), "A"),
            (D(K: 1), "K"),
            (D(kg: 1), "kg"),
            (D(mol: 1), "mol"),
            (D(m: 2), "m^2"),
            (D(m: 3), "m^3"),
            (D(m: 2, kg: 1, s: -3, A: -1), "V"),
            (D(m: -2, kg: -1, s: 3, A: 2), "S"),
            (D(m: -2, kg: -1, s: 4, A: 2), "F"),
            (D(m: 2, kg: 1, s: -2), "J"),
            (D(m: 2, kg: 1, s: -3), "W"),
            (D(s: 1, A: 1), "C"),
            (D(m: 2, kg: 1, s: -3, A: -2), "ohm"),
            (D(s: -1), "Hz"),
            (D(m: -3, mol: 1), "mol/m^3"),
            (D(m: -2, A: 1), "A/m^2"),
            (D(m: -3, kg: -1, s: 3, A: 2), "S/m"),
            (D(m: -4, kg: -1, s: 4, A: 2), "F/m^2"),
            (D(m: -2, s: 1, A: 1), "C/m^2"),
            (D(kg: 1, s: -2), "J/m^2"),
            (D(m: 2, s: -1), "m^2/s"),
            (D(m: 1, s: -1), "m/s"),
            (D(m: 2, kg: 1, s: -2, mol: -1), "J/mol"),
        ]
        return Dictionary(uniqueKeysWithValues: pairs)
    }()

    /// The symbol of the coherent SI unit of `dimension` (`"m"`, `"S/m"`, or base units
    /// such as `"m^2 kg s^-3"`); `"1"` when dimensionless.
    public static func symbol(_ dimension: IonicsUnits.Dimension) -> String {
        if dimension.isDimensionless { return "1" }
        return named[dimension] ?? dimension.description
    }

    /// `value` rounded to 12 significant digits, as text (`%.12g`). Generated values
    /// are rounded so that their text — and the point's hash — does not depend on the
    /// last bits of the math library's `pow` and `exp`.
    public static func rounded(_ value: Double) -> String {
        var s = String(format: "%.12g", value)
        if s == "-0" { s = "0" }
        return s
    }

    /// The JSON value of a generated SI value: a number when dimensionless, otherwise
    /// a string with the unit (`"1.5e-07 m"`), so that the config checks its kind.
    public static func json(_ value: Double, _ dimension: IonicsUnits.Dimension) -> JSONValue {
        let text = rounded(value)
        if dimension.isDimensionless { return .number(Double(text) ?? value) }
        return .string(text + " " + symbol(dimension))
    }
}
