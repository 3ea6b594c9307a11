import ArgumentParser
import Foundation
import IonicsExport

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a run's LTP/LTD branches for an array-level simulator: aihwkit, crosssim or neurosim.",
        discussion: """
            Reads G after each pulse of the first potentiation and depression branches of RUN.h5 and writes \
            into the folder OUT (default: next to RUN.h5, RUN-FORMAT/): aihwkit_device.json + aihwkit_device.py \
            (PiecewiseStepDevice, SoftBounds fit), crosssim set.csv, reset.csv, dG_increasing.csv, dG_decreasing.csv, \
            or neurosim_device.json + neurosim_param.txt. Formats and sources in docs/exports.md.
            """)

    @Argument(help: "Format: aihwkit, crosssim or neurosim.")
    var format: String

    @Argument(help: "The HDF5 run file (an ltp-ltd run).")
    var runFile: String

    @Option(name: .shortAndLong, help: "Output folder (default: RUN-FORMAT beside the run file).")
    var output: String?

    @Flag(help: "Replace existing output files.")
    var force = false

    func run() throws {
        guard let f = DeviceExportFormat(rawValue: format.lowercased()) else {
            printError("error: unknown format '\(format)'; use one of \(DeviceExportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            throw ExitCode(2)
        }
        let folder = output ?? Self.defaultFolder(run: runFile, format: f)
        do {
            let export = try DeviceExport.make(f, runFile: runFile)
            let written = try export.write(to: folder, overwrite: force)
            print(export.summary)
            for path in written { print("wrote       \(path)") }
        } catch let e as ExportError {
            printError("error: \(e)")
            throw ExitCode(1)
        }
    }

    /// RUN.h5 → RUN-FORMAT (a folder beside the run file).
    static func defaultFolder(run: String, format: DeviceExportFormat) -> String {
        (run as NSString).deletingPathExtension + "-" + format.rawValue
    }

    /// Writes `format` for every run file that has LTP/LTD branches (used by `ionics table --export`);
    /// returns a line per run for stderr. Runs without branches are reported, not failed.
    static func exportAll(_ format: String, runs: [String], overwrite: Bool) throws -> [String] {
        guard let f = DeviceExportFormat(rawValue: format.lowercased()) else {
            printError("error: unknown export format '\(format)'; use one of \(DeviceExportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            throw ExitCode(2)
        }
        return runs.map { run in
            do {
                let folder = defaultFolder(run: run, format: f)
                let export = try DeviceExport.make(f, runFile: run)
                try export.write(to: folder, overwrite: overwrite)
                return String(format: "export: %@ (replay error %.3g %% of range)", folder, 100 * export.replayError)
            } catch {
                return "export: \(run): skipped: \(error)"
            }
        }
    }
}
