import Foundation
public import IonicsLinearAlgebra

/// A combination of parameters that the data do not determine: a right singular
/// vector of the column-scaled, weighted Jacobian whose singular value is small
/// relative to the largest.
public struct UndeterminedDirection: Sendable {
    /// σ_k / σ_max of the column-scaled Jacobian.
    public var relativeSingularValue: Double
    /// The direction in the parameters' fit coordinates (log10 for log-scale parameters,
    /// SI values for linear ones), largest |component| = 1.
    public var components: [Double]
}

/// Linearised statistics of a weighted least-squares fit at its optimum.
///
/// With J the Jacobian of the weighted residuals r_w = W^½(y − f) in the fit
/// coordinates u (log10 of the value for log-scale parameters, the SI value for linear
/// ones), the covariance is C = s²·(JᵀJ)⁻¹, computed from the SVD J = UΣVᵀ as
/// s²·V·Σ⁻²·Vᵀ. s² = RSS/(m − p) estimates the noise scale when the weights are only
/// relative; with absolute uncertainties (σ columns) s² = 1. Intervals are
/// û ± t_(1−α/2, m−p)·√C_ii in u, mapped back through 10^u for log-scale parameters
/// (so they are asymmetric in the value). Assumptions: independent Gaussian noise with
/// the given relative (or absolute) standard deviations, and a model close enough to
/// linear over the interval that J describes it (Bates & Watts, "Nonlinear Regression
/// Analysis and Its Applications", 1988, ch. 2).
public struct FitStatistics: Sendable {
    public var residualSumOfSquares: Double
    public var degreesOfFreedom: Int
    /// RSS/(m − p): the reduced χ² when the weights are absolute 1/σ².
    public var reducedChiSquare: Double
    /// The noise variance scale used in the covariance (1 with absolute uncertainties).
    public var varianceScale: Double
    /// p × p in fit coordinates.
    public var covariance: DenseMatrix
    public var correlation: DenseMatrix
    public var standardErrors: [Double]
    /// t quantile used for the intervals.
    public var tQuantile: Double
    /// Half widths of the intervals in fit coordinates.
    public var halfWidths: [Double]
    /// Singular values of the column-scaled weighted Jacobian (each column divided by
    /// its norm), largest first: their spread measures how independently the data pin
    /// the parameters down, whatever their units.
    public var scaledSingularValues: [Double]
    /// σ_max/σ_min of the column-scaled Jacobian (∞ when rank-deficient).
    public var conditionNumber: Double
    /// Directions with σ_k/σ_max below the threshold.
    public var undetermined: [UndeterminedDirection]

    /// Statistics of a fit. `jacobian` is ∂r_w/∂u (m × p), `residuals` the weighted
    /// residuals at the optimum; `threshold` the relative singular value below which a
    /// direction is reported as undetermined.
    ///
    /// `fixed` marks parameters held on a bound: the statistics come from the other
    /// columns (conditional on the fixed values), with m − p_free degrees of freedom; the
    /// fixed parameters get NaN errors and intervals and 0 in the undetermined directions.
    public static func compute(
        jacobian: DenseMatrix, residuals: [Double], absoluteWeights: Bool, level: Double = 0.95, threshold: Double = 1e-3,
        fixed: [Bool] = []
    ) throws -> FitStatistics {
        if fixed.contains(true) {
            let p = jacobian.columns
            let free = (0..<p).filter { $0 >= fixed.count || !fixed[$0] }
            if free.isEmpty {
                // Every parameter on a bound: nothing to estimate.
                let m = jacobian.rows
                let rss = residuals.reduce(0) { $0 + $1 * $1 }
                var nan = DenseMatrix(rows: p, columns: p)
                for a in 0..<p { for b in 0..<p { nan[a, b] = .nan } }
                let none = [Double](repeating: .nan, count: p)
                return FitStatistics(
                    residualSumOfSquares: rss, degreesOfFreedom: m, reducedChiSquare: m > 0 ? rss / Double(m) : .nan,
                    varianceScale: absoluteWeights ? 1 : (m > 0 ? rss / Double(m) : .nan), covariance: nan, correlation: nan,
                    standardErrors: none, tQuantile: .nan, halfWidths: none, scaledSingularValues: [], conditionNumber: .nan,
                    undetermined: [])
            }
            var reduced = DenseMatrix(rows: jacobian.rows, columns: free.count)
            for (c, j) in free.enumerated() { for i in 0..<jacobian.rows { reduced[i, c] = jacobian[i, j] } }
            let inner = try compute(jacobian: reduced, residuals: residuals, absoluteWeights: absoluteWeights, level: level, threshold: threshold)
            return inner.expanded(to: p, free: free)
        }
        let m = jacobian.rows, p = jacobian.columns
        let rss = residuals.reduce(0) { $0 + $1 * $1 }
        let dof = m - p
        let reduced = dof > 0 ? rss / Double(dof) : .nan
        let s2 = absoluteWeights ? 1.0 : reduced
        // Identifiability from the column-scaled Jacobian (units drop out).
        var norms = [Double](repeating: 0, count: p)
        var scaled = jacobian
        for j in 0..<p {
            var s = 0.0
            for i in 0..<m { s += jacobian[i, j] * jacobian[i, j] }
            norms[j] = s.squareRoot()
            for i in 0..<m { scaled[i, j] = norms[j] > 0 ? jacobian[i, j] / norms[j] : 0 }
        }
        let svdScaled = try DenseLeastSquares.svd(scaled)
        var values = svdScaled.values + [Double](repeating: 0, count: max(0, p - svdScaled.values.count))
        let largest = values.first ?? 0
        var undetermined: [UndeterminedDirection] = []
        for k in 0..<p {
            let relative = largest > 0 ? values[k] / largest : 0
            guard relative < threshold else { continue }
            // Back to fit coordinates: δu_j = v_j / ‖J_j‖ (a column without effect is the direction itself).
            var direction = (0..<p).map { j in norms[j] > 0 ? svdScaled.v[j, k] / norms[j] : svdScaled.v[j, k] }
            if norms.contains(0) { direction = (0..<p).map { norms[$0] == 0 ? svdScaled.v[$0, k] : 0 } }
            let top = direction.map(abs).max() ?? 1
            // Sign: the largest component positive, so the text reads the same on every run.
            let sign = (direction.first { abs($0) == top } ?? 1) < 0 ? -1.0 : 1.0
            undetermined.append(UndeterminedDirection(relativeSingularValue: relative, components: direction.map { sign * $0 / top }))
        }
        values = Array(values.prefix(p))
        let condition = (values.last ?? 0) > 0 ? largest / values.last! : .infinity

        // Covariance from the SVD of the unscaled Jacobian; directions the data do not
        // see (σ below 1e-12·σ_max) have infinite variance.
        let svd = try DenseLeastSquares.svd(jacobian)
        let sMax = svd.values.first ?? 0
        var covariance = DenseMatrix(rows: p, columns: p)
        var infinite = [Bool](repeating: false, count: p)
        for k in 0..<p {
            let sk = k < svd.values.count ? svd.values[k] : 0
            if sk > 1e-12 * sMax && sk > 0 {
                for a in 0..<p { for b in 0..<p { covariance[a, b] += s2 * svd.v[a, k] * svd.v[b, k] / (sk * sk) } }
            } else {
                for a in 0..<p where abs(svd.v[a, k]) > 1e-6 { infinite[a] = true }
            }
        }
        for a in 0..<p where infinite[a] {
            for b in 0..<p { covariance[a, b] = .infinity; covariance[b, a] = .infinity }
        }
        let errors = (0..<p).map { covariance[$0, $0].squareRoot() }
        var correlation = DenseMatrix(rows: p, columns: p)
        for a in 0..<p {
            for b in 0..<p {
                correlation[a, b] = a == b ? 1 : covariance[a, b] / (errors[a] * errors[b])
                if !correlation[a, b].isFinite { correlation[a, b] = .nan }
            }
        }
        let t = dof > 0 ? StudentT.quantile(0.5 + level / 2, dof: absoluteWeights ? .infinity : Double(dof)) : .nan
        return FitStatistics(
            residualSumOfSquares: rss, degreesOfFreedom: dof, reducedChiSquare: reduced, varianceScale: s2,
            covariance: covariance, correlation: correlation, standardErrors: errors, tQuantile: t,
            halfWidths: errors.map { t * $0 }, scaledSingularValues: values, conditionNumber: condition,
            undetermined: undetermined)
    }

    /// The statistics of the free columns `free` embedded in p parameters (NaN for the others).
    func expanded(to p: Int, free: [Int]) -> FitStatistics {
        var out = self
        func embed(_ a: DenseMatrix) -> DenseMatrix {
            var e = DenseMatrix(rows: p, columns: p)
            for a0 in 0..<p { for b0 in 0..<p { e[a0, b0] = .nan } }
            for (i, a0) in free.enumerated() { for (j, b0) in free.enumerated() { e[a0, b0] = a[i, j] } }
            return e
        }
        func vector(_ v: [Double], fill: Double) -> [Double] {
            var e = [Double](repeating: fill, count: p)
            for (i, j) in free.enumerated() where i < v.count { e[j] = v[i] }
            return e
        }
        out.covariance = embed(covariance)
        out.correlation = embed(correlation)
        out.standardErrors = vector(standardErrors, fill: .nan)
        out.halfWidths = vector(halfWidths, fill: .nan)
        out.undetermined = undetermined.map { UndeterminedDirection(relativeSingularValue: $0.relativeSingularValue, components: vector($0.components, fill: 0)) }
        return out
    }
}
