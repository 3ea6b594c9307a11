import Foundation
import IonicsLinearAlgebra
public import IonicsSolvers

/// Compares the analytic Jacobian of a system with centred finite differences.
public enum JacobianCheck {
    /// Largest entry-wise discrepancy, each measured relative to the largest entry of
    /// its row of the analytic Jacobian: max_ij |J_ij − J^FD_ij| / max_j |J_ij|.
    /// The finite-difference step is h_j = 1e-6·max(|u_j|, 1e-3) (with unknowns of order 1
    /// in the scaled units this balances truncation, O(h²), against round-off, O(ε/h)).
    public static func relativeDiscrepancy<S: DifferentialAlgebraicSystem>(
        _ system: S, at u: [Double], time: Double
    ) throws -> (error: Double, row: Int, column: Int) {
        let n = system.size
        var analytic: SparseMatrix? = SparseMatrix(pattern: system.sparsity)
        var f = [Double](repeating: 0, count: n)
        try system.evaluate(u, time: time, f: &f, jacobian: &analytic)
        let dense = analytic!.dense()
        var rowScale = [Double](repeating: 0, count: n)
        for i in 0..<n { for j in 0..<n { rowScale[i] = max(rowScale[i], abs(dense[i, j])) } }
        var none: SparseMatrix? = nil
        var fp = f
        var fm = f
        var worst = (error: 0.0, row: 0, column: 0)
        for j in 0..<n {
            let h = 1e-6 * max(abs(u[j]), 1e-3)
            var up = u
            up[j] += h
            var um = u
            um[j] -= h
            try system.evaluate(up, time: time, f: &fp, jacobian: &none)
            try system.evaluate(um, time: time, f: &fm, jacobian: &none)
            for i in 0..<n {
                let fd = (fp[i] - fm[i]) / (2 * h)
                let e = abs(fd - dense[i, j]) / max(rowScale[i], 1e-300)
                if e > worst.error { worst = (e, i, j) }
            }
        }
        return worst
    }
}
