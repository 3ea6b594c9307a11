import Foundation

/// How the interfacial transfer rate depends on the overpotential.
///
/// - `butlerVolmer`: exponential in η (see ``ButlerVolmer``). Accurate for |η| of a few
///   V_T; at the volts of some synaptic write pulses it gives rates of e^{40}·i0, which
///   no interface sustains and which makes the equations needlessly stiff.
/// - `marcusHushChidsey`: electron transfer from a metal-like electron reservoir
///   through a Marcus reorganisation (Chidsey, Science 251, 919 (1991)); the rate
///   saturates for |η| beyond the reorganisation energy λ. Used for hosts written with
///   large gate voltages (Bazant, Acc. Chem. Res. 46, 1144 (2013) argues it for
///   intercalation; Bai & Bazant, Nat. Commun. 5, 3585 (2014) measured it in LiFePO4).
public enum RateLaw: Sendable, Equatable {
    case butlerVolmer
    /// λ, the reorganisation energy, in joules.
    case marcusHushChidsey(reorganizationEnergy: Double)
}

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
