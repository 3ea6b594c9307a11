import Foundation
import IonicsDiscretisation
import IonicsLinearAlgebra
import IonicsPhysics
import IonicsSolvers
import IonicsVerification
import Testing

/// The lateral diffusivity factor of a species (``SpeciesInLayer/lateralDiffusivityFactor``)
/// scales the Scharfetter–Gummel flux through x-normal faces only — for a constant D and
/// for a host's D(θ) alike — and leaves y-normal faces, the field and 1D stacks as they
/// were. The MMS (`mms-2d-*`) and the lateral front (`2d-front`) check the factor against
/// exact solutions; these tests check where it acts.
@Suite("Anisotropic (in-plane) diffusivity")
struct AnisotropicDiffusivityTests {
    static let lateral = [0, 15e-9, 40e-9, 50e-9, 80e-9]

    /// A two-layer ±1 electrolyte (Poisson on) with per-species lateral factors.
    func electrolyte(factors: [Double]) -> PNPProblem {
        func species(_ d: [Double], _ c: Double) -> [SpeciesInLayer] {
            (0..<2).map { SpeciesInLayer(species: $0, diffusivity: d[$0], initialConcentration: c, lateralDiffusivityFactor: factors[$0]) }
        }
        return PNPProblem(
            species: [Species(name: "+", charge: 1), Species(name: "−", charge: -1)],
            layers: [LayerPhysics(name: "a", thickness: 30e-9, permittivity: 20, species: species([1e-10, 3e-10], 2), fixedCharge: -0.5),
                     LayerPhysics(name: "b", thickness: 40e-9, permittivity: 60, species: species([2e-10, 1e-10], 1))],
            first: Boundary(potential: IdealMetalContact(potential: .constant(0.02))), last: Boundary(potential: IdealMetalContact(potential: .constant(-0.01))))
    }

    /// A neutral host whose D(θ) rises with the filling.
    func host(factor: Double) throws -> PNPProblem {
        let cmax = 5e4
        let h = HostProperties(maximumConcentration: cmax, openCircuit: OpenCircuitPotential(standard: 0.1, interaction: 0.05),
                               diffusivity: try MonotoneTable(x: [0, 0.5, 1], y: [1e-15, 4e-15, 9e-15]))
        let layer = LayerPhysics(name: "host", thickness: 60e-9, permittivity: 10, electrostatics: .none,
                                 species: [SpeciesInLayer(species: 0, diffusivity: 9e-15, initialConcentration: 0.3 * cmax,
                                                          lateralDiffusivityFactor: factor)],
                                 host: h)
        return PNPProblem(species: [Species(name: "H", charge: 1)], layers: [layer],
                          first: Boundary.closed, last: Boundary.closed)
    }

    func mesh(_ problem: PNPProblem) -> Mesh {
        Mesh.tensorProduct(thicknesses: problem.layers.map(\.thickness),
                           specs: problem.layers.map { _ in LayerMeshSpec(cells: 3, growth: 1.3) }, lateral: Self.lateral)
    }

    /// A state with gradients in x and y in every unknown (deterministic).
    func state(_ d: PNPDiscretisation) -> [Double] {
        var u = d.initialState()
        for i in 0..<d.mesh.cellCount {
            let x = d.mesh.cellCentroid[i].x / 80e-9, y = d.mesh.cellCentroid[i].y / 70e-9
            if d.layout.potential[i] >= 0 { u[d.layout.potential[i]] = 0.8 * sin(2 * x + 1) * cos(3 * y) }
            for k in 0..<d.layout.speciesCount(i) {
                u[d.layout.concentration(i, k)] *= 1 + 0.3 * sin(3 * x + Double(k)) * cos(2 * y + 0.5)
            }
        }
        return u
    }

    /// Per face: the fluxes of both discretisations and whether the face is x-normal.
    func fluxes(_ iso: PNPDiscretisation, _ aniso: PNPDiscretisation) throws -> (PNPDiscretisation.FaceRecord, PNPDiscretisation.FaceRecord) {
        let u = state(iso)
        return (try iso.faceRecord(u, time: 0), try aniso.faceRecord(u, time: 0))
    }

    @Test("electrolyte: x-normal fluxes scale by each species' factor, y-normal fluxes and the field do not change")
    func electrolyteFluxes() throws {
        let factors = [2.5, 0.3]
        let p = electrolyte(factors: [1, 1])
        let m = mesh(p)
        let (r1, r2) = try fluxes(try PNPDiscretisation(problem: p, mesh: m),
                                  try PNPDiscretisation(problem: electrolyte(factors: factors), mesh: m))
        var lateralFaces = 0
        for f in 0..<m.faceCount where m.faceCellB[f] >= 0 {
            let isX = abs(m.faceNormal[f].x) > 0.5
            if isX { lateralFaces += 1 }
            for k in 0..<2 {
                let (j1, j2) = (r1.flux(face: f, species: k), r2.flux(face: f, species: k))
                #expect(j1 != 0)
                if isX {
                    #expect(abs(j2 - factors[k] * j1) <= 1e-14 * abs(factors[k] * j1), "face \(f) species \(k)")
                } else {
                    #expect(j2 == j1, "face \(f) species \(k)")
                }
            }
            #expect(r2.displacement[f] == r1.displacement[f])
        }
        #expect(lateralFaces == 3 * 6)
    }

    @Test("host: the factor multiplies D(θ) on x-normal faces")
    func hostFluxes() throws {
        let p = try host(factor: 1)
        let m = mesh(p)
        let (r1, r2) = try fluxes(try PNPDiscretisation(problem: p, mesh: m), try PNPDiscretisation(problem: try host(factor: 4), mesh: m))
        for f in 0..<m.faceCount where m.faceCellB[f] >= 0 {
            let (j1, j2) = (r1.flux(face: f, species: 0), r2.flux(face: f, species: 0))
            #expect(j1 != 0)
            if abs(m.faceNormal[f].x) > 0.5 {
                #expect(abs(j2 - 4 * j1) <= 1e-14 * abs(4 * j1), "face \(f)")
            } else {
                #expect(j2 == j1, "face \(f)")
            }
        }
    }

    @Test("analytic Jacobian of anisotropic 2D problems against finite differences")
    func jacobian() throws {
        for p in [electrolyte(factors: [2.5, 0.3]), try host(factor: 4)] {
            let d = try PNPDiscretisation(problem: p, mesh: mesh(p))
            let check = try JacobianCheck.relativeDiscrepancy(d, at: state(d), time: 0)
            #expect(check.error < 1e-6, "\(check)")
        }
    }

    @Test("a 1D stack has no x-normal face: its residual is bit-identical with any factor")
    func oneDimensional() throws {
        let p1 = electrolyte(factors: [1, 1])
        let m = Mesh.stack(thicknesses: [30e-9, 40e-9], specs: [LayerMeshSpec(cells: 7, growth: 1.2), .uniform(9)])
        let d1 = try PNPDiscretisation(problem: p1, mesh: m)
        let d2 = try PNPDiscretisation(problem: electrolyte(factors: [3, 0.2]), mesh: m)
        let u = state(d1)
        var f1 = [Double](repeating: 0, count: d1.size), f2 = f1
        var none: SparseMatrix? = nil
        try d1.evaluate(u, time: 0, f: &f1, jacobian: &none)
        try d2.evaluate(u, time: 0, f: &f2, jacobian: &none)
        #expect(f1 == f2)
    }

    @Test("a factor that is not finite and positive is a problem of the layer", arguments: [0.0, -1, .infinity, .nan])
    func validation(_ factor: Double) {
        let issues = electrolyte(factors: [1, factor]).validate()
        #expect(issues.count == 2 && issues.allSatisfy { $0.contains("lateral diffusivity factor") }, "\(issues)")
    }
}
