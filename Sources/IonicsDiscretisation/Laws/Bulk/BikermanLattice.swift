import Foundation
import IonicsUnits

/// Bikerman's lattice gas: ions of size a exclude volume, μ_ex/RT = −ln(1 − ν Σ ĉ) with
/// ν = a³ N_A c0 the scaled volume per ion (Bikerman, Phil. Mag. 33, 384 (1942); Kilic,
/// Bazant & Ajdari, Phys. Rev. E 75, 021502 (2007)). Caps concentrations at 1/(a³N_A).
public struct BikermanLattice: BulkLaw {
    /// ν = a³ N_A c0.
    public let nu: Double

    /// `ionSize` a in metres.
    public init(ionSize a: Double, scales: Scales) {
        nu = a * a * a * PhysicalConstants.avogadro * scales.concentration
    }

    public func excess(_ c: UnsafePointer<Double>, count n: Int, mu: UnsafeMutablePointer<Double>, dmu: UnsafeMutablePointer<Double>)
        throws(BulkLawError)
    {
        var sum = 0.0
        for k in 0..<n { sum += c[k] }
        let free = 1 - nu * sum
        if !(free > 0) { throw .overpacked }
        mu.update(repeating: -log(free), count: n)
        dmu.update(repeating: nu / free, count: n * n)
    }

    public func reservoirExcess(_ c: [Double]) -> Double {
        -log(max(1 - nu * c.reduce(0, +), 1e-300))
    }
}
