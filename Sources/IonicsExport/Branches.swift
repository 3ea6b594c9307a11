import Foundation
import IonicsHDF5

/// Why an export cannot be made; the message names what is missing.
public struct ExportError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The potentiation (LTP) and depression (LTD) branches of a run: G before the first
/// pulse of a branch, then G read after each pulse of it (the first contiguous run of
/// each kind in experiment 0, as `SynapticMetrics` takes them; docs/metrics.md).
public struct PulseBranches: Sendable, Equatable {
    /// Device name (root attribute `device`; empty when absent).
    public var device: String
    /// Potentiation branch G_0 … G_N, S.
    public var potentiation: [Double]
    /// Depression branch G_0 … G_N, S.
    public var depression: [Double]
    /// Mean pulse duration of each branch, s (NaN when the run file lacks `pulses/start`/`end`).
    public var pulseWidth: (potentiation: Double, depression: Double)
    /// Mean peak terminal voltage of each branch's pulses, V, signed as applied (NaN when absent).
    public var pulseVoltage: (potentiation: Double, depression: Double)
    /// Mean write energy ∫|V·I| dt per pulse of each branch, J (NaN when absent).
    public var writeEnergy: (potentiation: Double, depression: Double)

    public init(
        device: String = "", potentiation: [Double], depression: [Double],
        pulseWidth: (Double, Double) = (.nan, .nan), pulseVoltage: (Double, Double) = (.nan, .nan),
        writeEnergy: (Double, Double) = (.nan, .nan)
    ) {
        self.device = device
        self.potentiation = potentiation
        self.depression = depression
        self.pulseWidth = pulseWidth
        self.pulseVoltage = pulseVoltage
        self.writeEnergy = writeEnergy
    }

    public static func == (a: PulseBranches, b: PulseBranches) -> Bool {
        a.device == b.device && a.potentiation == b.potentiation && a.depression == b.depression
    }

    /// Smallest and largest G over both branches, S.
    public var gMin: Double { (potentiation + depression).min() ?? .nan }
    public var gMax: Double { (potentiation + depression).max() ?? .nan }

    /// Pulse kind codes of `pulses/kind` (docs/output.md).
    static let potentiationCode = 0.0
    static let depressionCode = 1.0

    /// Reads the branches from an Ionics run file (schema of docs/output.md).
    public static func read(runFile path: String) throws -> PulseBranches {
        guard FileManager.default.fileExists(atPath: path) else { throw ExportError("\(path): no such file") }
        let file: HDF5File
        do { file = try HDF5File.open(at: path) } catch { throw ExportError("\(path): not an HDF5 file (\(error.message))") }
        defer { file.close() }
        let root = try file.root()
        let device = (try? root.stringAttribute("device")) ?? ""
        let protocolType = (try? root.stringAttribute("protocol")) ?? "?"
        guard try root.contains("pulses"), try root.isGroup("pulses") else {
            throw ExportError("\(path): the run has no group 'pulses' (protocol \(protocolType)); exports need an ltp-ltd run")
        }
        let pulses = try root.openGroup("pulses")
        func column(_ name: String, required: Bool) throws -> [Double]? {
            guard try pulses.contains(name) else {
                if required { throw ExportError("\(path): missing dataset 'pulses/\(name)' (protocol \(protocolType)); exports need an ltp-ltd run") }
                return nil
            }
            return try pulses.read(name).values
        }
        let kind = try column("kind", required: true)!
        let index = try column("index", required: true)!
        let experiment = try column("experiment", required: true)!
        let before = try column("conductance_before", required: true)!
        let after = try column("conductance_after", required: true)!
        let start = try column("start", required: false)
        let end = try column("end", required: false)
        let voltage = try column("peak_voltage", required: false)
        let energy = try column("write_energy", required: false)

        /// Row numbers of the first contiguous run of `code` in experiment 0.
        func rows(_ code: Double) -> [Int] {
            let candidates = kind.indices.filter { kind[$0] == code && experiment[$0] == experiment.first }
            guard let first = candidates.first else { return [] }
            var run = [first]
            for r in candidates.dropFirst() where index[r] == index[run.last!] + 1 { run.append(r) }
            return run
        }
        let up = rows(potentiationCode)
        let down = rows(depressionCode)
        guard !up.isEmpty else {
            throw ExportError("\(path): 'pulses/kind' has no potentiation pulse (code 0; protocol \(protocolType)); exports need an ltp-ltd run")
        }
        guard !down.isEmpty else {
            throw ExportError("\(path): 'pulses/kind' has no depression pulse (code 1; protocol \(protocolType)); exports need an ltp-ltd run")
        }
        func branch(_ r: [Int]) throws -> [Double] {
            let g = [before[r[0]]] + r.map { after[$0] }
            guard g.allSatisfy(\.isFinite) else {
                throw ExportError("\(path): 'pulses/conductance_after' holds NaN (no conductance readout?); exports need G after each pulse")
            }
            return g
        }
        func mean(_ values: [Double]?, _ r: [Int], _ f: (Int, [Double]) -> Double) -> Double {
            guard let values else { return .nan }
            return r.map { f($0, values) }.reduce(0, +) / Double(r.count)
        }
        func width(_ r: [Int]) -> Double {
            guard let start, let end else { return .nan }
            return r.map { end[$0] - start[$0] }.reduce(0, +) / Double(r.count)
        }
        return PulseBranches(
            device: device, potentiation: try branch(up), depression: try branch(down),
            pulseWidth: (width(up), width(down)),
            pulseVoltage: (mean(voltage, up) { $1[$0] }, mean(voltage, down) { $1[$0] }),
            writeEnergy: (mean(energy, up) { $1[$0] }, mean(energy, down) { $1[$0] }))
    }

    /// Largest deviation of `replayed` from `simulated`, relative to Gmax − Gmin of the branches.
    public func relativeError(_ replayed: [Double], _ simulated: [Double]) -> Double {
        let range = gMax - gMin
        return zip(replayed, simulated).map { abs($0 - $1) }.max().map { $0 / range } ?? .nan
    }
}
