import Dispatch
import Foundation
import IonicsLinearAlgebra

/// A fitted parameter with its interval.
public struct ParameterResult: Sendable {
    public var parameter: FitParameter
    /// SI values.
    public var initial: Double
    public var value: Double
    /// The confidence interval (level of ``FitSettings/level``), SI; computed in the fit
    /// coordinate (log10 for log-scale parameters) and mapped back.
    public var lower: Double
    public var upper: Double
    /// Standard error in the fit coordinate (decades for log-scale parameters).
    public var standardError: Double
    /// The value ended on one of its bounds: no interval (lower/upper NaN), and the other
    /// parameters' covariance is conditional on this one staying there.
    public var atBound: Bool
    /// Degrees of freedom of the interval's t quantile: m − p, ∞ with absolute σ, or the
    /// Welch–Satterthwaite value when variances were estimated per dataset.
    public var degreesOfFreedom: Double
}

/// A dataset with the model at the best fit.
public struct DatasetResult: Sendable {
    public var dataset: Dataset
    /// SI values at the dataset's x.
    public var model: [Double]
    /// data − model, SI.
    public var residuals: [Double]
    /// √(mean of residual²), SI.
    public var rms: Double
    /// Σ((data − model)/σ)²/dof_d, σ the σ column or (without one) the dataset's RMS, and
    /// dof_d = m_d·(m − p)/m its share of the degrees of freedom: the reduced χ² with
    /// absolute σ, the squared relative noise (s_d/RMS)² without.
    public var reducedChiSquare: Double
    /// The estimated noise of the dataset in units of its σ column or RMS (s_d), used to
    /// weight it; 1 with absolute σ.
    public var noiseScale: Double
}

/// The outcome of ``Fitter/fit(progress:)``.
public struct FitResult: Sendable {
    public var parameters: [ParameterResult]
    public var datasets: [DatasetResult]
    public var statistics: FitStatistics
    public var solution: LeastSquaresSolution
    /// Every dataset gave σ: the weights are absolute and s² = 1 (otherwise a noise
    /// variance is estimated per dataset).
    public var absoluteWeights: Bool
    public var warnings: [String]
    /// Mean wall time of one model run, s, and the number of runs.
    public var meanRunTime: Double
    public var runs: Int
    public var elapsed: Double
    /// The history in SI values: per entry the iteration, cost, λ and parameter values.
    public var historyValues: [[Double]]
    /// Fit passes (1, or more when per-dataset variances were estimated and the fit resumed).
    public var passes: Int
}

/// Fits a ``FitSpec``'s parameters to its datasets with ``LevenbergMarquardt``, model
/// runs of the Jacobian's columns in parallel.
///
/// Residuals: r_i = (model_i − y_i)/σ_i for point i; σ_i is the file's uncertainty
/// column (absolute; a `weight` is then refused), or — without one — the RMS of the
/// dataset's values times its estimated relative noise s_d (first pass: 1/√w_d).
/// The solver works in z ∈ [0, 1]^p, each parameter's fit coordinate (log10 or linear)
/// scaled to its bounds.
public struct Fitter: Sendable {
    public let model: FitModel
    public let datasets: [Dataset]
    /// Model runs at once (the Jacobian's columns).
    public let jobs: Int

    public init(model: FitModel, datasets: [Dataset], jobs: Int) {
        self.model = model
        self.datasets = datasets
        self.jobs = max(1, jobs)
    }

    var parameters: [FitParameter] { model.spec.parameters }
    public var absoluteWeights: Bool { datasets.allSatisfy { $0.sigma != nil } }

    /// Model values for every dataset at SI `values` (and the run's wall time).
    public func predictions(_ values: [Double]) throws -> (values: [[Double]], elapsed: Double) {
        let output = try model.run(values)
        return (try datasets.map { try FitModel.predictions(output, for: $0) }, output.elapsed)
    }

    /// Runs the model at every point of `batch` (SI values), `jobs` at a time. A run that
    /// fails gives nil.
    func runBatch(_ batch: [[Double]]) -> [(values: [[Double]], elapsed: Double)?] {
        let box = ResultBox<(values: [[Double]], elapsed: Double)?>(count: batch.count)
        let workers = min(jobs, batch.count)
        let fitter = self
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var k = w
            while k < batch.count {
                box.set(k, try? fitter.predictions(batch[k]))
                k += workers
            }
        }
        return box.values
    }

    /// Fits; `progress` sees every accepted iteration (iteration, cost, λ, SI values).
    public func fit(progress: (LeastSquaresIteration, [Double]) -> Void = { _, _ in }) throws -> FitResult {
        let fitter = self
        return try Self.fit(
            parameters: parameters, datasets: datasets, settings: model.spec.settings, run: runBatch,
            explain: { values in
                do { _ = try fitter.predictions(values); return nil } catch { return "\(error)" }
            }, progress: progress)
    }

    /// Re-fits (from the current optimum) at most this many times with per-dataset variances.
    public static let maxReweightings = 3

    /// The fit of `datasets` by any model: `run` maps a batch of SI parameter vectors to
    /// each dataset's model values (nil where the model failed), `explain` says why a
    /// point failed. Used by ``fit(progress:)`` and by tests with analytic models.
    ///
    /// Without σ columns (or with only some), one noise variance per dataset is estimated,
    /// s²_d = RSS_d/(m_d·(m − p)/m) from its residuals at the optimum with its share of the
    /// degrees of freedom; the datasets are reweighted by 1/s²_d and the fit resumed from
    /// the optimum until the s_d change by less than 10 % relative to each other (a common
    /// factor does not move the optimum; at most ``maxReweightings`` re-fits). The
    /// covariance then uses these weights.
    public static func fit(
        parameters p: [FitParameter], datasets: [Dataset], settings: FitSettings,
        run: ([[Double]]) -> [(values: [[Double]], elapsed: Double)?], explain: ([Double]) -> String? = { _ in nil },
        progress: (LeastSquaresIteration, [Double]) -> Void = { _, _ in }
    ) throws -> FitResult {
        let started = Date()
        let problems = weightProblems(datasets)
        if !problems.isEmpty { throw FitModelError(message: problems.joined(separator: "\n")) }
        let absolute = datasets.allSatisfy { $0.sigma != nil }
        let base = baseScales(datasets)
        let data = datasets.map(\.y)
        var factors = datasets.map { 1 / $0.entry.weight.squareRoot() }
        var runTime = 0.0, runs = 0, iterations = 0, evaluations = 0
        var failure: String?
        func values(_ z: [Double]) -> [Double] { zip(p, z).map { $0.denormalised($1) } }
        let m = data.reduce(0) { $0 + $1.count }
        var start = p.map { $0.normalised($0.initial) }
        var history: [LeastSquaresIteration] = []
        var firstNoise: [Double]?
        var passes = 0
        var solution: LeastSquaresSolution
        while true {
            let current = factors
            let evaluate: ([[Double]]) throws -> [[Double]] = { zs in
                run(zs.map(values)).enumerated().map { k, result in
                    guard let result else {
                        if failure == nil { failure = explain(values(zs[k])) }
                        return [Double](repeating: .nan, count: m)
                    }
                    runTime += result.elapsed
                    runs += 1
                    var r: [Double] = []
                    for d in 0..<data.count {
                        for i in 0..<data[d].count { r.append((result.values[d][i] - data[d][i]) / (base[d][i] * current[d])) }
                    }
                    return r
                }
            }
            let offset = iterations
            do {
                solution = try LevenbergMarquardt.minimize(
                    start: start, lower: [Double](repeating: 0, count: p.count), upper: [Double](repeating: 1, count: p.count),
                    options: settings.solver, evaluate: evaluate,
                    progress: { step in
                        var step = step
                        step.iteration += offset
                        step.evaluations += evaluations
                        if passes > 0 && step.iteration == offset { return }
                        history.append(step)
                        progress(step, values(step.parameters))
                    })
            } catch let e as LeastSquaresError {
                if case .failedColumn(let j, let detail) = e {
                    throw FitModelError(message: "the model fails at every finite-difference point of parameters[\(j)] (\(p[j].path)) near \(p[j].shown(values(start)[j])): \(failure ?? detail)")
                }
                if let failure { throw FitModelError(message: failure) }
                throw e
            }
            passes += 1
            iterations += solution.iterations
            evaluations += solution.evaluations
            guard !absolute, m > p.count else { break }
            let noise = datasetNoise(solution.residuals, datasets: datasets, factors: current, parameters: p.count).map { $0.squareRoot() }
            if firstNoise == nil { firstNoise = noise }
            let next = zip(noise, current).map { $0 > 0 && $0.isFinite ? $0 : $1 }
            // Scaling every dataset's weight alike does not move the optimum: only the
            // ratios between datasets matter (one dataset never needs a second pass).
            let ratios = zip(next, current).map { $0 / $1 }
            let settled = (ratios.max() ?? 1) / (ratios.min() ?? 1) < 1.1
            // Rows rescaled to the newest estimates (the optimum moves by less than the tolerance).
            factors = next
            rescale(&solution, datasets: datasets, from: current, to: next)
            start = solution.parameters
            if settled || passes > maxReweightings { break }
        }
        solution.iterations = iterations
        solution.evaluations = evaluations
        solution.history = history
        return try Self.result(parameters: p, datasets: datasets, settings: settings, solution: solution, base: base, factors: factors,
                               absolute: absolute, firstNoise: firstNoise, passes: passes, runTime: runTime, runs: runs, started: started)
    }

    /// Statistics, per-dataset results and warnings at the optimum.
    static func result(parameters p: [FitParameter], datasets: [Dataset], settings: FitSettings, solution: LeastSquaresSolution,
                       base: [[Double]], factors: [Double], absolute: Bool, firstNoise: [Double]?, passes: Int,
                       runTime: Double, runs: Int, started: Date) throws -> FitResult {
        func values(_ z: [Double]) -> [Double] { zip(p, z).map { $0.denormalised($1) } }
        // Statistics in the fit coordinates u: ∂r/∂u = ∂r/∂z / (u_hi − u_lo); parameters on a
        // bound are held there (the others' covariance is conditional on them).
        var ju = solution.jacobian
        for (j, q) in p.enumerated() { for i in 0..<ju.rows { ju[i, j] /= q.coordinateSpan } }
        var stats = try FitStatistics.compute(
            jacobian: ju, residuals: solution.residuals, absoluteWeights: absolute, level: settings.level,
            threshold: settings.identifiabilityThreshold, fixed: solution.atBound)
        let m = datasets.reduce(0) { $0 + $1.count }
        let dofShare = Double(stats.degreesOfFreedom) / Double(max(1, m))
        // Variances estimated per dataset: each parameter's t quantile takes the
        // Welch–Satterthwaite dof of its variance (not the pooled m − p).
        var effectiveDof = [Double](repeating: absolute ? .infinity : Double(stats.degreesOfFreedom), count: p.count)
        if !absolute && datasets.count > 1 && stats.degreesOfFreedom > 0 {
            effectiveDof = effectiveDegreesOfFreedom(covariance: stats.covariance, jacobian: ju, varianceScale: stats.varianceScale,
                                                     datasets: datasets, dofShare: dofShare)
            for j in p.indices where effectiveDof[j].isFinite && effectiveDof[j] > 0 {
                stats.halfWidths[j] = StudentT.quantile(0.5 + settings.level / 2, dof: effectiveDof[j]) * stats.standardErrors[j]
            }
        }
        let best = values(solution.parameters)
        let parameterResults = p.indices.map { j -> ParameterResult in
            let u = p[j].coordinate(best[j])
            let h = stats.halfWidths[j]
            return ParameterResult(parameter: p[j], initial: p[j].initial, value: best[j], lower: h.isNaN ? .nan : p[j].value(u - h),
                                   upper: h.isNaN ? .nan : p[j].value(u + h), standardError: stats.standardErrors[j], atBound: solution.atBound[j],
                                   degreesOfFreedom: effectiveDof[j])
        }
        var datasetResults: [DatasetResult] = []
        var offset = 0
        for (d, dataset) in datasets.enumerated() {
            // r = (model − y)/(base·factor).
            let model = (0..<dataset.count).map { dataset.y[$0] + solution.residuals[offset + $0] * base[d][$0] * factors[d] }
            offset += dataset.count
            let residuals = zip(dataset.y, model).map { $0 - $1 }
            let rms = (residuals.reduce(0) { $0 + $1 * $1 } / Double(dataset.count)).squareRoot()
            let chi2 = zip(residuals, base[d]).reduce(0) { $0 + ($1.0 / $1.1) * ($1.0 / $1.1) }
            let dof = Double(dataset.count) * dofShare
            datasetResults.append(DatasetResult(dataset: dataset, model: model, residuals: residuals, rms: rms,
                                                reducedChiSquare: dof > 0 ? chi2 / dof : .nan, noiseScale: absolute ? 1 : factors[d]))
        }
        let warnings = Self.warnings(stats: stats, parameters: parameterResults, solution: solution, absolute: absolute,
                                     datasets: datasetResults, firstNoise: firstNoise, passes: passes, threshold: settings.identifiabilityThreshold)
        let history = solution.history.map { [Double($0.iteration), $0.cost, $0.damping] + values($0.parameters) }
        return FitResult(
            parameters: parameterResults, datasets: datasetResults, statistics: stats, solution: solution,
            absoluteWeights: absolute, warnings: warnings, meanRunTime: runs > 0 ? runTime / Double(runs) : .nan, runs: runs,
            elapsed: Date().timeIntervalSince(started), historyValues: history, passes: passes)
    }
}

/// Results written by concurrent workers, each to its own index.
final class ResultBox<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: T) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [T] { storage.map { $0! } }
}
