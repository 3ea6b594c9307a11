import ArgumentParser
import Foundation
import IonicsConfig
import IonicsFit

struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit named parameters of a config to measured data (bounded Levenberg–Marquardt; docs/fit.md).",
        discussion: """
            The fit file names the base config, the parameters (key paths, start, bounds, log or linear) and the \
            data (CSV with units). Results go to stdout, progress per iteration to stderr. Every file problem is \
            reported, with its key, before any simulation runs.

              ionics fit configs/examples/fit-yao2020.json -o results/fit-yao2020.h5
              ionics fit FIT.json --synthesize TRUTH.json --noise 1% --seed 7    (writes the fit's CSVs)
            """)

    @Argument(help: "The fit file (JSON).")
    var fitFile: String

    @Option(name: .shortAndLong, help: "Plot-ready HDF5 of the fit (data, model, residuals, parameters, covariance, history).")
    var output: String?

    @Option(name: .customLong("config-output"), help: "Where to write the fitted config (default: results/<fit name>-fitted.json).")
    var configOutput: String?

    @Flag(help: "Replace existing output files (the fitted config, the HDF5, synthesized CSVs).")
    var force = false

    @Option(help: "Model runs at once (the Jacobian's columns; default: the number of cores).")
    var jobs: Int?

    @Option(help: "Extra folder of material files (searched first).")
    var materials: [String] = []

    @Flag(help: "Print the result as JSON on stdout (schema ionics.fit, docs/fit.md).")
    var json = false

    @Option(help: "Write synthetic data instead of fitting: the model at the values of this truth file plus noise, to the fit file's CSVs.")
    var synthesize: String?

    @Option(help: "Noise of --synthesize as a fraction of each dataset's RMS, e.g. 1% or 0.01.")
    var noise: String = "1%"

    @Option(help: "Seed of --synthesize's noise.")
    var seed: UInt64 = 7

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if noiseFraction == nil { throw ValidationError("--noise: expected a positive fraction such as 0.01 or 1%, got \"\(noise)\"") }
    }

    var noiseFraction: Double? {
        let text = noise.trimmingCharacters(in: .whitespaces)
        let value = text.hasSuffix("%") ? Double(text.dropLast()).map { $0 / 100 } : Double(text)
        // 0 would write σ = 0 columns, which the data reader (rightly) refuses.
        guard let value, value > 0, value.isFinite else { return nil }
        return value
    }

    func run() throws {
        let text = try readText(fitFile)
        let spec: FitSpec
        do { spec = try FitSpec.parse(text, source: fitFile) } catch let e as ConfigError {
            throw fail(e.description, Exit.failure)
        }
        let model: FitModel
        do { model = try FitModel(spec: spec, materialFolders: materials) } catch {
            throw fail("\(fitFile): \(error)", Exit.file)
        }
        if let synthesize { return try synthesizeData(model: model, truth: synthesize) }

        var datasets: [Dataset] = []
        var problems: [String] = []
        for entry in spec.data {
            do { datasets.append(try Dataset.read(entry)) } catch { problems.append("\(error)") }
        }
        problems += Fitter.weightProblems(datasets)
        if !problems.isEmpty { throw fail("\(fitFile): \(problems.count) problem(s)\n  " + problems.joined(separator: "\n  "), Exit.failure) }
        do { try model.check(datasets, at: spec.parameters.map(\.initial)) } catch {
            throw fail("\(error)", Exit.failure)
        }
        // Outputs are checked before the first model run.
        let stem = ((fitFile as NSString).lastPathComponent as NSString).deletingPathExtension
        let configPath = configOutput ?? "results/\(stem)-fitted.json"
        for path in [configPath] + (output.map { [$0] } ?? []) where !force && FileManager.default.fileExists(atPath: path) {
            throw fail("\(path) exists; refusing to overwrite it (use --force)", Exit.file)
        }

        let fitter = Fitter(model: model, datasets: datasets, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        printError("fit: \(spec.parameters.count) parameter(s), \(datasets.map(\.count).reduce(0, +)) points in \(datasets.count) dataset(s), \(fitter.jobs) job(s)")
        let started = Date()
        let result: FitResult
        do {
            result = try fitter.fit { step, values in
                let shown = zip(spec.parameters, values).map { $0.shown($1, digits: 5) }.joined(separator: ", ")
                printError(String(format: "iteration %2d  cost %.6g  λ %@  runs %d  %.1f s  [%@]", step.iteration, step.cost,
                                  step.damping.isNaN ? "–" : String(format: "%.2g", step.damping), step.evaluations,
                                  Date().timeIntervalSince(started), shown))
            }
        } catch {
            throw fail("\(fitFile): the fit failed: \(error)", Exit.failure)
        }
        do {
            let fitted = try FitOutputs.fittedConfig(model: model, values: result.parameters.map(\.value))
            try FitOutputs.writeAtomically(fitted, to: configPath, overwrite: force)
            if let output { try FitWriter.write(result, spec: spec, to: output, overwrite: force) }
        } catch {
            throw fail("\(error)", Exit.output)
        }
        if json { printJSON(fitDocument(result, spec: spec, configPath: configPath)) } else { printReport(result, spec: spec, configPath: configPath) }
    }

    func synthesizeData(model: FitModel, truth: String) throws {
        let truthText = try readText(truth)
        let plan: SynthesisPlan
        do { plan = try SynthesisPlan.parse(truthText, source: truth, spec: model.spec) } catch let e as ConfigError {
            throw fail(e.description, Exit.failure)
        }
        for d in model.spec.data where !force && FileManager.default.fileExists(atPath: d.resolved) {
            throw fail("\(d.resolved) exists; refusing to overwrite it (use --force)", Exit.file)
        }
        let texts: [String]
        do { texts = try Fitter.synthesize(model: model, plan: plan, noise: noiseFraction ?? 0, seed: seed) } catch {
            throw fail("\(error)", Exit.failure)
        }
        for (d, text) in zip(model.spec.data, texts) {
            do { try FitOutputs.writeAtomically(text, to: d.resolved, overwrite: force) } catch { throw fail("\(error)", Exit.output) }
            print("wrote \(d.resolved)")
        }
    }
}
