import Foundation
import IonicsUnits

/// How an activated material parameter p changes with temperature:
///
///     p(T) = p(T_ref) · (T/T_ref)^m · exp(−E_a/R · (1/T − 1/T_ref))
///
/// with E_a the activation energy (J/mol; a negative value makes p fall with T), m a
/// power-law exponent (0 for pure Arrhenius; e.g. −1.7 for phonon-limited band mobility
/// of MoS2, Kaasbjerg, Thygesen & Jacobsen, Phys. Rev. B 85, 115317 (2012)) and T_ref
/// the temperature at which the material file (and any preset override) states p.
/// At T = T_ref the factor is exactly 1. A material file gives one law per parameter
/// under `temperature_dependence` (docs/configs.md):
///
///     "temperature_dependence": {
///       "diffusivity":      {"activation_energy": "0.5 eV", "reference_temperature": "25 degC"},
///       "exchange_current": {"activation_energy": "40 kJ/mol"},
///       "conductivity":     {"activation_energy": "0.12 eV"},
///       "mobility":         {"activation_energy": "0 eV", "exponent": -1.7}
///     }
public struct TemperatureLaw: Sendable, Equatable {
    /// E_a, J/mol.
    public var activationEnergy: Double
    /// T_ref, K.
    public var referenceTemperature: Double
    /// Power-law exponent m (dimensionless).
    public var exponent: Double

    public init(activationEnergy: Double, referenceTemperature: Double = 298.15, exponent: Double = 0) {
        self.activationEnergy = activationEnergy
        self.referenceTemperature = referenceTemperature
        self.exponent = exponent
    }

    /// p(T)/p(T_ref) at `kelvin`.
    public func factor(at kelvin: Double) -> Double {
        if kelvin == referenceTemperature { return 1 }
        let arrhenius = exp(-activationEnergy / PhysicalConstants.gasConstant * (1 / kelvin - 1 / referenceTemperature))
        return exponent == 0 ? arrhenius : arrhenius * pow(kelvin / referenceTemperature, exponent)
    }

    /// The parameters a material may give a law for.
    public static let parameters = ["diffusivity", "exchange_current", "conductivity", "mobility"]

    /// Reads `{"activation_energy": …, "reference_temperature": …, "exponent": …}`.
    static func read(_ node: ConfigNode) -> TemperatureLaw? {
        guard let o = node.object() else { return nil }
        let ea = o.required("activation_energy", "e.g. \"0.5 eV\" or \"40 kJ/mol\"; 0 for a parameter taken as not activated")?.quantity(.molarEnergy)
        let tref = o.positiveQuantity("reference_temperature", .temperature, default: 298.15) ?? 298.15
        let m = o.number("exponent", default: 0) ?? 0
        guard let ea else { return nil }
        return TemperatureLaw(activationEnergy: ea, referenceTemperature: tref, exponent: m)
    }
}
