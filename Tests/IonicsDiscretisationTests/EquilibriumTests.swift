import IonicsDiscretisation
import IonicsPhysics
import IonicsSolvers
import IonicsVerification
import Testing

@Suite("Equilibrium and fluxes")
struct EquilibriumTests {
    @Test("at the discrete Boltzmann equilibrium every face flux vanishes and inventories are kept")
    func zeroFlux() throws {
        let (problem0, mesh) = JacobianCase.everyTermProblem(steric: true)
        // A closed version of the every-term problem: blocking walls, no sources.
        var problem = problem0
        problem.first.species = [:]
        problem.last = Boundary(potential: SternContact(capacitance: 0.3, potential: .constant(-0.08)))
        problem.sources = nil
        let eq = try EquilibriumProblem(problem: problem, mesh: mesh)
        let u = try eq.solve()
        let d = try PNPDiscretisation(problem: problem, mesh: mesh)
        let rec = try d.faceRecord(u, time: 0)
        let scale = problem.layers.flatMap { $0.species.map { $0.diffusivity * $0.initialConcentration } }.max()! / 100e-9
        for f in mesh.faces.indices {
            for k in 0..<2 { #expect(abs(rec.flux(face: f, species: k)) < 1e-12 * scale) }
        }
        let n0 = d.inventories(d.initialState())
        let n1 = d.inventories(u)
        for k in 0..<2 { #expect(abs(n1[k] - n0[k]) / n0[k] < 1e-12) }
        // Groups: each species is one connected region, closed (no reservoir).
        #expect(eq.groups.count == 2)
        #expect(eq.groups.allSatisfy { $0.reservoir == nil })
    }
}
