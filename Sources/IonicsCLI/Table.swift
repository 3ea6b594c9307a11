import ArgumentParser
import Foundation
import IonicsOutput
import IonicsPresets
import IonicsUnits

struct Table: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every device preset and print the review's Table 1 beside the simulation.",
        discussion: "Writes table.md, table.csv and one HDF5 file per device to the output folder.")

    @Option(name: .shortAndLong, help: "Parallel runs (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .shortAndLong, help: "Output folder.")
    var output: String = "results/table"

    @Option(help: "Folder of device presets.")
    var devices: String = "configs/devices"

    @Option(help: "Run only presets whose file name contains this text.")
    var only: String?

    @Flag(help: "Replace existing output files.")
    var force = false

    @Flag(help: "Print the table as JSON on stdout instead of Markdown (schema ionics.table, docs/cli.md).")
    var json = false

    @Flag(help: "Run the presets in this process instead of one child process each (a crash then stops the table).")
    var inProcess = false

    @OptionGroup var limitOptions: LimitOptions

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
    }

    /// The limit options to pass on to each preset's run.
    var limitArguments: [String] {
        var a: [String] = []
        if let n = limitOptions.maxCells { a += ["--max-cells", "\(n)"] }
        if let m = limitOptions.maxMemory { a += ["--max-memory", m] }
        if let n = limitOptions.maxSteps { a += ["--max-steps", "\(n)"] }
        if let m = limitOptions.maxOutput { a += ["--max-output", m] }
        return a
    }

    @Option(help: "Also write a device export per preset (aihwkit, crosssim or neurosim) into <device>-FORMAT/ beside table.csv.")
    var export: String?

    func run() throws {
        if let export { _ = try Export.exportAll(export, runs: [], overwrite: force) }  // rejects an unknown format before any run
        var paths = PresetTable.presets(in: devices)
        if let only { paths = paths.filter { $0.contains(only) } }
        guard !paths.isEmpty else {
            printError("error: no presets in \(devices)")
            throw ExitCode(2)
        }
        let tablePaths = ["table.md", "table.csv"].map { (output as NSString).appendingPathComponent($0) }
        let existing = (tablePaths + paths.map { PresetTable.outputPath(for: $0, in: output) })
            .filter { FileManager.default.fileExists(atPath: $0) }
        if !force && !existing.isEmpty {
            // Checked before anything runs: a table of failures must not replace a good one.
            printError("error: \(existing.count) output file(s) exist in \(output) (\(existing.prefix(3).map { ($0 as NSString).lastPathComponent }.joined(separator: ", "))\(existing.count > 3 ? ", …" : "")); use --force to replace them or -o to write elsewhere")
            throw ExitCode(2)
        }
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        printError("table: \(paths.count) presets on \(max(1, min(jobs, paths.count))) threads")
        let report: @Sendable (PresetResult) -> Void = { r in
            printError(String(format: "table: %@ %@ in %.1f s", r.name, r.failure == nil ? "done" : "FAILED", r.elapsed))
        }
        let extra = limitArguments
        let (folder, overwrite) = (output, force)
        let results = inProcess
            ? PresetTable.runAll(paths: paths, outputFolder: output, jobs: jobs, overwrite: force, done: report)
            : PresetTable.runAll(paths: paths, jobs: jobs, done: report) { path in
                IsolatedPreset.run(path: path, outputFolder: folder, overwrite: overwrite, extraArguments: extra)
            }
        let md = PresetTable.markdown(results)
        if json { printJSON(tableDocument(results, output: output)) } else { print(md) }
        try (md + "\n").write(toFile: tablePaths[0], atomically: true, encoding: .utf8)
        try PresetTable.csv(results).write(toFile: tablePaths[1], atomically: true, encoding: .utf8)
        if let export {
            let runs = results.filter { $0.failure == nil }.map(\.output)
            for line in try Export.exportAll(export, runs: runs, overwrite: force) { printError(line) }
        }
        let failed = results.filter { $0.failure != nil }
        // Full reasons in a log beside the table (the table has one line each).
        let log = (output as NSString).appendingPathComponent("table-failures.log")
        if failed.isEmpty {
            try? FileManager.default.removeItem(atPath: log)
        } else {
            let text = failed.map { "== \($0.name) (\($0.path))\n\($0.failure ?? "")\n" }.joined(separator: "\n")
            try text.write(toFile: log, atomically: true, encoding: .utf8)
            printError("table: the full failure reasons are in \(log)")
        }
        let outside = results.filter { $0.failure == nil && !$0.meetsCalibration }
        printError("table: \(results.count - failed.count - outside.count) of \(results.count) reproduce their fitted quantities within the calibration bounds"
                   + (failed.isEmpty ? "" : "; \(failed.count) failed") + (outside.isEmpty ? "" : "; \(outside.count) outside the bounds"))
        if !failed.isEmpty { throw ExitCode(1) }
    }
}

struct PlasticityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plasticity",
        abstract: "Show one of the review's Fig. 2 behaviours (stp, ltp, srdp, svdp, sndp, swdp, ppf, stdp) on a device preset.")

    @Argument(help: "Preset name (configs/devices/NAME.json) or a config path.")
    var device: String

    @Argument(help: "Behaviour: stp, ltp, srdp, svdp, sndp, swdp, ppf or stdp.")
    var behaviour: String

    @Option(name: .shortAndLong, help: "Output HDF5 file (default: results/<device>-<behaviour>.h5).")
    var output: String?

    @Option(help: "Folder of device presets.")
    var devices: String = "configs/devices"

    @Option(help: "Run at this temperature instead (e.g. \"350 degC\").")
    var temperature: String?

    @Option(name: .customLong("set"), help: "Override a preset value: key.path=value (repeatable), e.g. --set 'plasticity.stp.pulse.width=\"100 ms\"'.")
    var overrides: [String] = []

    @Option(help: "Extra folder of material files (searched first).")
    var materials: String?

    @Flag(help: "Replace an existing output file.")
    var force = false

    func run() throws {
        var kelvin: Double?
        if let temperature {
            do { kelvin = try UnitParser.value(temperature, as: .temperature) } catch {
                printError("error: --temperature: \(error)")
                throw ExitCode(2)
            }
        }
        let path = device.hasSuffix(".json") ? device : (devices as NSString).appendingPathComponent(device + ".json")
        let b = behaviour.lowercased()
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let out = output ?? "results/\(name)-\(b).h5"
        // The output is checked and locked before anything runs, as for `ionics run`.
        let target: OutputTarget
        do { target = try OutputTarget.acquire(out, overwrite: force) } catch { throw fail(error.description, Exit.file) }
        defer { target.release() }
        for s in target.staleFiles { printError("warning: \(s) was left by a run that did not finish; it is kept, not overwritten") }
        StopSignals.install()
        do {
            let summary = try PlasticityRun.run(path: path, behaviour: b, output: out, overwrite: force, temperature: kelvin,
                                                overrides: overrides, materialFolders: materials.map { [$0] } ?? [],
                                                workingPath: target.workingPath, shouldStop: { StopSignals.requested })
            print(summary.line)
            print("output      \(out)")
        } catch let e as PlasticityRun.Failure {
            printError("error: \(e)")
            throw ExitCode(StopSignals.requested ? Exit.signal(StopSignals.signal) : Exit.failure)
        } catch let e as OutputError {
            throw fail(e.description, Exit.output)
        }
    }
}
