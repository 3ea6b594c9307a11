import Dispatch
import Foundation
import IonicsFit
import IonicsTestSupport
import Testing

extension DeviceFitTests {
    static func model(_ parameter: String) throws -> FitModel {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let spec = try FitSpec.parse(CheapDevice.fitText(parameters: "[\(parameter)]", data: #"[{"file": "g.csv"}]"#), source: dir.file("fit.json"))
        return try FitModel(spec: spec)
    }

    /// `"initial": "20 S/m"` on a thickness used to run a 20 m channel and write "20 S/m"
    /// into the fitted config: values now reach the config with their unit, and every
    /// initial value and bound goes through the config reader before any run.
    @Test("a parameter's unit is checked against its key before any run; values reach the config with their unit")
    func unitsChecked() throws {
        let wrong = try Self.model(#"{"path": "layers[2].thickness", "initial": "20 S/m", "lower": "1 S/m", "upper": "100 S/m", "scale": "log"}"#)
        do {
            try wrong.checkParameters()
            Issue.record("a conductivity on a thickness was accepted")
        } catch {
            #expect("\(error)".contains("parameters[0].initial (layers[2].thickness = 20 S/m)"), "\(error)")
        }
        let negative = try Self.model(#"{"path": "layers[2].thickness", "initial": "50 nm", "lower": "-10 nm", "upper": "100 nm"}"#)
        do {
            try negative.checkParameters()
            Issue.record("a negative thickness bound was accepted")
        } catch {
            #expect("\(error)".contains("parameters[0].lower"), "\(error)")
        }
        let good = try Self.model(#"{"path": "layers[2].thickness", "initial": "50 nm", "lower": "10 nm", "upper": "100 nm", "scale": "log"}"#)
        try good.checkParameters()
        let last = good.assignments([4.2e-8]).last ?? ""
        #expect(last.hasPrefix(#"layers[2].thickness="4"#) && last.hasSuffix(#" nm""#), "\(last)")
        let fitted = try FitOutputs.fittedConfig(model: good, values: [4.2e-8])
        #expect(fitted.contains(#""42 nm""#))
    }

    /// As `coverage`, without a σ column: s² from the residuals and the t quantile with
    /// m − p = 2 dof (4.30 for 95 %). 14 seeds keep it near 20 s.
    @Test("coverage without σ: t intervals hold the true values in 78–100 % of 14 seeds × 2 parameters")
    func coverageWithoutSigma() throws {
        let parameters = """
            [{"path": "layers[2].conductivity.value[0]", "initial": "20 S/m", "lower": "2 S/m", "upper": "100 S/m", "scale": "log"},
             {"path": "layers[2].conductivity.value[1]", "initial": "15 S/m", "lower": "5 S/m", "upper": "300 S/m", "scale": "log"}]
            """
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let spec = try FitSpec.parse(CheapDevice.fitText(parameters: parameters, data: #"[{"file": "g.csv"}]"#), source: dir.file("fit.json"))
        let model = try FitModel(spec: spec)
        let truth = [10.0, 30.0]
        let (_, clean) = try CheapDevice.clean(model, csv: "pulse,G (uS)\n" + (1...4).map { "\($0),0" }.joined(separator: "\n"), values: truth)
        let rms = (clean.reduce(0) { $0 + $1 * $1 } / Double(clean.count)).squareRoot()
        let seeds = Array(101...114)
        let outcomes = Collected<[Bool]>(count: seeds.count)
        let failures = Collected<String>(count: seeds.count)
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for k in stride(from: worker, to: seeds.count, by: 2) {
                var rng = SeededNormal(seed: UInt64(seeds[k]))
                let rows = clean.enumerated().map { i, g in "\(i + 1),\((g + 0.02 * rms * rng.next()) * 1e6)" }
                do {
                    let dataset = try Dataset.parse("pulse,G (uS)\n" + rows.joined(separator: "\n"), entry: spec.data[0])
                    let result = try Fitter(model: model, datasets: [dataset], jobs: 1).fit()
                    #expect(result.passes == 1 && result.statistics.degreesOfFreedom == 2)
                    outcomes.set(k, zip(result.parameters, truth).map { $0.lower <= $1 && $1 <= $0.upper })
                } catch {
                    failures.set(k, "seed \(seeds[k]): \(error)")
                }
            }
        }
        #expect(failures.values.compactMap { $0 }.isEmpty, "\(failures.values.compactMap { $0 })")
        let inside = outcomes.values.compactMap { $0 }.flatMap { $0 }.filter { $0 }.count
        let fraction = Double(inside) / Double(2 * seeds.count)
        print(String(format: "coverage without σ: %d of %d (%.1f %%)", inside, 2 * seeds.count, 100 * fraction))
        #expect(fraction >= 0.78, "coverage \(inside)/\(2 * seeds.count)")
    }
}
