import Foundation
import IonicsConfig
public import IonicsDevice

/// What one model run gives the fit: G after each pulse and every terminal's voltage
/// and current at every accepted step, per experiment.
public struct ModelOutput: Sendable {
    public struct Series: Sendable {
        /// Step end times within the experiment, s (non-decreasing; a discontinuity repeats a time).
        public var time: [Double] = []
        /// Per terminal: potential, V, and mean current over the step, A.
        public var voltage: [[Double]]
        public var current: [[Double]]
        /// The times the mean currents belong to: each step's midpoint (a
        /// re-initialisation's own time), s.
        public var currentTime: [Double] = []
    }

    /// Per experiment: pulse number (1-based, counted through the protocol) → G after it, S.
    public var conductance: [[Int: Double]]
    public var series: [Series]
    public var terminalNames: [String]
    /// Wall time of the run, s.
    public var elapsed: Double
}

/// Why the model could not be set up or run.
public struct FitModelError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Runs the base config with the fixed overrides and the parameters' values, as
/// `ionics run CONFIG --set …` would, and extracts what the datasets compare with.
/// Every run builds its own device and ``Simulation``, so runs may go in parallel.
public struct FitModel: Sendable {
    public let spec: FitSpec
    public let baseText: String
    public let materialFolders: [String]

    public init(spec: FitSpec, materialFolders: [String] = []) throws {
        self.spec = spec
        self.materialFolders = materialFolders
        do { baseText = try DeviceLoader.readConfig(spec.baseResolved) } catch {
            throw FitModelError(message: "base: \(error)")
        }
    }

    /// The `--set` assignments of a run at SI `values`: the fixed overrides, the fit's
    /// tighter solver tolerances, then the parameters — each in the unit its initial value
    /// was written in (a string such as "20.3 nm"), so that the config reader checks the
    /// value's dimension against the key; plain numbers stay numbers (SI).
    public func assignments(_ values: [Double]) -> [String] {
        let s = spec.settings
        return spec.fixed + [
            "solver.relative_tolerance=\(s.modelRelativeTolerance)",
            "solver.absolute_potential=\(s.modelAbsolutePotential)",
        ] + zip(spec.parameters, values).map(Self.assignment)
    }

    /// `path=value` of one parameter, full precision.
    static func assignment(_ p: FitParameter, _ value: Double) -> String { "\(p.path)=\(p.jsonValue(value, digits: 17).jsonText)" }

    /// Checks every parameter's initial value, lower and upper bound through the config
    /// reader (the base config with the fit's values, one bound at a time, the others at
    /// their initial values) before any run; a problem names the fit file's key, e.g.
    /// `parameters[0].initial (layers[2].thickness = 20 S/m): …`.
    public func checkParameters() throws {
        let initial = spec.parameters.map(\.initial)
        try checkPaths(initial)
        var problems: [String] = []
        func attempt(_ values: [Double], key: (String) -> String) {
            do {
                _ = try DeviceLoader.build(text: baseText, path: spec.baseResolved, overrides: assignments(values), materialFolders: materialFolders)
            } catch let e as ConfigError {
                problems += e.problems.map { key($0.path) + ": " + $0.description }
            } catch {
                problems.append(key("") + ": \(error)")
            }
        }
        func label(_ i: Int, _ which: String, _ v: Double) -> String {
            "parameters[\(i)].\(which) (\(spec.parameters[i].path) = \(spec.parameters[i].shown(v)))"
        }
        attempt(initial) { path in
            let owner = spec.parameters.firstIndex { path == $0.path || path.hasPrefix($0.path + ".") || path.hasPrefix($0.path + "[") }
            return owner.map { label($0, "initial", initial[$0]) } ?? "parameters (all at their initial values)"
        }
        if problems.isEmpty {
            for (i, p) in spec.parameters.enumerated() {
                for (which, v) in [("lower", p.lower), ("upper", p.upper)] {
                    var values = initial
                    values[i] = v
                    attempt(values) { _ in label(i, which, v) }
                }
            }
        }
        if !problems.isEmpty {
            throw FitModelError(message: "\(spec.source): the base config \(spec.base) rejects the fit's values:\n  " + problems.joined(separator: "\n  "))
        }
    }

    /// Builds the device at SI `values`, naming the fit file's key that is at fault.
    public func device(_ values: [Double]) throws -> Device {
        try checkPaths(values)
        do {
            return try DeviceLoader.build(text: baseText, path: spec.baseResolved, overrides: assignments(values), materialFolders: materialFolders).device
        } catch let e as ConfigError {
            // Name the fit file's key behind each problem of the config.
            let lines = e.problems.map { problem -> String in
                let owner = spec.parameters.firstIndex { problem.path == $0.path || problem.path.hasPrefix($0.path + ".") }
                return "  " + (owner.map { "parameters[\($0)].path (\(spec.parameters[$0].path)): " } ?? "") + problem.description
            }
            throw FitModelError(message: "\(spec.source): the base config \(spec.base) with the fit's values has \(e.problems.count) problem(s):\n" + lines.joined(separator: "\n"))
        } catch {
            throw FitModelError(message: "\(spec.source): base \(spec.base): \(error)")
        }
    }

    /// Each parameter's path must lead somewhere in the config (with the fixed overrides applied).
    func checkPaths(_ values: [Double]) throws {
        do {
            _ = try ConfigOverrides.apply(spec.fixed, to: baseText)
        } catch {
            throw FitModelError(message: "\(spec.source): set: \(error)")
        }
        for (i, p) in spec.parameters.enumerated() {
            do { _ = try ConfigOverrides.apply(spec.fixed + [Self.assignment(p, values[i])], to: baseText) } catch {
                throw FitModelError(message: "\(spec.source): parameters[\(i)].path: \(error)")
            }
        }
    }

    /// Checks, before any simulation, that the datasets' terminals exist and that their
    /// pulses and times lie inside the protocol of the device at SI `values`.
    /// Starts with ``checkParameters()``.
    public func check(_ datasets: [Dataset], at values: [Double]) throws {
        try checkParameters()
        let device = try device(values)
        let schedule = Schedule.make(device.config.protocolConfig ?? .segments([]), terminals: device.terminalNames)
        var problems: [String] = []
        for d in datasets {
            let key = d.entry.keyPath
            guard d.entry.experiment < schedule.experiments.count else {
                problems.append("\(key).experiment: the protocol has \(schedule.experiments.count) experiment(s), numbered from 0")
                continue
            }
            let experiment = schedule.experiments[d.entry.experiment]
            switch d.quantity {
            case .conductance:
                let pulses = experiment.segments.filter { $0.pulse != nil }.count
                if device.readout.mode == .off { problems.append("\(key).file: G data, but the device has no readout") }
                if let bad = d.x.first(where: { Int($0) > pulses }) {
                    problems.append("\(key).file (\(d.entry.file)): pulse \(Int(bad)) is past the protocol's \(pulses) pulse(s)")
                }
            case .voltage(let t), .current(let t):
                if device.terminalIndex(t) == nil {
                    problems.append("\(key).file (\(d.entry.file)): column \(d.yName): no terminal \"\(t)\" (terminals: \(device.terminalNames.joined(separator: ", ")))")
                }
                let end = experiment.duration
                if let bad = d.x.first(where: { $0 < 0 || $0 > end }) {
                    problems.append(String(format: "%@.file (%@): t = %.6g %@ lies outside the protocol (0 to %.6g %@)",
                                           key, d.entry.file, bad / d.xFactor, d.xUnit, end / d.xFactor, d.xUnit))
                }
            }
        }
        if !problems.isEmpty { throw FitModelError(message: "\(spec.source): " + problems.joined(separator: "\n  ")) }
    }

    /// Runs the model at SI `values`.
    public func run(_ values: [Double]) throws -> ModelOutput {
        let started = Date()
        let device = try device(values)
        let simulation = try Simulation(device: device)
        let recorder = Recorder(terminals: device.terminalNames.count)
        do {
            _ = try simulation.run(observer: recorder)
        } catch let e as SimulationError {
            throw FitModelError(message: "model run at " + zip(spec.parameters, values).map { "\($0.path) = \($0.shown($1))" }.joined(separator: ", ") + ": \(e)")
        }
        return ModelOutput(conductance: recorder.conductance, series: recorder.series, terminalNames: device.terminalNames,
                           elapsed: Date().timeIntervalSince(started))
    }

    /// The model's values at a dataset's x, SI.
    public static func predictions(_ output: ModelOutput, for d: Dataset) throws -> [Double] {
        let e = d.entry.experiment
        guard e < output.series.count else { throw FitModelError(message: "\(d.entry.keyPath): the run has no experiment \(e)") }
        switch d.quantity {
        case .conductance:
            return try d.x.map { x in
                guard let g = output.conductance[e][Int(x)] else {
                    throw FitModelError(message: "\(d.entry.keyPath): the run read no conductance after pulse \(Int(x))")
                }
                return g
            }
        case .voltage(let t), .current(let t):
            guard let j = output.terminalNames.firstIndex(of: t) else { throw FitModelError(message: "\(d.entry.keyPath): no terminal \(t)") }
            let s = output.series[e]
            // A step's mean current is compared at the step's midpoint, its voltage at its end.
            if case .voltage = d.quantity { return d.x.map { interpolate(time: s.time, values: s.voltage[j], at: $0) } }
            return d.x.map { interpolate(time: s.currentTime, values: s.current[j], at: $0) }
        }
    }

    /// Piecewise-linear interpolation, right-continuous at a repeated time (a
    /// discontinuity takes the value after it); held constant outside.
    static func interpolate(time: [Double], values: [Double], at t: Double) -> Double {
        guard let first = values.first else { return .nan }
        var lo = 0, hi = time.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if time[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        if lo == 0 { return first }
        if lo == time.count { return values[lo - 1] }
        let (t0, t1) = (time[lo - 1], time[lo])
        let w = t1 > t0 ? (t - t0) / (t1 - t0) : 1
        return values[lo - 1] + w * (values[lo] - values[lo - 1])
    }
}

/// Collects the reads after pulses and the terminal series of a run.
final class Recorder: SimulationObserver {
    var conductance: [[Int: Double]] = []
    var series: [ModelOutput.Series] = []
    let terminals: Int

    init(terminals: Int) { self.terminals = terminals }

    func experimentWillStart(_ index: Int, _ experiment: Experiment) throws {
        while series.count <= index {
            series.append(ModelOutput.Series(voltage: Array(repeating: [], count: terminals), current: Array(repeating: [], count: terminals)))
            conductance.append([:])
        }
    }

    func stepAccepted(_ step: StepSummary, state: [Double]) throws {
        let e = step.experiment
        series[e].time.append(step.time)
        series[e].currentTime.append(step.reinitialisation ? step.time : step.time - step.step / 2)
        for j in 0..<terminals {
            series[e].voltage[j].append(step.terminals[j].voltage)
            // A re-initialisation carries no current of its own: keep the previous one.
            let current = step.reinitialisation ? (series[e].current[j].last ?? 0) : step.terminals[j].current
            series[e].current[j].append(current)
        }
    }

    func pulseFinished(_ pulse: PulseRecord) throws {
        conductance[pulse.experiment][pulse.index + 1] = pulse.conductanceAfter
    }
}
