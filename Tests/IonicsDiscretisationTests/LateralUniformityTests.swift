import Foundation
import IonicsDiscretisation
import IonicsLinearAlgebra
import IonicsPhysics
import IonicsSolvers
import IonicsVerification
import Testing

/// The assembly is mesh-generic: a 2D tensor-product mesh of a laterally uniform stack,
/// closed at its lateral sides, carries no lateral flux, so every column of cells must
/// reproduce the 1D solution (to the solvers' tolerance: a different linear solver, KLU,
/// and another ordering of the unknowns).
@Suite("A laterally uniform 2D stack equals the 1D stack")
struct LateralUniformityTests {
    static let lateral = [0, 20e-9, 45e-9, 100e-9]

    func cell() -> BlockingCell {
        var cell = BlockingCell()
        cell.halfWidth = 10
        cell.cells = 80
        cell.smallest = 0.02
        return cell
    }

    func meshes(_ cell: BlockingCell) -> (Mesh, Mesh) {
        let spec = [LayerMeshSpec(cells: cell.cells, smallest: cell.smallest * cell.lambda)]
        let thickness = [2 * cell.halfWidth * cell.lambda]
        return (Mesh.stack(thicknesses: thickness, specs: spec),
                Mesh.tensorProduct(thicknesses: thickness, specs: spec, lateral: Self.lateral))
    }

    /// Largest difference between the 2D state's columns and the 1D state, per unknown
    /// kind relative to the 1D field's largest magnitude.
    func columnDifference(_ d1: PNPDiscretisation, _ u1: [Double], _ d2: PNPDiscretisation, _ u2: [Double]) -> Double {
        let nx = Self.lateral.count - 1
        let ny = d1.mesh.cellCount
        let phiScale = (0..<ny).map { abs(u1[d1.layout.potential[$0]]) }.max()!
        let cScale = (0..<ny).map { j in (0..<2).map { abs(u1[d1.layout.concentration(j, $0)]) }.max()! }.max()!
        var worst = 0.0
        for j in 0..<ny {
            for i in 0..<nx {
                let c = j * nx + i
                worst = max(worst, abs(u2[d2.layout.potential[c]] - u1[d1.layout.potential[j]]) / phiScale)
                for k in 0..<2 {
                    worst = max(worst, abs(u2[d2.layout.concentration(c, k)] - u1[d1.layout.concentration(j, k)]) / cScale)
                }
            }
        }
        return worst
    }

    @Test("biased equilibrium: φ and both concentrations in every column agree with 1D to 1e-10")
    func equilibrium() throws {
        let cell = cell()
        let problem = cell.problem(voltage: 4 * cell.vt)
        let (m1, m2) = meshes(cell)
        var options = NewtonOptions()
        options.relative = 1e-12
        options.absolutePotential = 1e-12
        options.absoluteDensity = 1e-14
        let u1 = try EquilibriumProblem(problem: problem, mesh: m1, time: 1).solve(options: options)
        let u2 = try EquilibriumProblem(problem: problem, mesh: m2, time: 1).solve(options: options)
        let d1 = try PNPDiscretisation(problem: problem, mesh: m1)
        let d2 = try PNPDiscretisation(problem: problem, mesh: m2)
        #expect(d2.sparsity.size == 3 * d1.sparsity.size)
        #expect(columnDifference(d1, u1, d2, u2) < 1e-10)
    }

    @Test("charging after a 4 V_T step: states and electrode charge per face agree with 1D to 1e-8")
    func charging() throws {
        let cell = cell()
        let problem = cell.problem(voltage: 4 * cell.vt)
        let (m1, m2) = meshes(cell)
        let d1 = try PNPDiscretisation(problem: problem, mesh: m1)
        let d2 = try PNPDiscretisation(problem: problem, mesh: m2)
        var states: [[Double]] = []
        var steps: [Int] = []
        for d in [d1, d2] {
            let integrator = TRBDF2Integrator(system: d, state: d.initialState(), time: 0, options: TimeIntegratorOptions())
            try integrator.advance(to: 2 * cell.chargingTime, breakpoints: [Breakpoint(0, discontinuous: true)]) { _ in }
            states.append(integrator.state)
            steps.append(integrator.statistics.steps)
        }
        #expect(steps[0] == steps[1], "steps 1D \(steps[0]), 2D \(steps[1])")
        #expect(columnDifference(d1, states[0], d2, states[1]) < 1e-8)
        // The electrode charge (C/m²) on each of the 2D mesh's first faces is the 1D one.
        let q1 = try d1.faceRecord(states[0], time: 2 * cell.chargingTime).displacement[m1.boundaryFace(.first)]
        let r2 = try d2.faceRecord(states[1], time: 2 * cell.chargingTime)
        let first = m2.faces(tagged: "first")
        #expect(first.count == Self.lateral.count - 1)
        for f in first { #expect(abs(r2.displacement[f] - q1) < 1e-8 * abs(q1), "face \(f)") }
        // No displacement and no species flux through the closed lateral sides.
        for f in m2.faces(tagged: "left") + m2.faces(tagged: "right") { #expect(r2.displacement[f] == 0) }
    }
}
