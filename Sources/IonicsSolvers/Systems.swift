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

/// A nonlinear system F(u) = 0 whose Jacobian is a bordered band matrix.
public protocol NonlinearSystem {
    var size: Int { get }
    var unknownKinds: [UnknownKind] { get }
    /// A zeroed matrix of the Jacobian's shape.
    func makeJacobian() -> BorderedBandMatrix
    /// Writes F(u) into `residual` and, when `jacobian` is non-nil, ∂F/∂u into it
    /// (overwriting every entry).
    func evaluate(_ u: [Double], residual: inout [Double], jacobian: inout BorderedBandMatrix?) throws
    /// A human description of unknown (= equation row) `index`: the equation and where
    /// it lives, e.g. "Poisson at cell 12 (layer electrolyte, y = 3.1 nm)".
    func describe(row index: Int) -> String
    /// Name of the equation family of row `index` ("Poisson", "H+", …), for grouping
    /// residual norms in reports.
    func equationName(row index: Int) -> String
}

/// A differential–algebraic system M·du/dt = f(u, t) with a diagonal mass matrix M
/// (M_ii = 0 marks an algebraic equation) and time in seconds.
public protocol DifferentialAlgebraicSystem {
    var size: Int { get }
    var unknownKinds: [UnknownKind] { get }
    /// Diagonal of M.
    var mass: [Double] { get }
    func makeJacobian() -> BorderedBandMatrix
    /// Writes f(u, t) and, when requested, ∂f/∂u.
    func evaluate(_ u: [Double], time: Double, f: inout [Double], jacobian: inout BorderedBandMatrix?) throws
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
