/// The reduction (insertion) and oxidation (extraction) factors of an interfacial
/// transfer at one overpotential, and their derivatives with respect to it.
public struct TransferFactors: Sendable, Equatable {
    public var reduction: Double
    public var dReduction: Double
    public var oxidation: Double
    public var dOxidation: Double

    public init(reduction: Double, dReduction: Double, oxidation: Double, dOxidation: Double) {
        self.reduction = reduction
        self.dReduction = dReduction
        self.oxidation = oxidation
        self.dOxidation = dOxidation
    }
}

/// How an interfacial transfer rate depends on the scaled overpotential
/// x = z e η/(k_B T): the net insertion rate is
///
///     R = k₀ f(θ) [ (c_e/c_ref)^(α_a+α_c) · k_red(x) − k_ox(x) ],
///
/// with k_red(0) = k_ox(0) = 1 so that k₀ is the exchange rate, and k_ox/k_red = e^x
/// (detailed balance: R = 0 at equilibrium). The concentration and host factors are
/// the same for every law (see ``ButlerVolmer``); a law only supplies the two
/// potential factors.
///
/// A new law is a type conforming to this protocol in its own file, a case of
/// ``RateLaw`` (its parameters as written in configs) and one line in
/// ``RateLaw/transferLaw(alphaAnodic:alphaCathodic:thermalEnergy:)``.
public protocol TransferRateLaw: Sendable {
    /// The name used in configs and outputs.
    static var name: String { get }
    /// k_red(x), k_ox(x) and their derivatives.
    func factors(_ x: Double) -> TransferFactors
}

extension RateLaw {
    /// The law as a type, with the transfer coefficients of the reaction it drives
    /// (`thermalEnergy` = k_B T in joules). The one place where laws are registered.
    public func transferLaw(alphaAnodic: Double, alphaCathodic: Double, thermalEnergy: Double) -> any TransferRateLaw {
        switch self {
        case .butlerVolmer:
            return ButlerVolmerRate(alphaAnodic: alphaAnodic, alphaCathodic: alphaCathodic)
        case .marcusHushChidsey(let lambda):
            return MarcusHushChidseyRate(reorganizationEnergy: lambda, thermalEnergy: thermalEnergy)
        }
    }
}
