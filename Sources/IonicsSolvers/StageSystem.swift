import IonicsLinearAlgebra

/// The nonlinear system of one implicit stage:
/// M_i u_i − βh·f_i(u, t) − r_i = 0 on differential rows, −f_i(u, t) = 0 on algebraic rows.
struct StageSystem<D: DifferentialAlgebraicSystem>: NonlinearSystem {
    let dae: D
    let time: Double
    let betaH: Double
    let rhs: [Double]

    var size: Int { dae.size }
    var unknownKinds: [UnknownKind] { dae.unknownKinds }
    var sparsity: SparsityPattern { dae.sparsity }
    func describe(row index: Int) -> String { dae.describe(row: index) }
    func equationName(row index: Int) -> String { dae.equationName(row: index) }
    var jacobianKey: Double { betaH }
    var monitoredQuantities: [MonitoredQuantity] { dae.monitoredQuantities }
    func monitoredValues(_ u: [Double]) -> [Double] { dae.monitoredValues(u, time: time) }

    func evaluate(_ u: [Double], residual: inout [Double], jacobian: inout SparseMatrix?) throws {
        try dae.evaluate(u, time: time, f: &residual, jacobian: &jacobian)
        let m = dae.mass
        for i in 0..<u.count {
            residual[i] = m[i] != 0 ? m[i] * u[i] - betaH * residual[i] - rhs[i] : -residual[i]
        }
        guard jacobian != nil else { return }
        // Row scales −βh (differential) and −1 (algebraic), M on the diagonal.
        var scale = [Double](repeating: -1, count: u.count)
        for i in 0..<u.count where m[i] != 0 { scale[i] = -betaH }
        jacobian!.scaleRows(by: scale, addingDiagonal: m)
    }
}
