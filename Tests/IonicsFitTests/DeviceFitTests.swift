import Dispatch
import Foundation
import IonicsFit
import IonicsTestSupport
import Testing

@Suite("Fits on the device model", .serialized)
struct DeviceFitTests {
    /// Synthetic G-after-pulse data from known σ(θ) end points with 2 % Gaussian noise,
    /// 20 seeds, each fit started away from the truth: the 95 % intervals must hold the
    /// true values in 85–100 % of the 40 (seed, parameter) cases.
    @Test("coverage: true values inside the 95 % intervals in 85–100 % of 20 seeds × 2 parameters")
    func coverage() throws {
        let parameters = """
            [{"path": "layers[2].conductivity.value[0]", "initial": "20 S/m", "lower": "2 S/m", "upper": "100 S/m", "scale": "log"},
             {"path": "layers[2].conductivity.value[1]", "initial": "15 S/m", "lower": "5 S/m", "upper": "300 S/m", "scale": "log"}]
            """
        let text = CheapDevice.fitText(parameters: parameters, data: #"[{"file": "g.csv"}]"#)
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let spec = try FitSpec.parse(text, source: dir.file("fit.json"))
        let model = try FitModel(spec: spec)
        let truth = [10.0, 30.0]
        let pulses = 1...4
        let (_, clean) = try CheapDevice.clean(
            model, csv: "pulse,G (uS),sigma_G (uS)\n" + pulses.map { "\($0),0,1" }.joined(separator: "\n"), values: truth)
        let rms = (clean.reduce(0) { $0 + $1 * $1 } / Double(clean.count)).squareRoot()
        let sigma = 0.02 * rms
        let seeds = Array(1...20)
        let started = Date()
        // Seeds in parallel, one model run at a time each (the machine's cores are shared).
        let outcomes = Collected<(converged: Bool, inside: [Bool])>(count: seeds.count)
        let failures = Collected<String>(count: seeds.count)
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for k in stride(from: worker, to: seeds.count, by: 2) {
                var rng = SeededNormal(seed: UInt64(seeds[k]))
                let rows = zip(pulses, clean).map { p, g in "\(p),\((g + sigma * rng.next()) * 1e6),\(sigma * 1e6)" }
                do {
                    let dataset = try Dataset.parse("pulse,G (uS),sigma_G (uS)\n" + rows.joined(separator: "\n"), entry: spec.data[0])
                    let result = try Fitter(model: model, datasets: [dataset], jobs: 1).fit()
                    outcomes.set(k, (result.solution.converged, zip(result.parameters, truth).map { $0.lower <= $1 && $1 <= $0.upper }))
                } catch {
                    failures.set(k, "seed \(seeds[k]): \(error)")
                }
            }
        }
        #expect(failures.values.compactMap { $0 }.isEmpty, "\(failures.values.compactMap { $0 })")
        let results = outcomes.values.compactMap { $0 }
        #expect(results.count == seeds.count && results.allSatisfy { $0.converged })
        let inside = results.flatMap(\.inside).filter { $0 }.count
        let total = seeds.count * truth.count
        let fraction = Double(inside) / Double(total)
        print(String(format: "coverage: %d of %d (%.1f %%) in %.1f s", inside, total, 100 * fraction, Date().timeIntervalSince(started)))
        #expect(fraction >= 0.85 && fraction <= 1.0, "coverage \(inside)/\(total)")
    }

    /// G after each pulse of a thin, fast-diffusing channel depends on the channel's width W
    /// and thickness t only through W·t: G = (W/L)·t·σ̄ with the mean filling
    /// θ̄ = θ₀ + nQ/(F·c_max·W·L·t) (the protons spread over the film within a pulse, so
    /// σ̄ = σ(θ̄)). Halving t and doubling W leaves every read unchanged.
    @Test("width and thickness entering as W·t trigger the identifiability warning naming the pair")
    func unidentifiable() throws {
        let parameters = """
            [{"path": "geometry.width", "initial": "400 um", "lower": "100 um", "upper": "2000 um", "scale": "log"},
             {"path": "layers[2].thickness", "initial": "40 nm", "lower": "10 nm", "upper": "200 nm", "scale": "log"}]
            """
        let text = CheapDevice.fitText(
            parameters: parameters, data: #"[{"file": "g.csv"}]"#, extra: #""layers[2].overrides.diffusivity": "1e-7 cm^2/s""#,
            solver: #"{"max_iterations": 3}"#)
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let spec = try FitSpec.parse(text, source: dir.file("fit.json"))
        let model = try FitModel(spec: spec)
        let (_, clean) = try CheapDevice.clean(
            model, csv: "pulse,G (uS)\n" + (1...4).map { "\($0),0" }.joined(separator: "\n"), values: [500e-6, 50e-9])
        var rng = SeededNormal(seed: 3)
        let rows = (1...4).map { "\($0),\(clean[$0 - 1] * 1e6 * (1 + 0.01 * rng.next()))" }
        let dataset = try Dataset.parse("pulse,G (uS)\n" + rows.joined(separator: "\n"), entry: spec.data[0])
        let result = try Fitter(model: model, datasets: [dataset], jobs: 2).fit()
        let warning = result.warnings.first { $0.hasPrefix("not identifiable") }
        #expect(warning != nil, "\(result.warnings)")
        #expect(warning?.contains("log10(geometry.width)") == true && warning?.contains("log10(layers[2].thickness)") == true)
        // The undetermined direction changes W and t in opposite senses by equal factors.
        let v = try #require(result.statistics.undetermined.first).components
        #expect(abs(abs(v[0]) - 1) < 0.05 && abs(abs(v[1]) - 1) < 0.05 && v[0] * v[1] < 0, "\(v)")
        // The product is still determined: W·t at the fit equals the truth's within 2 %.
        let product = result.parameters[0].value * result.parameters[1].value
        #expect(abs(product / (500e-6 * 50e-9) - 1) < 0.02)
    }
}
