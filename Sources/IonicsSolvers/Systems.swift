public import IonicsLinearAlgebra

/// What an unknown is, for damping and error weights.
public enum UnknownKind: Sendable, Equatable {
    /// An electric potential in thermal voltages: Newton updates are limited to a few.
    case potential
    /// A concentration or density: kept positive.
    case density
    /// A density with an upper bound (a host's c_max in scaled units): kept inside (0, bound).
    case bounded(Double)
    /// A charge divided by a reference capacitance, so that it reads as a potential in
    /// thermal voltages: weighted with the potentials' absolute tolerance (an error of
    /// absolutePotential·C_ref), never clipped or damped.
    case charge
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
    /// Quantities users read (see ``MonitoredQuantity``): Newton's updates of them are
    /// held to the readout tolerance as well.
    var monitoredQuantities: [MonitoredQuantity] { get }
    func monitoredValues(_ u: [Double]) -> [Double]
}

extension NonlinearSystem {
    public var jacobianKey: Double { .nan }
    public var monitoredQuantities: [MonitoredQuantity] { [] }
    public func monitoredValues(_ u: [Double]) -> [Double] { [] }
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
    /// Linear functionals of the state that users read (the charge on an electrode is
    /// one): the integrator holds their local error to the tolerances as well.
    var monitoredQuantities: [MonitoredQuantity] { get }
    /// The monitored quantities' values at (u, t), in the order of ``monitoredQuantities``.
    func monitoredValues(_ u: [Double], time: Double) -> [Double]
}

extension DifferentialAlgebraicSystem {
    public var monitoredQuantities: [MonitoredQuantity] { [] }
    public func monitoredValues(_ u: [Double], time: Double) -> [Double] { [] }
}

/// A quantity q(u, t) = Σ_k c_k u_k + b(t) that users read from the solution, such as
/// the diffuse-layer charge on an electrode (q = g·(V(t) − φ_a), a difference of two
/// potentials a few hundredths of a thermal voltage apart on fine meshes). Weighting
/// the unknowns alone lets such a quantity err by far more than the relative tolerance:
/// the potentials' error weights are set by their size, not by their difference. The
/// integrator therefore adds |Σ c_k e_k| / w to the local error norm, e the local error
/// estimate, with w = r·(r·absolutePotential·`scale` + relative·|q|), r the
/// ``ErrorWeights/readoutRatio``; Newton's updates are measured the same way.
public struct MonitoredQuantity: Sendable, Equatable {
    /// Indices of the unknowns and coefficients c_k of the linear part.
    public var indices: [Int]
    public var coefficients: [Double]
    /// The quantity's change per thermal voltage (e.g. an electrode's reference
    /// capacitance): its absolute tolerance is the potentials' times this.
    public var scale: Double
    /// When set, q/`scale` is weighted as an unknown of this kind would be
    /// (``ErrorWeights/weight(_:size:)``): a terminal's electrode charge that the state
    /// determines (a terminal held at a voltage has no charge unknown) keeps exactly the
    /// error control the charge unknown had. nil: the readout weight below.
    public var weightedAs: UnknownKind?

    public init(indices: [Int], coefficients: [Double], scale: Double, weightedAs: UnknownKind? = nil) {
        precondition(indices.count == coefficients.count)
        self.indices = indices
        self.coefficients = coefficients
        self.scale = scale
        self.weightedAs = weightedAs
    }

    /// The error weight of the quantity at value `q`.
    @inlinable
    public func weight(_ q: Double, _ weights: ErrorWeights) -> Double {
        if let kind = weightedAs { return scale * weights.weight(kind, size: abs(q) / scale) }
        return weights.readoutRatio * (weights.readoutRatio * weights.absolutePotential * scale + weights.relative * abs(q))
    }

    /// Σ c_k v_k.
    @inlinable
    public func apply(_ v: [Double]) -> Double {
        var s = 0.0
        for (i, c) in zip(indices, coefficients) { s += c * v[i] }
        return s
    }
}

/// Error weights w_i = absolute(kind_i) + relative(kind_i)·|u_i| of the scaled unknowns,
/// shared by Newton's convergence test and the integrator's local-error control.
public struct ErrorWeights: Sendable, Equatable {
    /// Relative tolerance of the fields (potentials, densities, anything but charges).
    public var relative: Double
    /// The quantities users read are held tighter than the fields by this ratio r:
    /// ``MonitoredQuantity`` values (the charge of electrodes held at a fixed potential)
    /// with weight r·(r·absolutePotential·scale + relative·|q|), terminal charges with
    /// absolutePotential + r·relative·|u| (their absolute part stays that of a potential
    /// across C_ref: tightening it too doubled the steps of the default device run
    /// without changing any of its figures).
    public var readoutRatio: Double
    public var absolutePotential: Double
    public var absoluteDensity: Double
    public var absoluteFree: Double

    public init(relative: Double, readoutRatio: Double = 1, absolutePotential: Double, absoluteDensity: Double, absoluteFree: Double) {
        self.relative = relative
        self.readoutRatio = readoutRatio
        self.absolutePotential = absolutePotential
        self.absoluteDensity = absoluteDensity
        self.absoluteFree = absoluteFree
    }

    /// The weight of an unknown of `kind` and size `size` (|u|, or the larger of two).
    @inlinable
    public func weight(_ kind: UnknownKind, size: Double) -> Double {
        if case .charge = kind { return absolutePotential + readoutRatio * relative * size }
        return absolute(kind) + relative * size
    }

    /// The absolute tolerance of an unknown of `kind`.
    @inlinable
    public func absolute(_ kind: UnknownKind) -> Double {
        switch kind {
        case .potential, .charge: return absolutePotential
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

