import Foundation

/// Device exports for array-level simulators (docs/exports.md): what each format holds,
/// how well it reproduces the simulated branches, and the files it writes.
public enum DeviceExportFormat: String, CaseIterable, Sendable {
    case aihwkit, crosssim, neurosim
}

public struct DeviceExport: Sendable {
    public let format: DeviceExportFormat
    public let branches: PulseBranches
    /// Files (name, contents) to write into the output folder.
    public let files: [(name: String, text: String)]
    /// Largest replay deviation over both branches, as a fraction of Gmax − Gmin.
    public let replayError: Double
    /// One-line description of what was exported, for the CLI.
    public let summary: String

    /// Builds the export of `format` from a run file.
    public static func make(_ format: DeviceExportFormat, runFile: String) throws -> DeviceExport {
        try make(format, branches: PulseBranches.read(runFile: runFile), source: runFile)
    }

    public static func make(_ format: DeviceExportFormat, branches b: PulseBranches, source: String = "") throws -> DeviceExport {
        let up = b.potentiation.count - 1, down = b.depression.count - 1
        switch format {
        case .aihwkit:
            let d = PiecewiseStepDevice.fit(b)
            let raises = b.potentiation.last! >= b.potentiation.first!
            let e = max(b.relativeError(d.replay(from: b.potentiation[0], pulses: up, up: raises), b.potentiation),
                        b.relativeError(d.replay(from: b.depression[0], pulses: down, up: !raises), b.depression))
            let soft = SoftBoundsFit.fit(b, mapping: d)
            let json = try AIHWKitDocument(device: b.device, source: source, piecewise: d, softBounds: soft, replayError: e).json()
            return DeviceExport(
                format: format, branches: b,
                files: [("aihwkit_device.json", json), ("aihwkit_device.py", AIHWKitDocument.python(d, soft, device: b.device))],
                replayError: e,
                summary: String(format: "aihwkit PiecewiseStepDevice: %d nodes, dw_min %.4g, up_down %+.4f; replay error %.3g %% of range; SoftBounds fit %@",
                                d.piecewiseUp.count, d.dwMin, d.upDown, 100 * e, soft.suitable ? "suitable" : "not suitable"))
        case .crosssim:
            let t = CrossSimTables.make(b)
            let e = max(
                b.relativeError(CrossSimTables.replay(t.dGIncreasing, from: t.increasing[0], pulses: t.increasing.count - 1, gMin: b.gMin, gMax: b.gMax), t.increasing),
                b.relativeError(CrossSimTables.replay(t.dGDecreasing, from: t.decreasing[0], pulses: t.decreasing.count - 1, gMin: b.gMin, gMax: b.gMax), t.decreasing))
            return DeviceExport(
                format: format, branches: b, files: t.files(), replayError: e,
                summary: String(format: "CrossSim tables: set.csv %d rows, reset.csv %d rows, ΔG(G) %d/%d bins; replay error %.3g %% of range",
                                t.increasing.count, t.decreasing.count, t.dGIncreasing.count, t.dGDecreasing.count, 100 * e))
        case .neurosim:
            let p = try NeuroSimParameters.make(b)
            let r = p.regenerate()
            let e = max(b.relativeError(r.potentiation, b.potentiation), b.relativeError(r.depression, b.depression))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            let json = String(decoding: try encoder.encode(p), as: UTF8.self) + "\n"
            return DeviceExport(
                format: format, branches: b,
                files: [("neurosim_device.json", json), ("neurosim_param.txt", p.paramText(device: b.device))],
                replayError: e,
                summary: String(format: "NeuroSim: LTP %d levels A/N %.4g (residual %.3g %%), LTD %d levels A/N %.4g (residual %.3g %%); largest regeneration error %.3g %% of range",
                                p.ltp.levels, p.ltp.normalisedA, 100 * p.ltp.residual, p.ltd.levels, p.ltd.normalisedA, 100 * p.ltd.residual, 100 * e))
        }
    }

    /// Paths the export would write into `folder`.
    public func paths(in folder: String) -> [String] {
        files.map { (folder as NSString).appendingPathComponent($0.name) }
    }

    /// Writes the files into `folder` (created when missing). Without `overwrite`, fails
    /// before writing anything when one of them exists.
    @discardableResult
    public func write(to folder: String, overwrite: Bool) throws -> [String] {
        let targets = paths(in: folder)
        if !overwrite, let existing = targets.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            throw ExportError("\(existing) exists; use --force to replace it or -o to write elsewhere")
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (path, file) in zip(targets, files) { try file.text.write(toFile: path, atomically: true, encoding: .utf8) }
        return targets
    }
}
