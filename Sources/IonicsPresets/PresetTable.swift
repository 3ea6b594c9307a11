import Foundation
public import IonicsConfig
public import IonicsDevice
import IonicsOutput

/// One preset run for the device table: what the paper reports, what Ionics computes,
/// which quantities were fitted and which are predictions (with their errors).
public struct PresetResult: Sendable {
    public var name: String
    public var path: String
    public var reported: ReportedConfig?
    public var metrics: SynapticMetrics?
    /// nil when the run completed; otherwise why it failed.
    public var failure: String?
    public var elapsed: Double
    public var pulse: String
    public var output: String

    public init(name: String, path: String, reported: ReportedConfig? = nil, metrics: SynapticMetrics? = nil, failure: String? = nil,
                elapsed: Double = 0, pulse: String = "", output: String) {
        self.name = name
        self.path = path
        self.reported = reported
        self.metrics = metrics
        self.failure = failure
        self.elapsed = elapsed
        self.pulse = pulse
        self.output = output
    }

    /// Relative deviations of Gmin and Gmax from the reported values.
    public var gminError: Double? {
        guard let r = reported, let m = metrics, r.gmin > 0 else { return nil }
        return abs(m.gMin - r.gmin) / r.gmin
    }
    public var gmaxError: Double? {
        guard let r = reported, let m = metrics, r.gmax > 0 else { return nil }
        return abs(m.gMax - r.gmax) / r.gmax
    }
    /// Simulated energy per pulse in the paper's definition (``ReportedConfig/energyDefinition``):
    /// per channel area (J/m²) when Table 1 gives it per area, else absolute (J).
    public var simulatedEnergy: Double? {
        guard let m = metrics else { return nil }
        let total = reported?.energyDefinition == "total"
        if reported?.energy != nil && reported?.energyPerArea == nil { return total ? m.totalEnergyPerPulse : m.energyPerPulse }
        return total ? m.totalEnergyPerArea : m.energyPerArea
    }

    /// Simulated / reported energy in the paper's definition, when Table 1's figure is consistent.
    public var energyRatio: Double? {
        guard let r = reported, r.energyConsistent, let s = simulatedEnergy, let e = r.energyPerArea ?? r.energy else { return nil }
        return s / e
    }

    /// (simulated, reported) of a quantity of ``ReportedConfig/quantities``; the reported
    /// value is nil where the paper gives none (or Table 1's energy is inconsistent).
    public func comparison(_ quantity: String) -> (simulated: Double, reported: Double?)? {
        guard let m = metrics else { return nil }
        let r = reported
        switch quantity {
        case "gmin": return (m.gMin, r?.gmin)
        case "gmax": return (m.gMax, r?.gmax)
        case "ratio": return (m.ratio, r.map { $0.gmax / $0.gmin })
        case "energy":
            guard let s = simulatedEnergy else { return nil }
            return (s, r.flatMap { $0.energyConsistent ? ($0.energyPerArea ?? $0.energy) : nil })
        case "nl_potentiation": return m.potentiation.map { ($0.normalisedA, nil) }
        case "nl_depression": return m.depression.map { ($0.normalisedA, nil) }
        case "states": return (Double(m.states), nil)
        default: return nil
        }
    }

    /// Signed relative error (simulated − reported)/reported of every predicted quantity
    /// the paper gives a value for.
    public var predictionErrors: [(name: String, error: Double)] {
        (reported?.predicted ?? []).compactMap { q in
            guard let c = comparison(q), let rep = c.reported, rep != 0, c.simulated.isFinite else { return nil }
            return (q, (c.simulated - rep) / rep)
        }
    }

    /// The calibration bounds on the *fitted* quantities: Gmin, Gmax and Gmax/Gmin within
    /// 20 %, energy within a factor of 3. Predicted quantities are reported, not bounded.
    public var meetsCalibration: Bool {
        guard failure == nil, metrics != nil, let r = reported else { return false }
        for q in r.fitted {
            guard let c = comparison(q) else { return false }
            guard let rep = c.reported else { continue }
            let ok = q == "energy" ? (c.simulated / rep >= 1.0 / 3 && c.simulated / rep <= 3) : abs(c.simulated - rep) <= 0.2 * abs(rep)
            if !ok { return false }
        }
        return true
    }
}

/// Runs the device presets (`configs/devices/*.json`) and tabulates them against the
/// review's Table 1.
public enum PresetTable {
    /// The preset files of a folder, sorted by reference then name.
    public static func presets(in folder: String) -> [String] {
        let fm = FileManager.default
        guard let files = try? fm.contentsOfDirectory(atPath: folder) else { return [] }
        return files.filter { $0.hasSuffix(".json") }.sorted().map { (folder as NSString).appendingPathComponent($0) }
    }

    /// Builds a preset's device, reporting config problems as errors.
    public static func device(at path: String, overrides: [String] = [], materialFolders: [String] = []) throws -> Device {
        let config = try DeviceConfig.parse(try String(contentsOfFile: path, encoding: .utf8), source: path, overrides: overrides)
        let library = MaterialLibrary(folders: materialFolders + MaterialLibrary.searchFolders(configPath: path, extra: config.materialPaths))
        return try DeviceBuilder.build(config, materials: library, source: path)
    }

    /// The HDF5 file a preset's run writes: `<folder>/<name>.h5`.
    public static func outputPath(for path: String, in outputFolder: String) -> String {
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return (outputFolder as NSString).appendingPathComponent(name + ".h5")
    }

    /// Runs one preset, writing ``outputPath(for:in:)``.
    public static func run(path: String, outputFolder: String, overwrite: Bool) -> PresetResult {
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let out = outputPath(for: path, in: outputFolder)
        let start = Date()
        var result = PresetResult(name: name, path: path, reported: nil, metrics: nil, failure: nil, elapsed: 0, pulse: "", output: out)
        do {
            let device = try device(at: path)
            result.reported = device.config.reported
            result.pulse = device.config.reported?.pulse ?? ""
            let simulation = try Simulation(device: device)
            let writer = try RunWriter(path: out, config: device.config, overwrite: overwrite)
            var outcomes: [ExperimentOutcome] = []
            do {
                outcomes = try simulation.run(observer: writer)
            } catch let e as SimulationError {
                result.failure = e.description
                outcomes = e.partial
            }
            let metrics = SynapticMetrics.compute(
                type: simulation.schedule.type, outcomes: outcomes, area: device.area,
                ionCharge: Double(device.problem.species.first { $0.charge != 0 }?.charge ?? 1))
            result.metrics = metrics
            try writer.finish(status: result.failure == nil ? "completed" : "failed", failure: result.failure, metrics: metrics, outcomes: outcomes)
        } catch {
            result.failure = "\(error)"
        }
        result.elapsed = Date().timeIntervalSince(start)
        return result
    }

    /// Runs every preset on up to `jobs` threads (Dispatch), calling `done` as each finishes.
    public static func runAll(
        paths: [String], outputFolder: String, jobs: Int, overwrite: Bool, done: @escaping @Sendable (PresetResult) -> Void
    ) -> [PresetResult] {
        runAll(paths: paths, jobs: jobs, done: done) { run(path: $0, outputFolder: outputFolder, overwrite: overwrite) }
    }

    /// A preset's expected run time in arbitrary units: the protocol's segments (each
    /// starts with a discontinuity that the integrator resolves from small steps, so
    /// steps grow with their count) times the mesh's cells (the cost of a step). On the
    /// 16 presets it ranks the longest run (Bao 2019) first and every run under 1 s among
    /// the last five. 0 when the preset does not build (it fails fast).
    public static func estimatedCost(path: String) -> Double {
        guard let device = try? device(at: path) else { return 0 }
        let segments = device.config.protocolConfig?.extent().segments ?? 1
        return max(1, segments) * Double(device.mesh.cellCount)
    }

    /// Runs `body` for every preset path on up to `jobs` threads, calling `done` as each
    /// finishes; the results are in the order of `paths`.
    ///
    /// Runs are started longest first by ``estimatedCost(path:)`` (the LPT rule of
    /// Graham, SIAM J. Appl. Math. 17, 416 (1969)): with runs as uneven as the presets'
    /// (0.2–28 s), starting the longest last can leave one thread running it alone
    /// after the others are done.
    public static func runAll(
        paths: [String], jobs: Int, done: @escaping @Sendable (PresetResult) -> Void,
        _ body: @escaping @Sendable (String) -> PresetResult
    ) -> [PresetResult] {
        let workers = max(1, min(jobs, paths.count))
        let order = workers == 1 ? Array(paths.indices)
            : longestFirst(paths.map { estimatedCost(path: $0) })
        return runAll(paths: paths, order: order, workers: workers, done: done, body)
    }

    /// Indices of `costs` from the largest to the smallest (ties in their given order).
    public static func longestFirst(_ costs: [Double]) -> [Int] {
        costs.indices.sorted { costs[$0] > costs[$1] || (costs[$0] == costs[$1] && $0 < $1) }
    }

    static func runAll(
        paths: [String], order: [Int], workers: Int, done: @escaping @Sendable (PresetResult) -> Void,
        _ body: @escaping @Sendable (String) -> PresetResult
    ) -> [PresetResult] {
        final class Box: @unchecked Sendable {
            var results: [PresetResult?]
            var next = 0
            let lock = NSLock()
            init(_ n: Int) { results = [PresetResult?](repeating: nil, count: n) }
        }
        let box = Box(paths.count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                box.lock.lock()
                let k = box.next
                box.next += 1
                box.lock.unlock()
                guard k < order.count else { return }
                let i = order[k]
                let r = body(paths[i])
                box.lock.lock()
                box.results[i] = r
                box.lock.unlock()
                done(r)
            }
        }
        return box.results.map { $0! }
    }

    static func si(_ x: Double?, _ unit: String) -> String {
        guard let x, x.isFinite else { return "–" }
        if x == 0 { return "0 \(unit)" }
        let prefixes: [(Double, String)] = [(1e-3, "m"), (1e-6, "µ"), (1e-9, "n"), (1e-12, "p"), (1e-15, "f"), (1e-18, "a")]
        if abs(x) >= 0.9995 { return String(format: "%.3g %@", x, unit) }
        for (scale, p) in prefixes where abs(x) >= scale * 0.9995 { return String(format: "%.3g %@%@", x / scale, p, unit) }
        return String(format: "%.3g %@", x, unit)
    }

    /// Energy as Table 1 gives it: per area in fJ/µm², or absolute.
    static func energyText(perArea: Double?, absolute: Double?) -> String {
        if let e = perArea { return String(format: "%.3g fJ/µm²", e * 1e3) }
        return si(absolute, "J")
    }

    /// A failure reason fit for one table cell: whitespace (newlines too) collapsed,
    /// `|` escaped, at most 100 characters (the full reason goes to the log).
    public static func oneLine(_ text: String) -> String {
        let words = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        let short = words.count > 100 ? String(words.prefix(99)) + "…" : words
        return short.replacingOccurrences(of: "|", with: "\\|")
    }

    /// "gmax −12 %, energy ×0.11" for the prediction errors; misses of ±1000 % and more
    /// in two digits ("gmax +2.2e+05 %").
    static func errorText(_ r: PresetResult) -> String {
        r.predictionErrors.map { errorText(name: $0.name, error: $0.error) }.joined(separator: ", ")
    }

    /// One prediction error: `error` is (simulated − reported)/reported.
    public static func errorText(name: String, error: Double) -> String {
        if name == "energy" { return String(format: "energy ×%.2g", 1 + error) }
        return String(format: abs(error) < 10 ? "%@ %+.0f %%" : "%@ %+.2g %%", name, 100 * error)
    }

    /// The reported-beside-simulated table in markdown.
    public static func markdown(_ results: [PresetResult]) -> String {
        var lines = [
            "| ref | device | pulse | G range reported | G range simulated | ratio rep. / sim. | energy reported | energy simulated | NL A/N (P / D) | states | fitted | predicted (error) | status |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in results.sorted(by: { ($0.reported?.reference ?? 0, $0.name) < ($1.reported?.reference ?? 0, $1.name) }) {
            let rep = r.reported
            let m = r.metrics
            let gRep = rep.map { "\(si($0.gmin, "S")) – \(si($0.gmax, "S"))" } ?? "–"
            let gSim = m.map { "\(si($0.gMin, "S")) – \(si($0.gMax, "S"))" } ?? "–"
            let ratio = (rep.map { String(format: "%.3g", $0.gmax / $0.gmin) } ?? "–") + " / " + (m.map { String(format: "%.3g", $0.ratio) } ?? "–")
            let definition = rep?.energyDefinition == "total" ? "total" : "gate"
            let eRep = rep.map { energyText(perArea: $0.energyPerArea, absolute: $0.energy) + ($0.energyConsistent ? "" : " (inconsistent)") } ?? "–"
            // The paper's definition first, then the other one (gate ↔ total), in the same unit.
            let eSim: String = {
                guard let e = r.simulatedEnergy, let m else { return "–" }
                let other = definition == "total" ? "gate" : "total"
                if rep?.energyPerArea != nil || rep?.energy == nil {
                    let o = definition == "total" ? m.energyPerArea : m.totalEnergyPerArea
                    return String(format: "%.3g fJ/µm² (%@); %.3g fJ/µm² %@", e * 1e3, definition, o * 1e3, other)
                }
                let o = definition == "total" ? m.energyPerPulse : m.totalEnergyPerPulse
                return si(e, "J") + " (\(definition)); " + si(o, "J") + " \(other)"
            }()
            let nl = m.map { mm in
                [mm.potentiation, mm.depression].map { $0.map { String(format: "%.2g", $0.normalisedA) } ?? "–" }.joined(separator: " / ")
            } ?? "–"
            let states = m.map { $0.states > 0 ? "\($0.states)" : "–" } ?? "–"
            let fitted = rep.map { $0.fitted.isEmpty ? "–" : $0.fitted.joined(separator: ", ") } ?? "–"
            var predicted = rep.map { $0.predicted.isEmpty ? "–" : $0.predicted.joined(separator: ", ") } ?? "–"
            let errors = errorText(r)
            if !errors.isEmpty { predicted += " (\(errors))" }
            let status: String
            if let f = r.failure {
                status = "FAILED: " + oneLine(f)
            } else if r.meetsCalibration {
                status = "fitted within bounds"
            } else {
                status = String(format: "fitted outside bounds (Gmin %.0f %%, Gmax %.0f %%%@)", 100 * (r.gminError ?? .nan), 100 * (r.gmaxError ?? .nan),
                                r.energyRatio.map { String(format: ", energy ×%.2g", $0) } ?? "")
            }
            lines.append("| \(rep.map { String($0.reference) } ?? "–") | \(r.name) | \(r.pulse) | \(gRep) | \(gSim) | \(ratio) | \(eRep) | \(eSim) | \(nl) | \(states) | \(fitted) | \(predicted) | \(status) |")
        }
        return lines.joined(separator: "\n")
    }

    /// The same table as CSV (SI units). `fitted` and `predicted` are lists of quantity
    /// names separated by ";", `prediction_errors` "name:error" pairs (signed relative).
    public static func csv(_ results: [PresetResult]) -> String {
        var lines = ["reference,device,pulse,gmin_reported_S,gmax_reported_S,gmin_simulated_S,gmax_simulated_S,energy_reported_J_per_m2,energy_reported_J,energy_consistent,energy_definition,energy_per_area_simulated_J_per_m2,energy_per_pulse_simulated_J,gate_energy_per_pulse_J,read_energy_per_pulse_J,total_energy_per_pulse_J,total_energy_per_area_J_per_m2,energy_simulated_as_reported,nl_potentiation_A_over_N,nl_depression_A_over_N,states,fitted,predicted,prediction_errors,meets_calibration,failure,elapsed_s"]
        func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        func n(_ x: Double?) -> String { x.map { $0.isFinite ? "\($0)" : "" } ?? "" }
        for r in results {
            let rep = r.reported, m = r.metrics
            lines.append([
                rep.map { String($0.reference) } ?? "", q(r.name), q(r.pulse), n(rep?.gmin), n(rep?.gmax), n(m?.gMin), n(m?.gMax),
                n(rep?.energyPerArea), n(rep?.energy), rep.map { $0.energyConsistent ? "true" : "false" } ?? "", rep?.energyDefinition ?? "",
                n(m?.energyPerArea), n(m?.energyPerPulse), n(m?.energyPerPulse), n(m?.readEnergyPerPulse), n(m?.totalEnergyPerPulse),
                n(m?.totalEnergyPerArea), n(r.simulatedEnergy),
                n(m?.potentiation?.normalisedA), n(m?.depression?.normalisedA), m.map { String($0.states) } ?? "",
                q(rep?.fitted.joined(separator: ";") ?? ""), q(rep?.predicted.joined(separator: ";") ?? ""),
                q(r.predictionErrors.map { "\($0.name):\($0.error)" }.joined(separator: ";")),
                r.meetsCalibration ? "true" : "false", q(r.failure ?? ""), String(format: "%.2f", r.elapsed),
            ].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
