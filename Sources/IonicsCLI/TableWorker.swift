import Foundation
import IonicsConfig
import IonicsDevice
import IonicsHDF5
import IonicsPresets

/// Runs one preset of `ionics table` in a child `ionics run`, so that a preset that
/// fails in any way — an error, a crash, a signal — is one FAILED row while the
/// others complete. The metrics are read back from the run's HDF5 file.
enum IsolatedPreset {
    /// This executable (Linux: /proc/self/exe).
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    static func run(path: String, outputFolder: String, overwrite: Bool, extraArguments: [String]) -> PresetResult {
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let out = PresetTable.outputPath(for: path, in: outputFolder)
        let start = Date()
        var result = PresetResult(name: name, path: path, reported: nil, metrics: nil, failure: nil, elapsed: 0, pulse: "", output: out)
        if let text = try? String(contentsOfFile: path, encoding: .utf8), let config = try? DeviceConfig.parse(text, source: path) {
            result.reported = config.reported
            result.pulse = config.reported?.pulse ?? ""
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["run", path, "-o", out] + (overwrite ? ["--force"] : []) + extraArguments
        process.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        process.standardError = err
        do {
            try process.run()
        } catch {
            result.failure = "cannot start \(executable): \(error)"
            result.elapsed = Date().timeIntervalSince(start)
            return result
        }
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let status = process.terminationStatus
        if process.terminationReason == .uncaughtSignal {
            result.failure = "crashed (signal \(status))" + (stderr.isEmpty ? "" : ": " + lastLines(stderr))
        } else if status != 0 {
            result.failure = errorText(stderr) ?? "exit status \(status)"
        }
        result.metrics = metrics(out)
        result.elapsed = Date().timeIntervalSince(start)
        return result
    }

    /// The `error:` lines of a run's stderr and the indented lines after them.
    static func errorText(_ stderr: String) -> String? {
        var lines: [Substring] = []
        var inError = false
        for line in stderr.split(separator: "\n") {
            if line.hasPrefix("error: ") {
                inError = true
                lines.append(line.dropFirst(7))
            } else if inError && line.hasPrefix(" ") {
                lines.append(line)
            } else {
                inError = false
            }
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    static func lastLines(_ text: String) -> String {
        text.split(separator: "\n").filter { !$0.contains("%") }.suffix(5).joined(separator: "\n")
    }

    /// The metrics a run wrote to `metrics/` of its file, if any.
    static func metrics(_ path: String) -> SynapticMetrics? {
        guard FileManager.default.fileExists(atPath: path), let file = try? HDF5File.open(at: path),
              let g = try? file.root().openGroup("metrics") else { return nil }
        func value(_ key: String) -> Double { (try? g.doubleAttribute(key)) ?? .nan }
        var m = SynapticMetrics()
        for (k, field) in SynapticMetrics.scalarAttributes { m[keyPath: field] = value(k) }
        let states = value("states")
        m.states = states.isFinite ? Int(max(0, min(states, 1e9))) : 0
        for (side, key) in [(0, "potentiation"), (1, "depression")] {
            let a = value("nonlinearity_\(key)_A"), n = value("nonlinearity_\(key)_A_over_N")
            let fit = a.isNaN && n.isNaN ? nil : NonlinearityFit.Result(a: a, normalisedA: n, curvature: .nan, rms: .nan)
            if side == 0 { m.potentiation = fit } else { m.depression = fit }
        }
        return m
    }
}
