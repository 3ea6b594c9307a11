import Foundation
import IonicsDiscretisation
import IonicsPhysics
import IonicsVerification
import Testing

/// The bulk laws as types: values against their formulas, derivatives against finite
/// differences, and their domains.
@Suite("Bulk laws")
struct BulkLawTests {
    let scales = Scales(problem: JacobianCase.everyTermProblem(steric: true).0)

    func evaluate(_ law: any BulkLaw, _ c: [Double]) throws -> (mu: [Double], dmu: [Double]) {
        var mu = [Double](repeating: .nan, count: c.count)
        var dmu = [Double](repeating: .nan, count: c.count * c.count)
        try c.withUnsafeBufferPointer { cp in
            try mu.withUnsafeMutableBufferPointer { m in
                try dmu.withUnsafeMutableBufferPointer { d in
                    try law.excess(cp.baseAddress!, count: c.count, mu: m.baseAddress!, dmu: d.baseAddress!)
                }
            }
        }
        return (mu, dmu)
    }

    func checkDerivatives(_ law: any BulkLaw, at c: [Double]) throws {
        let n = c.count
        let (_, dmu) = try evaluate(law, c)
        for k in 0..<n {
            let h = 1e-6 * c[k]
            var up = c
            up[k] += h
            var down = c
            down[k] -= h
            let (p, m) = (try evaluate(law, up).mu, try evaluate(law, down).mu)
            for s in 0..<n {
                let fd = (p[s] - m[s]) / (2 * h)
                #expect(abs(fd - dmu[s * n + k]) <= 1e-6 * max(abs(fd), 1e-3), "∂μ\(s)/∂c\(k)")
            }
        }
    }

    @Test("ideal solution: no excess potential")
    func ideal() throws {
        let (mu, dmu) = try evaluate(IdealSolution(), [0.5, 2])
        #expect(mu == [0, 0] && dmu == [0, 0, 0, 0])
        #expect(IdealSolution().reservoirExcess([1, 1]) == 0)
    }

    @Test("Bikerman: −ln(1 − νΣc), derivatives, and the packing limit")
    func bikerman() throws {
        let law = BikermanLattice(ionSize: 0.7e-9, scales: scales)
        let c = [0.3 / law.nu, 0.2 / law.nu]
        let (mu, _) = try evaluate(law, c)
        #expect(abs(mu[0] + log(0.5)) < 1e-14 && abs(mu[1] + log(0.5)) < 1e-14)
        #expect(abs(law.reservoirExcess(c) + log(0.5)) < 1e-14)
        try checkDerivatives(law, at: c)
        #expect(throws: BulkLawError.self) { _ = try evaluate(law, [0.6 / law.nu, 0.5 / law.nu]) }
    }

    @Test("host lattice: −zU(θ)/V_T − ln θ, derivatives, and θ inside (0, 1)")
    func host() throws {
        let host = HostProperties(
            maximumConcentration: 2e4, openCircuit: OpenCircuitPotential(standard: 0.3, interaction: 0.05),
            diffusivity: .constant(1e-15))
        let law = HostLattice(host: host, charge: 1, scales: scales)
        let theta = 0.37
        let (mu, _) = try evaluate(law, [theta * law.cmax])
        let u = host.openCircuit.evaluate(theta, thermalVoltage: scales.thermalVoltage, charge: 1).value
        #expect(abs(mu[0] - (-u / scales.thermalVoltage - log(theta))) < 1e-12)
        try checkDerivatives(law, at: [theta * law.cmax])
        #expect(throws: BulkLawError.self) { _ = try evaluate(law, [1.2 * law.cmax]) }
        #expect(throws: BulkLawError.self) { _ = try evaluate(law, [0]) }
    }
}
