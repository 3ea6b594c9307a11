import Foundation
import IonicsFit

/// The human report of a fit: parameters with intervals, per-dataset residuals,
/// χ²/dof, correlations, singular values and warnings.
func printReport(_ r: FitResult, spec: FitSpec, configPath: String) {
    let s = r.statistics
    let level = Int((100 * spec.settings.level).rounded())
    print("fit         \(spec.source) (base \(spec.base))")
    print("status      \(r.solution.converged ? "converged" : "NOT converged"): \(r.solution.reason); \(r.solution.iterations) iteration(s)")
    print(String(format: "model runs  %d, mean %.3g s per run; fit %.1f s wall", r.runs, r.meanRunTime, r.elapsed))
    func pad(_ t: String, _ n: Int) -> String { t.count >= n ? t + " " : t.padding(toLength: n, withPad: " ", startingAt: 0) }
    let width = max(10, (r.parameters.map(\.parameter.path.count).max() ?? 10) + 2)
    print(pad("parameter", width) + pad("best fit", 16) + pad("\(level) % interval", 30) + pad("initial", 16) + "scale")
    for p in r.parameters {
        let q = p.parameter
        let interval = p.atBound ? "none (on a bound)" : p.lower.isFinite && p.upper.isFinite
            ? "[" + String(format: "%.4g", p.lower / q.unitFactor) + ", " + q.shown(p.upper, digits: 4) + "]" : "not determined"
        print(pad(q.path, width) + pad(q.shown(p.value, digits: 6), 16) + pad(interval, 30) + pad(q.shown(p.initial, digits: 4), 16)
              + q.scale.rawValue + (p.atBound ? "  (on a bound)" : ""))
    }
    let fileWidth = max(12, (r.datasets.map { $0.dataset.entry.file.count }.max() ?? 10) + 4)
    print(pad("dataset", fileWidth) + pad("points", 8) + pad("RMS residual", 34) + (r.absoluteWeights ? "χ²/dof" : "estimated noise s_d"))
    for d in r.datasets {
        let ds = d.dataset
        let noise = r.absoluteWeights ? String(format: "%.4g", d.reducedChiSquare)
            : ds.sigma == nil ? String(format: "%.3g %% of RMS", 100 * d.noiseScale) : String(format: "%.3g×σ", d.noiseScale)
        print(pad("  " + ds.entry.file, fileWidth) + pad(String(ds.count), 8)
              + pad(String(format: "%.4g %@ (%@ vs %@)", d.rms / ds.yFactor, ds.yUnit, ds.yName, ds.xName), 34) + noise)
    }
    if r.absoluteWeights {
        print(String(format: "χ²/dof      %.4g (dof %d; absolute σ from the data: covariance (JᵀWJ)⁻¹)", s.reducedChiSquare, s.degreesOfFreedom))
    } else {
        print(String(format: "weights     per dataset 1/(s_d·RMS_d)², s_d estimated from its residuals (%d fit pass(es)); covariance s²(JᵀWJ)⁻¹, s² = RSS/(m−p) = %.4g, dof %d",
                     r.passes, s.reducedChiSquare, s.degreesOfFreedom))
    }
    if r.parameters.contains(where: \.atBound) {
        print("bounds      parameters on a bound are held there: the others' covariance is conditional on them")
    }
    if r.parameters.count > 1 {
        print("correlation")
        for (i, p) in r.parameters.enumerated() {
            let row = (0..<r.parameters.count).map { String(format: "%+.3f", s.correlation[i, $0]) }.joined(separator: "  ")
            print("  " + pad(p.parameter.path, width) + row)
        }
    }
    print("singular values of the column-scaled Jacobian: " + s.scaledSingularValues.map { String(format: "%.3g", $0) }.joined(separator: ", ")
          + String(format: " (condition number %.3g)", s.conditionNumber))
    print("fitted config \(configPath)")
    for w in r.warnings { print("warning: \(w)") }
}

/// `ionics fit --json` (schema ionics.fit, docs/fit.md).
func fitDocument(_ r: FitResult, spec: FitSpec, configPath: String) -> [(String, JSON)] {
    let s = r.statistics
    let p = r.parameters.count
    func matrix(_ m: (Int, Int) -> Double) -> JSON { .array((0..<p).map { i in .numbers((0..<p).map { m(i, $0) }) }) }
    return [
        JSON.schema("ionics.fit"),
        ("fit_file", .string(spec.source)), ("base", .string(spec.base)), ("fitted_config", .string(configPath)),
        ("converged", .bool(r.solution.converged)), ("reason", .string(r.solution.reason)),
        ("iterations", .int(r.solution.iterations)), ("runs", .int(r.runs)), ("mean_run_time", .number(r.meanRunTime)),
        ("elapsed", .number(r.elapsed)), ("level", .number(spec.settings.level)),
        ("parameters", .array(r.parameters.map { x in
            .object([("path", .string(x.parameter.path)), ("scale", .string(x.parameter.scale.rawValue)),
                     ("unit", .string(x.parameter.dimension.description)), ("value", .number(x.value)), ("initial", .number(x.initial)),
                     ("ci_lower", .number(x.lower)), ("ci_upper", .number(x.upper)), ("standard_error", .number(x.standardError)), ("dof", .number(x.degreesOfFreedom)),
                     ("at_bound", .bool(x.atBound))])
        })),
        ("datasets", .array(r.datasets.map { d in
            .object([("file", .string(d.dataset.entry.file)), ("points", .int(d.dataset.count)), ("rms", .number(d.rms)),
                     ("reduced_chi_square", .number(d.reducedChiSquare)), ("noise_scale", .number(d.noiseScale))])
        })),
        ("reduced_chi_square", .number(s.reducedChiSquare)), ("degrees_of_freedom", .int(s.degreesOfFreedom)),
        ("absolute_weights", .bool(r.absoluteWeights)), ("passes", .int(r.passes)),
        ("covariance", matrix { s.covariance[$0, $1] }), ("correlation", matrix { s.correlation[$0, $1] }),
        ("singular_values", .numbers(s.scaledSingularValues)), ("condition_number", .number(s.conditionNumber)),
        ("warnings", .strings(r.warnings)),
    ]
}
