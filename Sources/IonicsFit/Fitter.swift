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
    /// The value ended on one of its bounds (the interval is then not meaningful).
    public var atBound: Bool
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
}

/// The outcome of ``Fitter/fit(progress:)``.
public struct FitResult: Sendable {
    public var parameters: [ParameterResult]
    public var datasets: [DatasetResult]
    public var statistics: FitStatistics
    public var solution: LeastSquaresSolution
    /// Every dataset gave σ: the weights are absolute and s² = 1.
    public var absoluteWeights: Bool
    public var warnings: [String]
    /// Mean wall time of one model run, s, and the number of runs.
    public var meanRunTime: Double
    public var runs: Int
    public var elapsed: Double
    /// The history in SI values: per entry the iteration, cost, λ and parameter values.
    public var historyValues: [[Double]]
}

/// Fits a ``FitSpec``'s parameters to its datasets with ``LevenbergMarquardt``, model
/// runs of the Jacobian's columns in parallel.
///
/// Residuals: r_i = √w_d·(model_i − y_i)/σ_i for point i of dataset d with weight
/// w_d; σ_i is the file's uncertainty column, or — without one — the RMS of the
/// dataset's values (so that datasets in different units count by relative misfit).
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

    /// σ_i of every point of every dataset, divided by √w_d.
    var scales: [[Double]] {
        datasets.map { d in
            let w = d.entry.weight.squareRoot()
            if let s = d.sigma { return s.map { $0 / w } }
            let rms = (d.y.reduce(0) { $0 + $1 * $1 } / Double(max(1, d.count))).squareRoot()
            return [Double](repeating: (rms > 0 ? rms : 1) / w, count: d.count)
        }
    }

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
        let started = Date()
        let p = parameters
        let scales = self.scales
        let data = datasets.map(\.y)
        var runTime = 0.0, runs = 0
        var failure: String?
        func values(_ z: [Double]) -> [Double] { zip(p, z).map { $0.denormalised($1) } }
        func weighted(_ model: [[Double]]) -> [Double] {
            var r: [Double] = []
            for d in 0..<data.count { for i in 0..<data[d].count { r.append((model[d][i] - data[d][i]) / scales[d][i]) } }
            return r
        }
        let m = data.reduce(0) { $0 + $1.count }
        let evaluate: ([[Double]]) throws -> [[Double]] = { zs in
            let results = runBatch(zs.map(values))
            return results.enumerated().map { k, result in
                guard let result else {
                    // Learn why, for the message (the failed point is rerun once, serially).
                    if failure == nil { do { _ = try predictions(values(zs[k])) } catch { failure = "\(error)" } }
                    return [Double](repeating: .nan, count: m)
                }
                runTime += result.elapsed
                runs += 1
                return weighted(result.values)
            }
        }
        let solution: LeastSquaresSolution
        do {
            solution = try LevenbergMarquardt.minimize(
                start: p.map { $0.normalised($0.initial) }, lower: [Double](repeating: 0, count: p.count),
                upper: [Double](repeating: 1, count: p.count), options: model.spec.settings.solver, evaluate: evaluate,
                progress: { progress($0, values($0.parameters)) })
        } catch let e as LeastSquaresError {
            if let failure { throw FitModelError(message: failure) }
            throw e
        }
        // Statistics in the fit coordinates u: ∂r/∂u = ∂r/∂z / (u_hi − u_lo).
        var ju = solution.jacobian
        for (j, q) in p.enumerated() { for i in 0..<ju.rows { ju[i, j] /= q.coordinateSpan } }
        let settings = model.spec.settings
        let stats = try FitStatistics.compute(
            jacobian: ju, residuals: solution.residuals, absoluteWeights: absoluteWeights, level: settings.level,
            threshold: settings.identifiabilityThreshold)
        let best = values(solution.parameters)
        let parameterResults = p.indices.map { j -> ParameterResult in
            let u = p[j].coordinate(best[j])
            let h = stats.halfWidths[j]
            return ParameterResult(parameter: p[j], initial: p[j].initial, value: best[j], lower: p[j].value(u - h),
                                   upper: p[j].value(u + h), standardError: stats.standardErrors[j], atBound: solution.atBound[j])
        }
        // The model at the best fit, from the residuals (r = (model − y)/σ).
        var datasetResults: [DatasetResult] = []
        var offset = 0
        for (d, dataset) in datasets.enumerated() {
            let model = (0..<dataset.count).map { dataset.y[$0] + solution.residuals[offset + $0] * scales[d][$0] }
            offset += dataset.count
            let residuals = zip(dataset.y, model).map { $0 - $1 }
            let rms = (residuals.reduce(0) { $0 + $1 * $1 } / Double(dataset.count)).squareRoot()
            datasetResults.append(DatasetResult(dataset: dataset, model: model, residuals: residuals, rms: rms))
        }
        let warnings = Self.warnings(stats: stats, parameters: parameterResults, solution: solution, absolute: absoluteWeights,
                                     datasets: datasets, threshold: settings.identifiabilityThreshold)
        let history = solution.history.map { [Double($0.iteration), $0.cost, $0.damping] + values($0.parameters) }
        return FitResult(
            parameters: parameterResults, datasets: datasetResults, statistics: stats, solution: solution,
            absoluteWeights: absoluteWeights, warnings: warnings, meanRunTime: runs > 0 ? runTime / Double(runs) : .nan, runs: runs,
            elapsed: Date().timeIntervalSince(started), historyValues: history)
    }

    /// The warnings of a fit: directions the data do not determine, values on a bound,
    /// no convergence, mixed weights.
    static func warnings(stats: FitStatistics, parameters: [ParameterResult], solution: LeastSquaresSolution, absolute: Bool,
                         datasets: [Dataset], threshold: Double) -> [String] {
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
            w.append("\(r.parameter.path) ended on a bound (\(r.parameter.shown(r.value))): the optimum may lie outside the bounds, and its interval assumes it does not")
        }
        if !solution.converged { w.append("the solver did not converge: \(solution.reason)") }
        if !absolute && datasets.contains(where: { $0.sigma != nil }) {
            w.append("only some datasets give σ: every dataset is weighted relatively and s² is estimated from the residuals")
        }
        if stats.degreesOfFreedom <= 0 { w.append("no degrees of freedom (points ≤ parameters): no intervals") }
        return w
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
