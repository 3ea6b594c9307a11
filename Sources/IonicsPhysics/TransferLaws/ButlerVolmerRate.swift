import Foundation

/// Butler–Volmer transfer: k_red(x) = e^{−α_c x}, k_ox(x) = e^{α_a x} (the
/// Frumkin–Butler–Volmer form of Bazant, Acc. Chem. Res. 46, 1144 (2013), with the
/// Frumkin correction in x through the reaction-plane potential). Exponents are capped
/// at 300 so that absurd overpotentials overflow neither the rate nor its derivative.
public struct ButlerVolmerRate: TransferRateLaw {
    public static let name = "butler-volmer"
    public let alphaAnodic: Double
    public let alphaCathodic: Double

    public init(alphaAnodic: Double, alphaCathodic: Double) {
        self.alphaAnodic = alphaAnodic
        self.alphaCathodic = alphaCathodic
    }

    public func factors(_ x: Double) -> TransferFactors {
        let red = exp(min(-alphaCathodic * x, 300))
        let ox = exp(min(alphaAnodic * x, 300))
        return TransferFactors(reduction: red, dReduction: -alphaCathodic * red, oxidation: ox, dOxidation: alphaAnodic * ox)
    }
}
