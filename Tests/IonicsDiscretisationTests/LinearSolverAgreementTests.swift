import Foundation
import IonicsDiscretisation
import IonicsLinearAlgebra
import IonicsPhysics
import IonicsSolvers
import IonicsVerification
import Testing

/// The band LU (LAPACKE) and the sparse LUs (KLU, UMFPACK) are interchangeable: the same 1D
/// problems solved with each agree to 1e-10, so the choice is one of speed only.
@Suite("Band and sparse linear solvers give the same solutions")
struct LinearSolverAgreementTests {
    func maxRelativeDifference(_ a: [Double], _ b: [Double]) -> Double {
        let scale = max(a.map(abs).max()!, 1e-300)
        return zip(a, b).map { abs($0 - $1) }.max()! / scale
    }

    @Test("equilibrium of the every-term problem (Poisson, steric ions, reservoir, Stern wall)")
    func equilibrium() throws {
        let (problem, mesh) = JacobianCase.everyTermProblem(steric: true)
        var solutions: [[Double]] = []
        for kind in [LinearSolverKind.band, .klu, .umfpack] {
            var options = NewtonOptions()
            options.relative = 1e-12
            options.absolutePotential = 1e-12
            options.absoluteDensity = 1e-14
            options.linearSolver = kind
            solutions.append(try EquilibriumProblem(problem: problem, mesh: mesh).solve(options: options))
        }
        #expect(maxRelativeDifference(solutions[0], solutions[1]) < 1e-10)
        #expect(maxRelativeDifference(solutions[0], solutions[2]) < 1e-10)
    }

    @Test("charging of a blocking cell by a 10 V_T step: TR-BDF2 states after 40 fixed steps")
    func charging() throws {
        var cell = BlockingCell()
        cell.halfWidth = 20
        cell.cells = 160
        let d = try PNPDiscretisation(problem: cell.problem(voltage: 10 * cell.vt), mesh: cell.mesh())
        var finals: [[Double]] = []
        var charges: [[Double]] = []
        for kind in [LinearSolverKind.band, .klu, .umfpack] {
            var options = TimeIntegratorOptions()
            options.fixedStep = 0.025 * cell.chargingTime
            options.linearSolver = kind
            let integrator = TRBDF2Integrator(system: d, state: d.initialState(), time: 0, options: options)
            var q: [Double] = []
            try integrator.advance(to: cell.chargingTime, breakpoints: [Breakpoint(0, discontinuous: true)]) { r in
                q.append(try d.faceRecord(r.after, time: r.end).displacement[0])
            }
            finals.append(integrator.state)
            charges.append(q)
        }
        #expect(charges[0].count == 41)
        #expect(maxRelativeDifference(finals[0], finals[1]) < 1e-10)
        #expect(maxRelativeDifference(charges[0], charges[1]) < 1e-10)
        #expect(maxRelativeDifference(finals[0], finals[2]) < 1e-10)
        #expect(maxRelativeDifference(charges[0], charges[2]) < 1e-10)
    }
}
