import Foundation
public import IonicsLinearAlgebra

/// Settings of ``LevenbergMarquardt``.
public struct LevenbergMarquardtOptions: Sendable, Equatable {
    /// Outer iterations (Jacobian evaluations) at most.
    public var maxIterations = 30
    /// Stop when an accepted step lowers the cost by less than this fraction of it.
    public var costTolerance = 1e-4
    /// Stop when an accepted step is shorter than this (in the solver's variables).
    public var stepTolerance = 1e-6
    /// Stop when every |cos| of the angle between the residual and a free Jacobian
    /// column is below this (MINPACK's gtol).
    public var gradientTolerance = 1e-8
    /// Forward-difference step in the solver's variables (the fit's variables are
    /// scaled to [0, 1] between the bounds, so 1e-3 is 0.1 % of the range).
    public var finiteDifferenceStep = 1e-3
    /// First damping λ, relative to the largest diagonal entry of JᵀJ's scaling.
    public var initialDamping = 1e-3
    /// Rejected trial steps allowed in one iteration before giving up.
    public var maxRejections = 8

    public init() {}
}

/// One accepted iteration of the solver, for progress and the history.
public struct LeastSquaresIteration: Sendable {
    public var iteration: Int
    /// ½‖r‖² after the iteration.
    public var cost: Double
    /// The damping λ with which the step was taken.
    public var damping: Double
    /// The variables after the iteration.
    public var parameters: [Double]
    /// Residual evaluations so far.
    public var evaluations: Int
}

/// What the solver found.
public struct LeastSquaresSolution: Sendable {
    public var parameters: [Double]
    public var residuals: [Double]
    /// ∂r/∂x at `parameters` (forward differences), m × n.
    public var jacobian: DenseMatrix
    public var cost: Double
    public var iterations: Int
    public var evaluations: Int
    /// Why it stopped, in words.
    public var reason: String
    /// True when a convergence test was met (not the iteration limit or a stall).
    public var converged: Bool
    /// The starting point (iteration 0) and every accepted iteration.
    public var history: [LeastSquaresIteration]
    /// Variables that ended on a bound.
    public var atBound: [Bool]
}

/// Why the solver could not run.
public enum LeastSquaresError: Error, Sendable, CustomStringConvertible {
    /// The residual function returned non-finite values or a vector of the wrong length.
    case badResiduals(String)
    case linearAlgebra(LinearAlgebraError)
    /// The residuals are not finite at every finite-difference point of variable `index`
    /// (+h, −h, h/2).
    case failedColumn(index: Int, String)

    public var description: String {
        switch self {
        case .badResiduals(let s): return s
        case .linearAlgebra(let e): return "least-squares step: \(e)"
        case .failedColumn(let j, let s): return "variable \(j): \(s)"
        }
    }
}

/// Bounded Levenberg–Marquardt for min ½‖r(x)‖² with lower ≤ x ≤ upper.
///
/// Each trial step solves the damped linear least-squares problem
/// `[J; √λ·D]·δ ≈ [−r; 0]` by the SVD (LAPACK dgelsd, ``DenseLeastSquares``), with
/// `D` the running maximum of the Jacobian's column norms (Moré 1978, "The
/// Levenberg–Marquardt algorithm: implementation and theory"). Bounds are kept by
/// projection: a variable at a bound whose gradient pushes it outward is held there
/// for the step (its column dropped), and the trial point is clipped to the box; the
/// gain ratio uses the clipped step. λ follows Nielsen's update (accept: λ·max(⅓,
/// 1 − (2ρ − 1)³); reject: λ·ν, ν doubling). The Jacobian is formed by forward
/// differences, all columns in one call of `evaluate` so that the caller can run them
/// in parallel; a column whose step would leave the box steps the other way.
public enum LevenbergMarquardt {
    /// Minimises ½‖r(x)‖² in the box. `evaluate` maps a batch of points to their residual
    /// vectors (same length every time; it may evaluate the points concurrently).
    /// `progress` sees the start and every accepted iteration.
    public static func minimize(
        start: [Double], lower: [Double], upper: [Double], options: LevenbergMarquardtOptions = .init(),
        evaluate: ([[Double]]) throws -> [[Double]], progress: (LeastSquaresIteration) -> Void = { _ in }
    ) throws -> LeastSquaresSolution {
        let n = start.count
        precondition(lower.count == n && upper.count == n && zip(lower, upper).allSatisfy { $0 <= $1 }, "bad bounds")
        func clip(_ x: [Double]) -> [Double] { (0..<n).map { min(max(x[$0], lower[$0]), upper[$0]) } }
        var evaluations = 0
        var expected: Int?
        /// Residuals of a batch; a trial point may come back non-finite (the model failed
        /// there) and is then rejected, anywhere else that is an error.
        func residuals(_ points: [[Double]], trial: Bool = false) throws -> [[Double]] {
            let rs = try evaluate(points)
            evaluations += points.count
            guard rs.count == points.count else { throw LeastSquaresError.badResiduals("residual function returned \(rs.count) vectors for \(points.count) points") }
            for (k, r) in rs.enumerated() {
                if expected == nil { expected = r.count }
                guard r.count == expected else { throw LeastSquaresError.badResiduals("residual vector length changed from \(expected!) to \(r.count)") }
                guard trial || r.allSatisfy(\.isFinite) else {
                    throw LeastSquaresError.badResiduals("residuals are not finite at \(points[k])")
                }
            }
            return rs
        }
        func halfSquare(_ r: [Double]) -> Double { 0.5 * r.reduce(0) { $0 + $1 * $1 } }
        func jacobian(at x: [Double], r: [Double]) throws -> DenseMatrix {
            var steps = [Double](repeating: options.finiteDifferenceStep, count: n)
            var points: [[Double]] = []
            for j in 0..<n {
                if x[j] + steps[j] > upper[j] && x[j] - steps[j] >= lower[j] { steps[j] = -steps[j] }
                var p = x
                p[j] += steps[j]
                points.append(p)
            }
            var columns = try residuals(points, trial: true)
            // A model failure at a difference point: retry the column with −h, then h/2.
            for j in 0..<n where !columns[j].allSatisfy(\.isFinite) {
                var retried = false
                for h in [-steps[j], steps[j] / 2] where x[j] + h >= lower[j] && x[j] + h <= upper[j] {
                    var p = x
                    p[j] += h
                    let c = try residuals([p], trial: true)[0]
                    if c.allSatisfy(\.isFinite) {
                        columns[j] = c
                        steps[j] = h
                        retried = true
                        break
                    }
                }
                if !retried {
                    throw LeastSquaresError.failedColumn(index: j, "residuals are not finite at x ± h and x + h/2 (h = \(steps[j]))")
                }
            }
            var jac = DenseMatrix(rows: r.count, columns: n)
            for j in 0..<n { for i in 0..<r.count { jac[i, j] = (columns[j][i] - r[i]) / steps[j] } }
            return jac
        }

        var x = clip(start)
        var r = try residuals([x])[0]
        let m = r.count
        var cost = halfSquare(r)
        var history = [LeastSquaresIteration(iteration: 0, cost: cost, damping: .nan, parameters: x, evaluations: evaluations)]
        progress(history[0])
        var scale = [Double](repeating: 0, count: n)
        var lambda = Double.nan
        var nu = 2.0
        var reason = "iteration limit (\(options.maxIterations)) reached"
        var converged = false
        var jac = try jacobian(at: x, r: r)
        var jacobianIsCurrent = true
        var iteration = 0
        outer: while iteration < options.maxIterations {
            iteration += 1
            if !jacobianIsCurrent { jac = try jacobian(at: x, r: r) }
            jacobianIsCurrent = true
            var gradient = [Double](repeating: 0, count: n)
            for j in 0..<n {
                var g = 0.0, norm = 0.0
                for i in 0..<m { g += jac[i, j] * r[i]; norm += jac[i, j] * jac[i, j] }
                gradient[j] = g
                scale[j] = max(scale[j], norm.squareRoot())
            }
            // Free variables: not held at a bound by a gradient pointing out of the box.
            let free = (0..<n).filter { j in
                !((x[j] <= lower[j] && gradient[j] > 0) || (x[j] >= upper[j] && gradient[j] < 0))
            }
            let rNorm = (2 * cost).squareRoot()
            let cosines = free.map { j in scale[j] > 0 && rNorm > 0 ? abs(gradient[j]) / (scale[j] * rNorm) : 0 }
            if free.isEmpty || (cosines.max() ?? 0) <= options.gradientTolerance {
                reason = free.isEmpty ? "every parameter is held at a bound" : "gradient below tolerance"
                converged = true
                break
            }
            if lambda.isNaN { lambda = options.initialDamping }
            var rejections = 0
            var largestPredicted = 0.0
            while true {
                let k = free.count
                let lambdaScale = (free.map { scale[$0] }.max() ?? 1)
                var a = DenseMatrix(rows: m + k, columns: k)
                for (c, j) in free.enumerated() {
                    for i in 0..<m { a[i, c] = jac[i, j] }
                    // √λ·D with D floored so a column without effect still gets damped.
                    a[m + c, c] = (lambda).squareRoot() * max(scale[j], 1e-12 * lambdaScale)
                }
                let b = r.map { -$0 } + [Double](repeating: 0, count: k)
                let delta: [Double]
                do { delta = try DenseLeastSquares.solve(a, b).solution } catch { throw LeastSquaresError.linearAlgebra(error) }
                var trial = x
                for (c, j) in free.enumerated() { trial[j] += delta[c] }
                trial = clip(trial)
                let step = (0..<n).map { trial[$0] - x[$0] }
                let stepNorm = step.reduce(0) { $0 + $1 * $1 }.squareRoot()
                if stepNorm == 0 {
                    reason = "the projected step vanished"
                    converged = true
                    break outer
                }
                // Predicted cost from the linear model with the clipped step.
                var predicted = 0.0
                for i in 0..<m {
                    var ri = r[i]
                    for j in 0..<n where step[j] != 0 { ri += jac[i, j] * step[j] }
                    predicted += ri * ri
                }
                predicted *= 0.5
                let rTrial = try residuals([trial], trial: true)[0]
                let costTrial = rTrial.allSatisfy(\.isFinite) ? halfSquare(rTrial) : .infinity
                let predictedReduction = cost - predicted
                largestPredicted = max(largestPredicted, predictedReduction)
                let rho = (cost - costTrial) / max(predictedReduction, .leastNormalMagnitude)
                if costTrial < cost && rho > 1e-4 {
                    let reduction = cost - costTrial
                    let usedLambda = lambda
                    x = trial
                    r = rTrial
                    cost = costTrial
                    lambda *= max(1.0 / 3, 1 - pow(2 * rho - 1, 3))
                    nu = 2
                    jacobianIsCurrent = false
                    let record = LeastSquaresIteration(iteration: iteration, cost: cost, damping: usedLambda, parameters: x, evaluations: evaluations)
                    history.append(record)
                    progress(record)
                    if reduction <= options.costTolerance * (cost + reduction) {
                        reason = "relative cost reduction below tolerance"
                        converged = true
                        break outer
                    }
                    let xNorm = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
                    if stepNorm <= options.stepTolerance * (xNorm + options.stepTolerance) {
                        reason = "step below tolerance"
                        converged = true
                        break outer
                    }
                    break
                }
                // MINPACK's test on a rejected trial: the linear model predicts, and the trial
                // shows, a change below the tolerance — the cost cannot be lowered beyond its
                // own noise from here. The prediction is the largest of this iteration's
                // trials (the least damped), so that a step shrunk by growing λ alone does
                // not pass.
                if largestPredicted <= options.costTolerance * cost && abs(cost - costTrial) <= options.costTolerance * cost && rho <= 2 {
                    reason = "predicted and actual cost reductions below tolerance"
                    converged = true
                    break outer
                }
                rejections += 1
                lambda *= nu
                nu *= 2
                if rejections > options.maxRejections {
                    if largestPredicted <= options.costTolerance * cost {
                        reason = String(format: "no step lowers the cost (%d trials), and the largest predicted reduction (%.3g of the cost) is below cost_tolerance: an optimum within the cost's noise", rejections, largestPredicted / cost)
                        converged = true
                    } else {
                        reason = "no step lowers the cost (\(rejections) trials; the residuals may be noisier than the step can resolve)"
                        converged = cost == 0
                    }
                    break outer
                }
            }
        }
        if !jacobianIsCurrent { jac = try jacobian(at: x, r: r) }
        let atBound = (0..<n).map { x[$0] <= lower[$0] || x[$0] >= upper[$0] }
        return LeastSquaresSolution(
            parameters: x, residuals: r, jacobian: jac, cost: cost, iterations: iteration, evaluations: evaluations,
            reason: reason, converged: converged, history: history, atBound: atBound)
    }
}
