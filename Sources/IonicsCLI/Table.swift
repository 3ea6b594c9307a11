import ArgumentParser
import Foundation
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

    func run() throws {
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
        let results = PresetTable.runAll(paths: paths, outputFolder: output, jobs: jobs, overwrite: force) { r in
            printError(String(format: "table: %@ %@ in %.1f s", r.name, r.failure == nil ? "done" : "FAILED", r.elapsed))
        }
        let md = PresetTable.markdown(results)
        if json { printJSON(tableDocument(results, output: output)) } else { print(md) }
        try (md + "\n").write(toFile: tablePaths[0], atomically: true, encoding: .utf8)
        try PresetTable.csv(results).write(toFile: tablePaths[1], atomically: true, encoding: .utf8)
        let failed = results.filter { $0.failure != nil }
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
        do {
            let summary = try PlasticityRun.run(path: path, behaviour: b, output: out, overwrite: force, temperature: kelvin)
            print(summary.line)
            print("output      \(out)")
        } catch let e as PlasticityRun.Failure {
            printError("error: \(e)")
            throw ExitCode(1)
        }
    }
}
