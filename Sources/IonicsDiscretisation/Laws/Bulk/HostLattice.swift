import Foundation
public import IonicsPhysics

/// A host lattice filled by one intercalant to θ = ĉ/ĉ_max: μ_ex/RT = −zU(θ)/V_T − ln θ, so
/// that ln ĉ + μ_ex = −zU(θ)/V_T + ln ĉ_max and the open-circuit potential U(θ) (ideal
/// lattice gas, Frumkin interaction or a measured table) sets the equilibrium; the
/// diffusivity D(θ) is the host's table.
public struct HostLattice: BulkLaw {
    /// ĉ_max = c_max/c0.
    public let cmax: Double
    public let ocv: OpenCircuitPotential
    /// Valence of the intercalant (1 for a neutral one).
    public let charge: Double
    /// D(θ), m²/s.
    public let diffusivity: MonotoneTable
    let thermalVoltage: Double

    public init(host: HostProperties, charge z: Double, scales: Scales) {
        cmax = host.maximumConcentration / scales.concentration
        ocv = host.openCircuit
        charge = z == 0 ? 1 : z
        diffusivity = host.diffusivity
        thermalVoltage = scales.thermalVoltage
    }

    public func excess(_ c: UnsafePointer<Double>, count n: Int, mu: UnsafeMutablePointer<Double>, dmu: UnsafeMutablePointer<Double>)
        throws(BulkLawError)
    {
        let theta = c[0] / cmax
        if !(theta > 0 && theta < 1) { throw .fillingOutOfRange(theta) }
        let (u, du) = ocv.evaluate(theta, thermalVoltage: thermalVoltage, charge: charge)
        mu[0] = -charge * u / thermalVoltage - log(theta)
        dmu[0] = (-charge * du / thermalVoltage - 1 / theta) / cmax
    }

    /// Hosts take no reservoir boundary.
    public func reservoirExcess(_ c: [Double]) -> Double { 0 }
}
