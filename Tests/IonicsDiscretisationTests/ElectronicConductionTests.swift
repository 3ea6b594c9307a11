import Foundation
import IonicsDiscretisation
import IonicsLinearAlgebra
import Testing

/// The 2D readout's conduction solve against analytic resistances.
@Suite("Electronic conduction between two contacts")
struct ElectronicConductionTests {
    /// A strip of thickness t (y) and length L (x) on a graded tensor-product mesh.
    func strip(thickness t: Double, lateral: [Double]) -> Mesh {
        Mesh.tensorProduct(thicknesses: [t], specs: [LayerMeshSpec(cells: 7, growth: 1.3)], lateral: lateral)
    }

    /// Graded face coordinates from 0 to `length` with `cells` cells (ratio r).
    func graded(_ length: Double, cells: Int, ratio: Double) -> [Double] {
        let w = (0..<cells).map { pow(ratio, Double($0)) }
        let total = w.reduce(0, +)
        var x = [0.0]
        for v in w { x.append(x.last! + v * length / total) }
        x[cells] = length
        return x
    }

    @Test("a uniform strip: G = σ t / L per metre of depth, to 1e-10 (the issue asks 1e-6)")
    func uniform() throws {
        let (t, L, s) = (50e-9, 2e-6, 3.7e3)
        let mesh = strip(thickness: t, lateral: graded(L, cells: 23, ratio: 1.1))
        let g = try ElectronicConduction.conductance(
            mesh: mesh, sigma: [Double](repeating: s, count: mesh.cellCount), source: "left", drain: "right")
        #expect(abs(g - s * t / L) < 1e-10 * s * t / L, "G = \(g), expected \(s * t / L)")
    }

    @Test("two sections in series: G = t / (L1/σ1 + L2/σ2), to 1e-10, with KLU and band LU alike")
    func series() throws {
        let (t, L1, L2, s1, s2) = (40e-9, 1.2e-6, 0.5e-6, 2.0e3, 9.0e4)
        let x = graded(L1, cells: 15, ratio: 1.07) + graded(L2, cells: 9, ratio: 0.9).dropFirst().map { L1 + $0 }
        let mesh = strip(thickness: t, lateral: x)
        let sigma = (0..<mesh.cellCount).map { mesh.cellCentroid[$0].x < L1 ? s1 : s2 }
        let exact = t / (L1 / s1 + L2 / s2)
        for kind in [LinearSolverKind.klu, .band] {
            let g = try ElectronicConduction.conductance(mesh: mesh, sigma: sigma, source: "left", drain: "right", solver: kind)
            #expect(abs(g - exact) < 1e-10 * exact, "\(kind): G = \(g), expected \(exact)")
        }
    }

    @Test("only conducting cells carry current: a strip beside an insulator conducts as the strip alone")
    func insulatorBeside() throws {
        // Two layers: an insulator (σ = 0) on top of a conducting channel.
        let (tc, ti, L, s) = (30e-9, 70e-9, 1e-6, 1.0e4)
        let mesh = Mesh.tensorProduct(thicknesses: [ti, tc], specs: [.uniform(5), .uniform(6)], lateral: graded(L, cells: 12, ratio: 1))
        let sigma = (0..<mesh.cellCount).map { mesh.cellRegion[$0] == 1 ? s : 0 }
        let g = try ElectronicConduction.conductance(mesh: mesh, sigma: sigma, source: "left", drain: "right")
        #expect(abs(g - s * tc / L) < 1e-10 * s * tc / L)
        #expect(throws: ElectronicConduction.Failure.noContact("first")) {
            try ElectronicConduction.conductance(mesh: mesh, sigma: sigma, source: "first", drain: "right")
        }
    }
}
