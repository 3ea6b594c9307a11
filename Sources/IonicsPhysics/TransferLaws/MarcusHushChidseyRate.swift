import Foundation

/// The Marcus–Hush–Chidsey rate in the closed form of Zeng, Smith, Bai & Bazant,
/// J. Electroanal. Chem. 735, 77 (2014), eq. (17):
///
///     k_ox(x) = √(πλ) / (1 + e^{−x}) · erfc((λ − √(1 + √λ + x²)) / (2√λ)),
///     k_red(x) = k_ox(−x),
///
/// with x = zeη/(k_B T) the scaled overpotential and λ the scaled reorganisation energy
/// (both in units of k_B T). k_ox/k_red = e^x exactly (detailed balance), and for
/// λ ≳ 1 the form is within a few per cent of the Chidsey integral.
public enum MarcusHushChidsey {
    /// k_ox(x) and dk_ox/dx for the scaled reorganisation energy `lambda`.
    public static func oxidation(_ x: Double, lambda: Double) -> (value: Double, derivative: Double) {
        let rootL = lambda.squareRoot()
        let r = (1 + rootL + x * x).squareRoot()
        let a = (lambda - r) / (2 * rootL)
        let e = erfc(a)
        let dE = -2 / Double.pi.squareRoot() * exp(-a * a) * (-x / (2 * rootL * r))
        // σ(x) = 1/(1 + e^{−x}) without overflow.
        let sigma = x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
        let pre = (Double.pi * lambda).squareRoot()
        let s = pre * sigma
        let dS = s * (1 - sigma)
        return (s * e, dS * e + s * dE)
    }

    /// The rate at zero overpotential, k_ox(0) = k_red(0), by which rates are
    /// normalised so that the exchange current keeps its Butler–Volmer meaning.
    public static func exchange(lambda: Double) -> Double {
        oxidation(0, lambda: lambda).value
    }
}

/// Marcus–Hush–Chidsey transfer (see ``MarcusHushChidsey``): the factors are
/// k_red(x)/k(0) and k_ox(x)/k(0), so that the exchange current keeps its
/// Butler–Volmer meaning; they saturate for |x| beyond the reorganisation energy.
public struct MarcusHushChidseyRate: TransferRateLaw {
    public static let name = "marcus-hush-chidsey"
    /// Reorganisation energy in units of k_B T.
    public let lambda: Double
    let norm: Double

    /// `reorganizationEnergy` in joules, `thermalEnergy` = k_B T in joules.
    public init(reorganizationEnergy: Double, thermalEnergy: Double) {
        lambda = reorganizationEnergy / thermalEnergy
        norm = 1 / MarcusHushChidsey.exchange(lambda: lambda)
    }

    public func factors(_ x: Double) -> TransferFactors {
        let red = MarcusHushChidsey.oxidation(-x, lambda: lambda)
        let ox = MarcusHushChidsey.oxidation(x, lambda: lambda)
        return TransferFactors(reduction: norm * red.value, dReduction: -norm * red.derivative,
                               oxidation: norm * ox.value, dOxidation: norm * ox.derivative)
    }
}
