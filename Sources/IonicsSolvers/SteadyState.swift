public import IonicsLinearAlgebra

/// The steady state f(u, t) = 0 of a differential–algebraic system at a fixed time,
/// as a nonlinear system (every row algebraic).
public struct SteadyStateSystem<D: DifferentialAlgebraicSystem>: NonlinearSystem {
    public let dae: D
    public let time: Double

    public init(_ dae: D, time: Double = 0) {
        self.dae = dae
        self.time = time
    }

    public var size: Int { dae.size }
    public var unknownKinds: [UnknownKind] { dae.unknownKinds }
    public var sparsity: SparsityPattern { dae.sparsity }
    public func describe(row index: Int) -> String { dae.describe(row: index) }
    public func equationName(row index: Int) -> String { dae.equationName(row: index) }
    public func evaluate(_ u: [Double], residual: inout [Double], jacobian: inout SparseMatrix?) throws {
        try dae.evaluate(u, time: time, f: &residual, jacobian: &jacobian)
    }
}
