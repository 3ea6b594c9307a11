public import IonicsLinearAlgebra

/// What an unknown is, for damping and error weights.
public enum UnknownKind: Sendable, Equatable {
    /// An electric potential in thermal voltages: Newton updates are limited to a few.
    case potential
    /// A concentration or density: kept positive.
    case density
    /// A density with an upper bound (a host's c_max in scaled units): kept inside (0, bound).
    case bounded(Double)
    /// Anything else (global unknowns, electrochemical potentials …).
    case free
}

/// A nonlinear system F(u) = 0. Its Jacobian is assembled into a ``SparseMatrix`` of
/// the system's fixed ``SparsityPattern``; which linear solver factors it is Newton's
/// choice (``LinearSolverKind``), not the system's.
public protocol NonlinearSystem {
    var size: Int { get }
    var unknownKinds: [UnknownKind] { get }
    /// Where the Jacobian's nonzeros may be (fixed for the system's lifetime).
    var sparsity: SparsityPattern { get }
    /// Writes F(u) into `residual` and, when `jacobian` is non-nil, ∂F/∂u into it
    /// (overwriting every entry).
    func evaluate(_ u: [Double], residual: inout [Double], jacobian: inout SparseMatrix?) throws
    /// A human description of unknown (= equation row) `index`: the equation and where
    /// it lives, e.g. "Poisson at cell 12 (layer electrolyte, y = 3.1 nm)".
    func describe(row index: Int) -> String
    /// Name of the equation family of row `index` ("Poisson", "H+", …), for grouping
    /// residual norms in reports.
    func equationName(row index: Int) -> String
    /// A number that identifies the Jacobian's parametric form, such as the βh of an
    /// implicit stage: Newton may reuse a factorisation made for a system with a close
    /// key (NaN: never reuse across solves).
    var jacobianKey: Double { get }
}

extension NonlinearSystem {
    public var jacobianKey: Double { .nan }
}

/// A differential–algebraic system M·du/dt = f(u, t) with a diagonal mass matrix M
/// (M_ii = 0 marks an algebraic equation) and time in seconds.
public protocol DifferentialAlgebraicSystem {
    var size: Int { get }
    var unknownKinds: [UnknownKind] { get }
    /// Diagonal of M.
    var mass: [Double] { get }
    /// Where the Jacobian's nonzeros may be (fixed for the system's lifetime).
    var sparsity: SparsityPattern { get }
    /// Writes f(u, t) and, when requested, ∂f/∂u.
    func evaluate(_ u: [Double], time: Double, f: inout [Double], jacobian: inout SparseMatrix?) throws
    func describe(row index: Int) -> String
    func equationName(row index: Int) -> String
}

/// Error weights w_i = absolute(kind_i) + relative·|u_i| of the scaled unknowns, shared
/// by Newton's convergence test and the integrator's local-error control.
public struct ErrorWeights: Sendable, Equatable {
    public var relative: Double
    public var absolutePotential: Double
    public var absoluteDensity: Double
    public var absoluteFree: Double

    public init(relative: Double, absolutePotential: Double, absoluteDensity: Double, absoluteFree: Double) {
        self.relative = relative
        self.absolutePotential = absolutePotential
        self.absoluteDensity = absoluteDensity
        self.absoluteFree = absoluteFree
    }

    /// The absolute tolerance of an unknown of `kind`.
    @inlinable
    public func absolute(_ kind: UnknownKind) -> Double {
        switch kind {
        case .potential: return absolutePotential
        case .density, .bounded: return absoluteDensity
        case .free: return absoluteFree
        }
    }
}

/// A Jacobian's storage and the linear solver that factors it, kept across Newton
/// solves of systems with the same sparsity pattern (the solver's analysis of the
/// pattern is done once, when the workspace is made).
public final class JacobianWorkspace {
    public let pattern: SparsityPattern
    /// The matrix assemblies write into (nil only while being assembled elsewhere).
    public var matrix: SparseMatrix?
    public let solver: any LinearSolver
    public let kind: LinearSolverKind
    /// The ``NonlinearSystem/jacobianKey`` of the system whose Jacobian the solver holds
    /// factorised (nil: none, or a factorisation that failed).
    public var factoredKey: Double?

    public init(pattern: SparsityPattern, kind: LinearSolverKind) throws(LinearAlgebraError) {
        self.pattern = pattern
        self.kind = kind.resolved(for: pattern)
        matrix = SparseMatrix(pattern: pattern)
        solver = try self.kind.make(pattern: pattern)
    }

    /// Solves J·x = b with the last factorisation.
    public func solve(_ b: inout [Double]) { solver.solve(&b) }
}

