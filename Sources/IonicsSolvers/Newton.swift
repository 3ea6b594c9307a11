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
    /// Which linear solver factors the Jacobians.
    public var linearSolver: LinearSolverKind = .automatic
    /// Modified Newton: keep the factorised Jacobian across iterations, and across
    /// solves of systems whose ``NonlinearSystem/jacobianKey`` differs by less than
    /// `reuseKeyTolerance` (relative), while the updates contract by at least
    /// `reuseContraction` per iteration; otherwise refresh it (cf. the Jacobian reuse
    /// of CVODE, Hindmarsh et al., ACM TOMS 31, 363 (2005)).
    public var reuseJacobian = false
    public var reuseContraction = 0.25
    public var reuseKeyTolerance = 0.25
    /// Full Newton whose verifying iteration is a chord step: after a fresh, undamped,
    /// unclipped update the next iteration evaluates the residual only and solves with
    /// the same factors, and the solve has converged when the contraction ρ of those two
    /// updates gives ρ/(1 − ρ)·‖Δ‖ ≤ `chordTarget`·tolerance (Hairer & Wanner, *Solving
    /// ODEs II*, §IV.8); otherwise the next iteration is fresh again. Near the root
    /// ρ ~ K·‖Δ‖ (K the quadratic convergence constant) is tiny, so the result is as exact
    /// as full Newton's while the verifying iteration skips the Jacobian assembly and
    /// factorisation. Ignored with `reuseJacobian`.
    public var chordVerification = false
    /// A chord step converges when its estimated remaining error ρ/(1 − ρ)·‖Δ‖ is at most
    /// this fraction of `tolerance`: 1e-6 keeps the stage equations solved as tightly as a
    /// second full-Newton iteration leaves them (Kirchhoff's law across the faces of a
    /// step holds to 1e-9 of the current, `TwoTerminalElectronTransportTests`); at 1e-3 it
    /// would not.
    public var chordTarget: Double = 1e-6

    public init() {}
}

/// What a Newton solve did.
public struct NewtonReport: Sendable {
    public var iterations: Int
    /// Jacobians assembled and factorised (≤ iterations; fewer when reused).
    public var factorisations: Int = 0
    /// Weighted max-norm of the last update (≤ the tolerance when converged, up to 10× it
    /// when accepted as stalled at the round-off floor).
    public var lastUpdateNorm: Double
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
/// Each iteration solves J·Δ = −F with the workspace's linear solver, then scales the whole
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

    /// Solves from `initial`. `workspace` holds the Jacobian storage and the linear
    /// solver (made on first use and kept for later solves of systems with the same
    /// pattern); on return it holds the factorisation of the last Jacobian, which a
    /// caller may reuse (e.g. the integrator's error filter).
    public func solve<S: NonlinearSystem>(
        _ system: S, from initial: [Double], workspace: inout JacobianWorkspace?
    ) throws(NewtonError) -> (solution: [Double], report: NewtonReport) {
        var u = initial
        let n = system.size
        let kinds = system.unknownKinds
        var residual = [Double](repeating: 0, count: n)
        if workspace == nil || workspace!.pattern != system.sparsity {
            do {
                workspace = try JacobianWorkspace(pattern: system.sparsity, kind: options.linearSolver)
            } catch {
                throw NewtonError(reason: .evaluationFailed("\(error)"), iteration: 0, residualByEquation: [], worst: "")
            }
        }
        let ws = workspace!
        let key = system.jacobianKey
        let monitored = system.monitoredQuantities
        // A factorisation from an earlier solve serves if its system was close enough.
        var reuse = options.reuseJacobian && ws.factoredKey.map { old in
            key.isFinite && old.isFinite && abs(key - old) <= options.reuseKeyTolerance * max(abs(old), abs(key))
                || key == old
        } ?? false
        // Full Newton with chord verifying steps (modified Newton takes precedence).
        let chord = options.chordVerification && !options.reuseJacobian
        // The state before a chord update, to undo one that does not contract (one buffer
        // per solve, not an allocation per iteration).
        var saved = chord ? u : []
        var previousNorm = Double.infinity
        var previousFreshNorm = Double.infinity
        var growing = 0
        var lastWorst = 0
        var factorisations = 0
        var freshAt = -1
        // The previous update's norm when it was made with the current factorisation.
        var sameFactorNorm: Double?
        var iteration = 0
        while iteration < max(1, options.maxIterations) {
            iteration += 1
            do {
                var none: SparseMatrix? = nil
                if reuse {
                    try system.evaluate(u, residual: &residual, jacobian: &none)
                } else {
                    try system.evaluate(u, residual: &residual, jacobian: &ws.matrix)
                }
            } catch {
                throw NewtonError(reason: .evaluationFailed("\(error)"), iteration: iteration,
                                  residualByEquation: [], worst: "")
            }
            if residual.contains(where: { !$0.isFinite }) {
                throw failure(.nonFinite, iteration, system, residual, worstRow: residual.firstIndex { !$0.isFinite })
            }
            if !reuse {
                ws.factoredKey = nil
                do {
                    try ws.solver.factor(ws.matrix!)
                } catch {
                    if case .failed = error {
                        // Not the matrix's fault (e.g. out of memory): say what failed.
                        throw NewtonError(reason: .evaluationFailed("\(error)"), iteration: iteration, residualByEquation: [], worst: "")
                    }
                    let row = error.pivot.map { system.describe(row: $0) } ?? "?"
                    throw failure(.singularJacobian(row: row), iteration, system, residual, worstRow: error.pivot)
                }
                ws.factoredKey = key
                factorisations += 1
                freshAt = iteration
                sameFactorNorm = nil
            }
            var delta = residual
            ws.solver.solve(&delta)
            for i in 0..<n { delta[i] = -delta[i] }
            if delta.contains(where: { !$0.isFinite }) {
                throw failure(.nonFinite, iteration, system, residual, worstRow: delta.firstIndex { !$0.isFinite })
            }
            var norm = 0.0
            var worst = 0
            for i in 0..<n {
                let w = options.weights.weight(kinds[i], size: abs(u[i]))
                let r = abs(delta[i]) / w
                if r > norm { norm = r; worst = i }
            }
            if !monitored.isEmpty {
                let values = system.monitoredValues(u)
                for (k, q) in monitored.enumerated() {
                    norm = max(norm, abs(q.apply(delta)) / q.weight(values[k], options.weights))
                }
            }
            lastWorst = worst
            let fresh = freshAt == iteration
            if chord && !fresh { for i in 0..<n { saved[i] = u[i] } }
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
                    let w = options.weights.weight(kinds[i], size: abs(u[i]))
                    if abs(v - full) > options.tolerance * w { clipped = true }
                }
                u[i] = v
            }
            // Converged: the full update is below tolerance, or it has stalled (not even halving)
            // while already inside the error weights — the round-off floor of a tight tolerance
            // (full Newton only; fresh updates compared with the previous fresh one).
            let stalled = !options.reuseJacobian && fresh && iteration > 2
                && norm <= max(10 * options.tolerance, 1e-2) && norm > 0.5 * previousFreshNorm
            // With a reused factorisation the update is only as good as the Jacobian, so the
            // remaining error is estimated from the observed contraction rate ρ as
            // ρ/(1 − ρ)·‖Δ‖ (Hairer & Wanner, Solving ODEs II, §IV.8), which needs two
            // updates with the same factors.
            var converged = fresh && norm <= options.tolerance
            var rate = Double.infinity
            if !fresh && norm == 0 {
                // An exact root (e.g. a system at rest): nothing to estimate.
                converged = true
            } else if !fresh, let last = sameFactorNorm, last > 0 {
                rate = norm / last
                if options.reuseJacobian {
                    converged = rate < 1 && rate / (1 - rate) * norm <= options.tolerance
                } else {
                    // A chord step: the update itself inside the tolerance too (ρ is a ratio of
                    // max-norms of two different updates, not a measured linear contraction).
                    converged = norm <= options.tolerance && rate < 1
                        && rate / (1 - rate) * norm <= options.chordTarget * options.tolerance
                }
            }
            if (converged || stalled) && lambda == 1 && !clipped {
                return (u, NewtonReport(iterations: iteration, factorisations: factorisations, lastUpdateNorm: norm))
            }
            sameFactorNorm = norm
            if options.reuseJacobian {
                // Keep the factorisation while it contracts well; refresh it when it does not
                // (slow or growing updates, a damped or clipped step) before judging divergence,
                // and after a damped or clipped fresh step (far from the root: full Newton).
                let slow = rate.isFinite && rate > options.reuseContraction
                if !fresh && (slow || lambda < 1 || clipped) {
                    reuse = false
                    previousNorm = norm
                    continue
                }
                reuse = lambda == 1 && !clipped
            } else if chord {
                if !fresh {
                    // The chord step did not settle it: a fresh Jacobian next, from where full
                    // Newton would be if the chord update did not contract. Divergence is
                    // judged on fresh updates only.
                    reuse = false
                    if !(rate < 1) { for i in 0..<n { u[i] = saved[i] } }
                    continue
                }
                // Verify on these factors, unless this is the last iteration but one (the
                // last one is then fresh, as in full Newton).
                reuse = lambda == 1 && !clipped && iteration < options.maxIterations - 1
            }
            // (In full Newton every update is fresh, so the two are the same.)
            let reference = options.reuseJacobian ? previousNorm : previousFreshNorm
            if fresh { previousFreshNorm = norm }
            if norm >= reference && lambda == 1 && !clipped {
                growing += 1
                if growing >= options.divergenceLimit {
                    throw failure(.diverged, iteration, system, residual, worstRow: worst)
                }
            } else {
                growing = 0
            }
            previousNorm = norm
        }
        var none: SparseMatrix? = nil
        try? system.evaluate(u, residual: &residual, jacobian: &none)
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
