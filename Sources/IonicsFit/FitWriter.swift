import Foundation
import IonicsConfig
import IonicsHDF5

/// Writes a fit's results as plot-ready HDF5 (netCDF-4 style: every axis is a named
/// dimension scale, so `xarray.open_dataset(file, group=…)` reads each group).
///
/// Layout:
/// - root attributes: `ionics_version`, `fit_file`, `base_config`, `status`
///   (`converged` or `not converged`), `reason`, `reduced_chi_square`,
///   `degrees_of_freedom`, `absolute_weights`, `level`, `warnings`;
/// - `parameters/`: dimension `parameter` (0…p−1; names in the `names` attribute and in
///   `path` per dataset attribute), `value`, `initial`, `lower_bound`, `upper_bound`,
///   `ci_lower`, `ci_upper` (SI, `units` per parameter in `units_list`), `scale`
///   (1 log, 0 linear), `standard_error` (fit coordinate: decades or SI),
///   `covariance` and `correlation` (parameter × parameter_2, fit coordinates);
///   `singular_values` (dimension `component`, column-scaled Jacobian);
/// - `history/`: dimension `iteration`; `cost`, `damping`, `parameters`
///   (iteration × parameter, SI);
/// - `datasets/d<k>/`: dimension `pulse` or `t` (the data's x in its file's unit), `data`,
///   `model`, `residual` (data − model) and `sigma` when given, in the file's y unit.
public enum FitWriter {
    public static func write(_ result: FitResult, spec: FitSpec, to path: String, overwrite: Bool) throws {
        let file = try HDF5File.create(at: path, overwrite: overwrite)
        do {
            let root = try file.root()
            let s = result.statistics
            try root.setAttribute("ionics_version", IonicsVersion.string)
            try root.setAttribute("fit_file", spec.source)
            try root.setAttribute("base_config", spec.base)
            try root.setAttribute("status", result.solution.converged ? "converged" : "not converged")
            try root.setAttribute("reason", result.solution.reason)
            try root.setAttribute("reduced_chi_square", s.reducedChiSquare)
            try root.setAttribute("degrees_of_freedom", s.degreesOfFreedom)
            try root.setAttribute("absolute_weights", result.absoluteWeights ? 1 : 0)
            try root.setAttribute("level", spec.settings.level)
            try root.setAttribute("condition_number", s.conditionNumber)
            try root.setAttribute("warnings", result.warnings)

            let p = result.parameters.count
            let g = try root.createGroup("parameters")
            let index = (0..<p).map(Double.init)
            let axis = try g.write("parameter", index, type: .int64)
            try axis.makeDimensionScale("parameter")
            let axis2 = try g.write("parameter_2", index, type: .int64)
            try axis2.makeDimensionScale("parameter_2")
            try g.setAttribute("names", result.parameters.map(\.parameter.path))
            try g.setAttribute("units_list", result.parameters.map { $0.parameter.dimension.description })
            func vector(_ name: String, _ values: [Double], _ units: String, _ longName: String) throws {
                let d = try g.write(name, values)
                try d.attachScale(axis, axis: 0)
                try d.setAttribute("units", units)
                try d.setAttribute("long_name", longName)
            }
            let si = "SI (per parameter: units_list)"
            try vector("value", result.parameters.map(\.value), si, "best-fit value")
            try vector("initial", result.parameters.map(\.initial), si, "starting value")
            try vector("lower_bound", result.parameters.map(\.parameter.lower), si, "lower bound")
            try vector("upper_bound", result.parameters.map(\.parameter.upper), si, "upper bound")
            try vector("ci_lower", result.parameters.map(\.lower), si, "lower end of the confidence interval")
            try vector("ci_upper", result.parameters.map(\.upper), si, "upper end of the confidence interval")
            try vector("scale", result.parameters.map { $0.parameter.scale == .log ? 1 : 0 }, "1", "1: fitted in log10, 0: linear")
            // The key paths and the fit file's units as string variables along `parameter`
            // (an auxiliary coordinate for xarray); value / unit_factor is the value in `unit`.
            for (name, strings, longName) in [("path", result.parameters.map(\.parameter.path), "config key path"),
                                              ("unit", result.parameters.map(\.parameter.unit), "unit of the fit file's initial value (\"\": SI)")] {
                let d = try g.writeStrings(name, strings)
                try d.attachScale(axis, axis: 0)
                try d.setAttribute("long_name", longName)
            }
            try vector("unit_factor", result.parameters.map(\.parameter.unitFactor), "SI per unit", "SI value of 1 unit")
            for name in ["value", "initial", "lower_bound", "upper_bound", "ci_lower", "ci_upper"] {
                try g.openDataset(name).setAttribute("coordinates", "path")
            }
            try vector("standard_error", result.parameters.map(\.standardError), "fit coordinate (decades for log scale)", "standard error")
            for (name, m) in [("covariance", s.covariance), ("correlation", s.correlation)] {
                let d = try g.write(name, m.storage, shape: [p, p])
                try d.attachScale(axis, axis: 0)
                try d.attachScale(axis2, axis: 1)
                try d.setAttribute("units", name == "correlation" ? "1" : "fit coordinates (decades for log scale)")
            }
            let k = s.scaledSingularValues.count
            let component = try g.write("component", (0..<k).map(Double.init), type: .int64)
            try component.makeDimensionScale("component")
            let sv = try g.write("singular_values", s.scaledSingularValues)
            try sv.attachScale(component, axis: 0)
            try sv.setAttribute("long_name", "singular values of the column-scaled weighted Jacobian")

            let h = try root.createGroup("history")
            let rows = result.historyValues
            let iteration = try h.write("iteration", rows.map { $0[0] }, type: .int64)
            try iteration.makeDimensionScale("iteration")
            let hp = try h.write("parameter", index, type: .int64)
            try hp.makeDimensionScale("parameter")
            for (name, column) in [("cost", 1), ("damping", 2)] {
                let d = try h.write(name, rows.map { $0[column] })
                try d.attachScale(iteration, axis: 0)
                try d.setAttribute("long_name", name == "cost" ? "½ Σ weighted residual²" : "Levenberg–Marquardt λ")
            }
            let values = try h.write("parameters", rows.flatMap { $0[3...] }, shape: [rows.count, p])
            try values.attachScale(iteration, axis: 0)
            try values.attachScale(hp, axis: 1)
            try values.setAttribute("units", si)

            let groups = try root.createGroup("datasets")
            for (n, d) in result.datasets.enumerated() {
                let ds = d.dataset
                let dg = try groups.createGroup("d\(n)")
                try dg.setAttribute("file", ds.entry.file)
                try dg.setAttribute("weight", ds.entry.weight)
                try dg.setAttribute("rms_residual", d.rms / ds.yFactor)
                let x = try dg.write(ds.xName, ds.x.map { $0 / ds.xFactor }, type: ds.isPulseData ? .int64 : .float64)
                try x.makeDimensionScale(ds.xName)
                try x.setAttribute("units", ds.isPulseData ? "1" : ds.xUnit)
                try x.setAttribute("long_name", ds.isPulseData ? "pulse number" : "time within the experiment")
                var series: [(String, [Double], String)] = [
                    ("data", ds.y, "measured \(ds.yName)"), ("model", d.model, "model \(ds.yName) at the best fit"),
                    ("residual", d.residuals, "data − model"),
                ]
                if let sigma = ds.sigma { series.append(("sigma", sigma, "standard deviation of the data")) }
                for (name, v, longName) in series {
                    let w = try dg.write(name, v.map { $0 / ds.yFactor })
                    try w.attachScale(x, axis: 0)
                    try w.setAttribute("units", ds.yUnit)
                    try w.setAttribute("long_name", longName)
                }
            }
            try file.commit()
        } catch {
            file.close()
            try? FileManager.default.removeItem(atPath: file.workingPath)
            throw error
        }
    }
}
