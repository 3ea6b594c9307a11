import Foundation
import IonicsLinearAlgebra

/// Weights of the datasets: the absolute-σ rule, per-dataset noise variances and the
/// fit's warnings.
extension Fitter {
    /// Datasets whose `weight` cannot be honoured: with a σ column the weights are
    /// absolute (1/σ²), and a weight w would rescale σ by 1/√w and shrink the intervals
    /// by √w, so the two are refused together.
    public static func weightProblems(_ datasets: [Dataset]) -> [String] {
        datasets.filter { $0.sigma != nil && $0.entry.weight != 1 }.map { d in
            "\(d.entry.keyPath).weight: \(d.entry.file) gives sigma_\(d.yName), so its points are weighted by 1/σ² and a weight (\(d.entry.weight)) would misstate the intervals; remove the weight or the σ column"
        }
    }

    /// The scale of every point before weighting: its σ, or the RMS of its dataset's values.
    static func baseScales(_ datasets: [Dataset]) -> [[Double]] {
        datasets.map { d in
            if let s = d.sigma { return s }
            let rms = (d.y.reduce(0) { $0 + $1 * $1 } / Double(max(1, d.count))).squareRoot()
            return [Double](repeating: rms > 0 ? rms : 1, count: d.count)
        }
    }

    /// Per dataset, RSS_d/(m_d·(m − p)/m) of the residuals in base units (the residuals
    /// `r` were divided by the base scale times `factors[d]`).
    static func datasetNoise(_ r: [Double], datasets: [Dataset], factors: [Double], parameters: Int) -> [Double] {
        let m = datasets.reduce(0) { $0 + $1.count }
        let share = Double(m - parameters) / Double(max(1, m))
        var offset = 0
        return datasets.enumerated().map { d, dataset in
            let rss = r[offset..<offset + dataset.count].reduce(0) { $0 + $1 * $1 } * factors[d] * factors[d]
            offset += dataset.count
            let dof = Double(dataset.count) * share
            return dof > 0 ? rss / dof : .nan
        }
    }

    /// Rows of dataset d (residuals and Jacobian) rescaled from weight factor `from[d]` to `to[d]`.
    static func rescale(_ s: inout LeastSquaresSolution, datasets: [Dataset], from: [Double], to: [Double]) {
        var offset = 0
        for (d, dataset) in datasets.enumerated() {
            let k = from[d] / to[d]
            for i in offset..<offset + dataset.count {
                s.residuals[i] *= k
                for j in 0..<s.jacobian.columns { s.jacobian[i, j] *= k }
            }
            offset += dataset.count
        }
        s.cost = 0.5 * s.residuals.reduce(0) { $0 + $1 * $1 }
    }

    /// Welch–Satterthwaite degrees of freedom of each parameter's variance when the
    /// datasets' variances are estimated separately: C_jj = Σ_d v_jd with
    /// v_jd = Σ_(i∈d) (C·J_i)_j²/s² the part of dataset d, whose s²_d has dof_d; then
    /// ν_j = (Σ_d v_jd)² / Σ_d (v_jd²/dof_d). A parameter set by one small dataset gets
    /// about that dataset's dof, not m − p. NaN where C_jj is not finite.
    static func effectiveDegreesOfFreedom(covariance c: DenseMatrix, jacobian: DenseMatrix, varianceScale: Double,
                                          datasets: [Dataset], dofShare: Double) -> [Double] {
        let p = c.rows
        return (0..<p).map { j in
            guard c[j, j].isFinite, c[j, j] > 0, varianceScale > 0 else { return .nan }
            var total = 0.0, denominator = 0.0, offset = 0
            for d in datasets {
                var v = 0.0
                for i in offset..<offset + d.count {
                    var a = 0.0
                    for k in 0..<p where c[j, k].isFinite { a += c[j, k] * jacobian[i, k] }
                    v += a * a
                }
                v /= varianceScale
                let dof = Double(d.count) * dofShare
                total += v
                if dof > 0 { denominator += v * v / dof }
                offset += d.count
            }
            return denominator > 0 ? total * total / denominator : .nan
        }
    }

    /// Datasets' reduced χ² (or relative noise) disagree when the largest is this many
    /// times the smallest.
    public static let disagreement = 4.0

    /// The warnings of a fit: directions the data do not determine, values on a bound,
    /// no convergence, mixed weights, datasets whose noise levels disagree.
    static func warnings(stats: FitStatistics, parameters: [ParameterResult], solution: LeastSquaresSolution, absolute: Bool,
                         datasets: [DatasetResult], firstNoise: [Double]?, passes: Int, threshold: Double) -> [String] {
        var w: [String] = []
        for d in stats.undetermined {
            let terms = zip(parameters, d.components).filter { abs($0.1) >= 0.01 }.map { r, c in
                String(format: "%+.3g·", c) + (r.parameter.scale == .log ? "log10(\(r.parameter.path))" : r.parameter.path)
            }
            let kind = d.relativeSingularValue < 1e-10 ? "rank-deficient" : "ill-conditioned"
            w.append(String(format: "not identifiable: the scaled Jacobian is %@ (singular value %.3g of the largest, threshold %.3g); the data do not determine the combination %@ — moving the parameters along it leaves the fit unchanged to first order, and their intervals are not meaningful",
                            kind, d.relativeSingularValue, threshold, terms.joined(separator: " ")))
        }
        for r in parameters where r.atBound {
            w.append("\(r.parameter.path) ended on a bound (\(r.parameter.shown(r.value))): the optimum may lie outside the bounds; it has no interval, and the other parameters' intervals are conditional on it staying there")
        }
        if !solution.converged { w.append("the solver did not converge: \(solution.reason)") }
        if !absolute && datasets.contains(where: { $0.dataset.sigma != nil }) {
            w.append("only some datasets give σ: every dataset is weighted relatively (σ columns as relative weights) and a noise variance is estimated per dataset from its residuals")
        }
        func label(_ d: DatasetResult) -> String { "\(d.dataset.entry.keyPath) (\(d.dataset.yName))" }
        if absolute, datasets.count > 1 {
            let chi = datasets.map(\.reducedChiSquare)
            if let hi = chi.indices.max(by: { chi[$0] < chi[$1] }), let lo = chi.indices.min(by: { chi[$0] < chi[$1] }),
               chi[lo] > 0, chi[hi] / chi[lo] > disagreement {
                w.append(String(format: "the datasets' reduced χ² disagree: %.3g for %@ vs %.3g for %@ — their σ columns are not equally right; the intervals take every σ as given",
                                chi[hi], label(datasets[hi]), chi[lo], label(datasets[lo])))
            }
        }
        if let noise = firstNoise, datasets.count > 1 {
            if let hi = noise.indices.max(by: { noise[$0] < noise[$1] }), let lo = noise.indices.min(by: { noise[$0] < noise[$1] }),
               noise[lo] > 0, pow(noise[hi] / noise[lo], 2) > disagreement {
                func shown(_ k: Int) -> String {
                    datasets[k].dataset.sigma == nil ? String(format: "%.3g %% of its RMS", 100 * noise[k]) : String(format: "%.3g×σ", noise[k])
                }
                w.append("the datasets' noise levels disagree: s = \(shown(hi)) for \(label(datasets[hi])) vs \(shown(lo)) for \(label(datasets[lo])) at the first optimum; each dataset was weighted by its own estimated variance (\(passes) fit pass(es)), assuming the noise is alike within a dataset")
            }
        }
        for d in datasets {
            let x = d.dataset.x
            if zip(x, x.dropFirst()).contains(where: { $0 >= $1 }) {
                let duplicate = Set(x).count < x.count
                w.append("\(d.dataset.entry.keyPath).file (\(d.dataset.entry.file)): the \(d.dataset.xName) values are not increasing" + (duplicate ? " (some repeat)" : "")
                         + " — check the file; repeated points count as independent measurements")
            }
        }
        if stats.degreesOfFreedom <= 0 { w.append("no degrees of freedom (points ≤ parameters): no intervals") }
        return w
    }
}
