import Foundation
public import IonicsLinearAlgebra

/// Settings of the damped Newton iteration.
public struct NewtonOptions: Sendable {
    public var maxIterations: Int = 25
    /// Converged when every update satisfies |Δu_i| ≤ tolerance·w_i, w the error weights.
    public var tolerance: Double = 1
    /// Absolute tolerances per unknown kind (in the system's own, scaled units) and the relative one.
    public var weights = ErrorWeights(relative: 1e-8, absolutePotential: 1e-8, absoluteDensity: 1e-12, absoluteFree: 1e-10)
    public var relative: Double {
        get { weights.relative }
        set { weights.relative = newValue }
    }
    public var absolutePotential: Double {
        get { weights.absolutePotential }
        set { weights.absolutePotential = newValue }
    }
    public var absoluteDensity: Double {
        get { weights.absoluteDensity }
        set { weights.absoluteDensity = newValue }
    }
    /// Largest change of a potential unknown in one iteration (thermal voltages).
    public var maxPotentialStep: Double = 5
    /// A density may fall at most to this fraction of its value in one iteration.
    public var minimumDensityFraction: Double = 0.1
    /// Give up early when the update grows for this many iterations in a row.
    public var divergenceLimit: Int = 4

    public init() {}
}

/// What a Newton solve did.
public struct NewtonReport: Sendable {
    public var iterations: Int
    /// Weighted max-norm of the last update (≤ 1 when converged).
    public var lastUpdateNorm: Double
    /// The factorisation of the last Jacobian (reusable, e.g. for error filtering).
    public var lastFactorisation: BorderedBandLU?
}

/// Why Newton failed, with enough context to find the culprit.
public struct NewtonError: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable {
        case notConverged
        case diverged
        case singularJacobian(row: String)
        case nonFinite
        case evaluationFailed(String)
    }
    public var reason: Reason
    public var iteration: Int
    /// Max-norm of the residual per equation family.
    public var residualByEquation: [(equation: String, norm: Double)]
    /// The unknown with the largest weighted update (or the row that failed).
    public var worst: String

    public var description: String {
        let what: String
        switch reason {
        case .notConverged: what = "did not converge"
        case .diverged: what = "diverged"
        case .singularJacobian(let row): what = "singular Jacobian at \(row)"
        case .nonFinite: what = "produced a non-finite value"
        case .evaluationFailed(let m): what = "could not evaluate the equations: \(m)"
        }
        let norms = residualByEquation.map { "\($0.equation) \(String(format: "%.3e", $0.norm))" }.joined(separator: ", ")
        return "Newton \(what) at iteration \(iteration); residual max-norm by equation: [\(norms)]; worst: \(worst)"
    }
}

/// Damped Newton's method on a ``NonlinearSystem``.
///
/// Each iteration solves J·Δ = −F with the bordered band LU, then scales the whole
/// update by one factor λ ≤ 1 so that no potential moves by more than
/// `maxPotentialStep` thermal voltages (a global factor keeps the linear invariants
/// of the equations, such as species inventories, that Newton preserves exactly).
/// Densities that would still fall below `minimumDensityFraction` of their value are
/// clipped there (cf. the "positive" update of DEVSIM). Converged when the weighted
/// max-norm of a full (λ = 1, unclipped) update is ≤ `tolerance`; the update is
/// applied before returning, so the linear invariants hold to round-off.
public struct NewtonSolver {
    public var options: NewtonOptions

    public init(options: NewtonOptions = NewtonOptions()) { self.options = options }

    public func solve<S: NonlinearSystem>(
        _ system: S, from initial: [Double], jacobian: inout BorderedBandMatrix?
    ) throws(NewtonError) -> (solution: [Double], report: NewtonReport) {
        var u = initial
        let n = system.size
        let kinds = system.unknownKinds
        var residual = [Double](repeating: 0, count: n)
        if jacobian == nil { jacobian = system.makeJacobian() }
        var previousNorm = Double.infinity
        var growing = 0
        var lastWorst = 0
        for iteration in 1...max(1, options.maxIterations) {
            if jacobian == nil { jacobian = system.makeJacobian() }
            do {
                try system.evaluate(u, residual: &residual, jacobian: &jacobian)
            } catch {
                throw NewtonError(reason: .evaluationFailed("\(error)"), iteration: iteration,
                                  residualByEquation: [], worst: "")
            }
            if residual.contains(where: { !$0.isFinite }) {
                throw failure(.nonFinite, iteration, system, residual, worstRow: residual.firstIndex { !$0.isFinite })
            }
            let lu: BorderedBandLU
            do {
                // The Jacobian is given up to the factorisation (no copy); the next
                // iteration assembles into a fresh one. Newton iterates, so no refinement.
                lu = try jacobian.take()!.factorized(refinementSteps: 0, equilibrate: true)
            } catch {
                let row = error.pivot.map { system.describe(row: $0) } ?? "?"
                throw failure(.singularJacobian(row: row), iteration, system, residual, worstRow: error.pivot)
            }
            var delta = lu.solving(residual)
            for i in 0..<n { delta[i] = -delta[i] }
            if delta.contains(where: { !$0.isFinite }) {
                throw failure(.nonFinite, iteration, system, residual, worstRow: delta.firstIndex { !$0.isFinite })
            }
            var norm = 0.0
            var worst = 0
            for i in 0..<n {
                let w = options.weights.absolute(kinds[i]) + options.weights.relative * abs(u[i])
                let r = abs(delta[i]) / w
                if r > norm { norm = r; worst = i }
            }
            lastWorst = worst
            // Damping: one factor for the whole update.
            var lambda = 1.0
            for i in 0..<n where kinds[i] == .potential {
                let step = abs(delta[i])
                if step * lambda > options.maxPotentialStep { lambda = options.maxPotentialStep / step }
            }
            // A clip blocks convergence only when it moved the update by more than the
            // tolerance: a density that is already ~0 (a depleted region) and gets a
            // round-off-sized negative update is clipped harmlessly every iteration.
            var clipped = false
            for i in 0..<n {
                let full = u[i] + lambda * delta[i]
                var v = full
                switch kinds[i] {
                case .density:
                    let floor = options.minimumDensityFraction * u[i]
                    if v < floor { v = floor }
                case .bounded(let top):
                    let floor = options.minimumDensityFraction * u[i]
                    let ceiling = top - options.minimumDensityFraction * (top - u[i])
                    if v < floor { v = floor }
                    if v > ceiling { v = ceiling }
                default:
                    break
                }
                if v != full {
                    let w = options.weights.absolute(kinds[i]) + options.weights.relative * abs(u[i])
                    if abs(v - full) > options.tolerance * w { clipped = true }
                }
                u[i] = v
            }
            // Converged: the full update is below tolerance, or it has stalled (not even halving)
            // while already inside the error weights — the round-off floor of a tight tolerance.
            let stalled = iteration > 2 && norm <= max(10 * options.tolerance, 1e-2) && norm > 0.5 * previousNorm
            if (norm <= options.tolerance || stalled) && lambda == 1 && !clipped {
                return (u, NewtonReport(iterations: iteration, lastUpdateNorm: norm, lastFactorisation: lu))
            }
            // The factors' storage becomes the next Jacobian (no allocation).
            jacobian = lu.recycle()
            if norm >= previousNorm && lambda == 1 && !clipped {
                growing += 1
                if growing >= options.divergenceLimit {
                    throw failure(.diverged, iteration, system, residual, worstRow: worst)
                }
            } else {
                growing = 0
            }
            previousNorm = norm
        }
        try? system.evaluate(u, residual: &residual, jacobian: &jacobian)
        throw failure(.notConverged, options.maxIterations, system, residual, worstRow: lastWorst,
                      note: String(format: "last weighted update %.3g", previousNorm))
    }

    func failure<S: NonlinearSystem>(
        _ reason: NewtonError.Reason, _ iteration: Int, _ system: S, _ residual: [Double], worstRow: Int?, note: String = ""
    ) -> NewtonError {
        var byName: [String: Double] = [:]
        var order: [String] = []
        for i in residual.indices {
            let name = system.equationName(row: i)
            if byName[name] == nil { order.append(name) }
            byName[name] = max(byName[name] ?? 0, abs(residual[i]).isFinite ? abs(residual[i]) : .infinity)
        }
        return NewtonError(
            reason: reason, iteration: iteration, residualByEquation: order.map { ($0, byName[$0]!) },
            worst: (worstRow.map { system.describe(row: $0) } ?? "?") + (note.isEmpty ? "" : " (\(note))"))
    }
}
