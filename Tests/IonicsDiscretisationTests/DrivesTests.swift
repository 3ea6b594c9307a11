import Foundation
import IonicsDiscretisation
import IonicsLinearAlgebra
import IonicsSolvers
import IonicsVerification
import Testing

/// Drives are data: one discretisation evaluated under different drives keeps no trace of
/// an earlier evaluation, and the drives decide the mass matrix and the terminal rows.
@Suite("Drives as data")
struct DrivesTests {
    @Test("evaluations under drives A, B, A agree bit for bit with A; the drives decide mass and terminal rows")
    func independent() throws {
        let (problem, mesh) = JacobianCase.deviceProblems()[0]
        let d = try PNPDiscretisation(problem: problem, mesh: mesh)
        #expect(problem.terminals.count == 2)
        let a = d.driven(by: Drives(controls: [.currentDensity(3), .voltage(0.01)], segment: 1))
        let b = d.driven(by: Drives(controls: [.voltage(0.05), .voltage(0.01)], segment: 2))
        let u = d.initialState()
        func evaluate(_ s: DrivenPNP) throws -> ([Double], [Double]) {
            var f = [Double](repeating: 0, count: s.size)
            var j: SparseMatrix? = SparseMatrix(pattern: s.sparsity)
            try s.evaluate(u, time: 0.1, f: &f, jacobian: &j)
            return (f, j!.values)
        }
        let first = try evaluate(a)
        let other = try evaluate(b)
        let again = try evaluate(a)
        #expect(first.0 == again.0)
        #expect(first.1 == again.1)
        #expect(first.0 != other.0)
        // Current control makes the first terminal's charge row differential; voltage control does not.
        let charge = try #require(d.layout.terminalCharge(0))
        #expect(a.mass[charge] > 0)
        #expect(b.mass[charge] == 0)
        #expect(d.mass[charge] == 0)
    }

    @Test("after a face record, residual-only evaluations return what a fresh assembly does, at that point and elsewhere")
    func residualAfterRecord() throws {
        let (problem, mesh) = JacobianCase.deviceProblems()[0]
        let d = try PNPDiscretisation(problem: problem, mesh: mesh)
        let fresh = try PNPDiscretisation(problem: problem, mesh: mesh)
        let drives = [Drives(controls: [.currentDensity(3), .voltage(0.01)], segment: 1),
                      Drives(controls: [.voltage(0.05), .voltage(0.01)], segment: 2),
                      Drives(controls: [.voltage(0.05), .voltage(0.02)])]
        let u = d.initialState()
        var v = u
        for i in v.indices { v[i] *= 1 + 1e-3 * Double(i % 5) }
        func residual(_ d: PNPDiscretisation, _ drives: Drives, _ u: [Double], _ t: Double) throws -> [Double] {
            var f = [Double](repeating: 0, count: d.size)
            var none: SparseMatrix? = nil
            try d.driven(by: drives).evaluate(u, time: t, f: &f, jacobian: &none)
            return f
        }
        for dr in drives {
            _ = try d.faceRecord(u, time: 0.1, drives: dr)
            _ = try d.faceRecord(v, time: 0.2, drives: dr)
            for (state, t) in [(u, 0.1), (v, 0.2), (u, 0.2), (v, 0.1)] {
                #expect(try residual(d, dr, state, t) == residual(fresh, dr, state, t))
            }
            // Other drives at the same point are not served the record's residual.
            for other in drives where other.segment != dr.segment || other.controls.count != dr.controls.count {
                #expect(try residual(d, other, u, 0.1) == residual(fresh, other, u, 0.1))
            }
        }
    }
}
