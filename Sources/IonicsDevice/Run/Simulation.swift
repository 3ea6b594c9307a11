import Foundation
import IonicsConfig
public import IonicsDiscretisation
import IonicsLinearAlgebra
import IonicsPhysics
public import IonicsSolvers

/// Receives what a simulation produces while it runs. All methods are optional; an
/// error thrown by the observer stops the run.
public protocol SimulationObserver: AnyObject {
    func simulationWillStart(_ simulation: Simulation, initialState: [Double]) throws
    func experimentWillStart(_ index: Int, _ experiment: Experiment) throws
    func stepAccepted(_ step: StepSummary, state: [Double]) throws
    func readTaken(_ reading: Reading, state: [Double]) throws
    func pulseFinished(_ pulse: PulseRecord) throws
    /// A field snapshot requested by the output settings.
    func snapshot(experiment: Int, time: Double, state: [Double]) throws
    /// The boundaries at one of the config's output times, with the state there.
    func sampleTaken(_ sample: BoundarySample, state: [Double]) throws
    /// Fraction of the schedule done, and a short note.
    func progress(_ fraction: Double, note: String)
}

extension SimulationObserver {
    public func simulationWillStart(_ simulation: Simulation, initialState: [Double]) throws {}
    public func experimentWillStart(_ index: Int, _ experiment: Experiment) throws {}
    public func stepAccepted(_ step: StepSummary, state: [Double]) throws {}
    public func readTaken(_ reading: Reading, state: [Double]) throws {}
    public func pulseFinished(_ pulse: PulseRecord) throws {}
    public func snapshot(experiment: Int, time: Double, state: [Double]) throws {}
    public func sampleTaken(_ sample: BoundarySample, state: [Double]) throws {}
    public func progress(_ fraction: Double, note: String) {}
}

/// Why a simulation stopped, with what it had computed.
public struct SimulationError: Error, CustomStringConvertible {
    public var message: String
    public var experiment: Int
    public var time: Double
    public var partial: [ExperimentOutcome]
    /// Set when the run was stopped on request or at its step limit rather than failing.
    public var stop: StopReason? = nil
    /// The error that stopped the run (an observer's, e.g. a failed write, or the solver's).
    public var cause: (any Error)? = nil

    public var description: String {
        switch stop {
        case .interrupted?:
            return "interrupted in experiment \(experiment) at t = \(String(format: "%.6g", time)) s"
        case .stepLimit(let n)?:
            return "stopped at the step limit (\(n) steps) in experiment \(experiment) at t = \(String(format: "%.6g", time)) s"
        case nil:
            return "simulation failed in experiment \(experiment) at t = \(String(format: "%.6g", time)) s: \(message)"
        }
    }
}

/// Why a run stopped before the end of its protocol without failing.
public enum StopReason: Error, Sendable, Equatable {
    /// `shouldStop` returned true (e.g. the user pressed Ctrl-C).
    case interrupted
    /// The run took ``Simulation/stepLimit`` steps.
    case stepLimit(Int)
}

/// Runs a device's protocol: equilibrium first, then every experiment of the schedule
/// from that state, segment by segment, with reads, pulse bookkeeping and per-step
/// conservation diagnostics.
public final class Simulation {
    public let device: Device
    public let discretisation: PNPDiscretisation
    public let reader: ConductanceReader
    public let monitor: ConservationMonitor
    public let schedule: Schedule
    /// Electrode charge, current and fluxes at the outer boundaries (the output times' series).
    public let probe: BoundaryProbe
    public private(set) var statistics = IntegrationStatistics()
    public private(set) var initialState: [Double] = []
    /// The drives of the last segment run (the initial controls before any).
    public private(set) var lastDrives: Drives
    /// Accepted steps after which the run stops (``StopReason/stepLimit(_:)``); nil: none.
    public var stepLimit: Int?

    public init(device: Device) throws {
        self.device = device
        let schedule = Schedule.make(device.config.protocolConfig ?? .segments([]), terminals: device.terminalNames)
        self.schedule = schedule
        discretisation = try PNPDiscretisation(
            problem: device.problem, mesh: device.mesh, circuit: Self.circuitTerminals(device: device, schedule: schedule))
        reader = ConductanceReader(device: device, discretisation: discretisation)
        monitor = ConservationMonitor(discretisation: discretisation)
        probe = BoundaryProbe(discretisation: discretisation)
        lastDrives = Drives(controls: device.initialControls.map { device.control($0) })
    }

    /// Per terminal, whether it needs circuit unknowns (``StateLayout/circuit``): true when
    /// it starts, or some segment of the schedule puts it, under current control or open
    /// circuit. A terminal held at a voltage throughout needs none.
    public static func circuitTerminals(device: Device, schedule: Schedule) -> [Bool] {
        var circuit = device.initialControls.map { device.control($0).mode == .current }
        for experiment in schedule.experiments {
            for segment in experiment.segments {
                for (j, c) in segment.controls where device.control(c).mode == .current { circuit[j] = true }
            }
        }
        return circuit
    }

    var integratorOptions: TimeIntegratorOptions {
        let s = device.config.solver
        var o = TimeIntegratorOptions()
        o.relativeTolerance = s.relativeTolerance
        o.absolutePotential = s.absolutePotential / discretisation.scales.thermalVoltage
        o.absoluteDensity = s.absoluteConcentration / discretisation.scales.concentration
        o.absoluteFree = o.absolutePotential
        o.initialStep = s.initialStep
        o.minimumStep = s.minimumStep
        o.maximumStep = s.maximumStep ?? .infinity
        o.newtonMaxIterations = s.newtonIterations
        o.linearSolver = LinearSolverKind(rawValue: s.linearSolver) ?? .automatic
        o.reuseJacobian = s.reuseJacobian ?? (device.mesh.dimension == 2)
        o.chordVerification = s.chordVerification
        return o
    }

    /// Throws unless some terminal holds a voltage: with every terminal open or
    /// current-controlled the potential of the whole device is undetermined.
    func checkGrounded(_ controls: [TerminalControl], _ what: String) throws {
        if !controls.isEmpty && !controls.contains(where: { $0.mode == .voltage }) {
            throw SimulationError(
                message: "no terminal holds a voltage \(what) (all are open or current-controlled), so the device's potential floats; hold one terminal at a voltage, e.g. the channel's at 0 V",
                experiment: 0, time: 0, partial: [])
        }
    }

    /// Time at which boundary data hold their values from before the protocol (every
    /// experiment starts at t = 0; a boundary value that steps there is a function of t
    /// with its earlier value for t < 0, so the first step already sees the new one).
    public static let timeBeforeProtocol = -Double.greatestFiniteMagnitude

    /// The equilibrium state with the terminals at their initial controls and the
    /// boundary data as before the protocol.
    public func prepare() throws -> [Double] {
        let eq = try EquilibriumProblem(problem: device.problem, mesh: device.mesh, scales: discretisation.scales,
                                        time: Self.timeBeforeProtocol, circuit: discretisation.layout.circuit)
        let controls = device.initialControls.map { device.control($0) }
        try checkGrounded(controls, "initially")
        eq.setControls(controls)
        var options = NewtonOptions()
        options.maxIterations = 60
        options.relative = 1e-10
        options.absoluteDensity = 1e-14
        options.absolutePotential = 1e-10
        options.linearSolver = integratorOptions.linearSolver
        initialState = try eq.solve(options: options)
        return initialState
    }

    /// Channel ion content of the device, mol.
    func channelIons(_ u: [Double]) -> Double {
        guard let c = device.readout.channelLayer else { return 0 }
        return discretisation.inventory(u, layer: c).reduce(0, +) * device.extent
    }

    /// Runs every experiment; returns their outcomes. Throws ``SimulationError`` (with
    /// the outcomes so far) when the solver cannot continue, or when `shouldStop` returns
    /// true after a step or the step limit is reached (then with ``SimulationError/stop``
    /// set). `shouldStop` is asked after every accepted step; the library installs no
    /// signal handlers, so a caller that wants Ctrl-C to stop cleanly passes a flag here.
    public func run(observer: (any SimulationObserver)? = nil, shouldStop: (() -> Bool)? = nil) throws -> [ExperimentOutcome] {
        var stepsTaken = 0
        if initialState.isEmpty { _ = try prepare() }
        try observer?.simulationWillStart(self, initialState: initialState)
        var outcomes: [ExperimentOutcome] = []
        // Segment ids run on across experiments, so that no two stretches share one.
        var segmentID = 0
        let total = max(schedule.totalDuration, 1e-300)
        var done = 0.0
        let area = device.extent
        let nT = device.terminalNames.count
        let fieldsEvery = device.config.output.fieldsEvery
        var sampler = OutputSampler(times: device.config.output.times)
        for (e, experiment) in schedule.experiments.enumerated() {
            try observer?.experimentWillStart(e, experiment)
            segmentID += 1
            var drives = Drives(controls: device.initialControls.map { device.control($0) }, segment: segmentID)
            lastDrives = drives
            let integrator = TRBDF2Integrator(
                system: discretisation.driven(by: drives), state: initialState, time: 0, options: integratorOptions)
            let g0 = readConductance(initialState, lastCurrent: nil, time: 0, drives: drives)
            var lastStepConductance = device.readout.mode == .ionic ? Double.nan : g0
            var outcome = ExperimentOutcome(name: experiment.name, parameter: experiment.parameter, baseline: g0, readings: [],
                                            pulses: [], pulseEndConductance: [])
            let first = Reading(experiment: e, time: 0, conductance: g0, label: "initial", afterPulse: nil)
            outcome.readings.append(first)
            try observer?.readTaken(first, state: initialState)
            for time in sampler.start() {
                let sample = try probe.sample(experiment: e, time: time, state: initialState, drives: drives, stepCharge: nil, step: 0)
                outcome.samples.append(sample)
                try observer?.sampleTaken(sample, state: initialState)
            }
            var t = 0.0
            var lastPulse: Int?
            var open: PulseRecord?
            var pendingReadPulses: [PulseRecord] = []
            var lastCurrents = [Double](repeating: 0, count: nT)
            var segmentPeak = [Double](repeating: 0, count: nT)
            var nextSnapshot = fieldsEvery ?? .infinity
            do {
                for segment in experiment.segments {
                    // The drives before the segment, for the state before its re-initialisation.
                    var previous: Drives? = drives
                    for (j, c) in segment.controls { drives.controls[j] = device.control(c) }
                    segmentID += 1
                    drives.segment = segmentID
                    try checkGrounded(drives.controls, "during \"\(segment.label)\"")
                    integrator.system = discretisation.driven(by: drives)
                    lastDrives = drives
                    let end = t + segment.duration
                    var marks = [Breakpoint(t, discontinuous: true)]
                    if let every = fieldsEvery {
                        var s = nextSnapshot
                        while s < end { marks.append(Breakpoint(s, discontinuous: false)); s += every }
                    }
                    marks += sampler.breakpoints(from: t, to: end)
                    // G at the pulse's start for the read-energy trapezoid: the last step's (no
                    // extra read, which would count table extrapolations twice).
                    var gPrevious = lastStepConductance
                    if let p = segment.pulse {
                        let u = integrator.state
                        open = PulseRecord(
                            experiment: e, index: p.index, kind: p.kind, terminal: p.terminal, start: t, end: end, charge: 0, energy: 0,
                            writeEnergy: 0, peakVoltage: 0, peakCurrent: 0, channelIons: -channelIons(u),
                            conductanceBefore: outcome.readings.last?.conductance ?? g0, conductanceAfter: .nan)
                    }
                    for j in 0..<nT { segmentPeak[j] = 0 }
                    var options = integratorOptions
                    options.maximumStep = min(options.maximumStep, segment.duration / 4)
                    integrator.options = options
                    try integrator.advance(to: end, breakpoints: marks) { record in
                        let check = try self.monitor.check(record, drives: drives, previous: previous)
                        if record.kind == .reinitialisation { previous = nil }
                        var samples: [TerminalSample] = []
                        for j in 0..<nT {
                            let h = record.end - record.start
                            let current = h > 0 ? check.terminalCharge[j] / h * area : 0
                            if h > 0 {
                                lastCurrents[j] = current
                                segmentPeak[j] = max(segmentPeak[j], abs(current))
                            }
                            samples.append(TerminalSample(
                                voltage: self.discretisation.terminalState(record.after, j, time: record.end, drives: drives).potential, current: current,
                                charge: check.terminalCharge[j] * area, energy: check.terminalEnergy[j] * area))
                        }
                        let g = self.reader.conductance(record.after, time: record.end, drives: drives)
                        lastStepConductance = g
                        if var p = open {
                            let s = samples[p.terminal]
                            p.charge += s.charge
                            p.energy += s.energy
                            p.writeEnergy += abs(s.energy)
                            let h = record.end - record.start
                            let v = self.readBias(pulsed: p.terminal, samples: samples)
                            if h > 0, g.isFinite, gPrevious.isFinite { p.readEnergy += h * v * v * 0.5 * (g + gPrevious) }
                            if g.isFinite { gPrevious = g }
                            p.peakVoltage = max(p.peakVoltage, abs(s.voltage))
                            if record.kind == .step { p.peakCurrent = max(p.peakCurrent, abs(s.current)) }
                            open = p
                        }
                        let summary = StepSummary(
                            experiment: e, time: record.end, step: record.end - record.start,
                            reinitialisation: record.kind == .reinitialisation, newtonIterations: record.newtonIterations,
                            rejected: record.rejected, terminals: samples, conductance: g,
                            inventoryError: check.inventoryError, currentSpread: check.currentSpread,
                            currentSpreadAbsolute: check.currentSpreadAbsolute * area, gaussResidual: check.gaussResidual)
                        try observer?.stepAccepted(summary, state: record.after)
                        for (time, state) in sampler.reached(record) {
                            let sample = try self.probe.sample(experiment: e, time: time, state: state, drives: drives, stepCharge: check.faceCharge,
                                                               step: record.end - record.start)
                            outcome.samples.append(sample)
                            try observer?.sampleTaken(sample, state: state)
                        }
                        if record.end >= nextSnapshot * (1 - 1e-12) && record.kind == .step {
                            try observer?.snapshot(experiment: e, time: record.end, state: record.after)
                            nextSnapshot += fieldsEvery ?? .infinity
                        }
                        observer?.progress((done + record.end) / total, note: "\(experiment.name): \(segment.label)")
                        stepsTaken += 1
                        if let limit = self.stepLimit, stepsTaken >= limit { throw StopReason.stepLimit(limit) }
                        if shouldStop?() == true { throw StopReason.interrupted }
                    }
                    t = end
                    let u = integrator.state
                    if let p = open, segment.pulse != nil {
                        outcome.pulseEndConductance.append(readConductance(u, lastCurrent: lastCurrents[p.terminal], time: t, drives: drives))
                        lastPulse = p.index
                        pendingReadPulses.append(p)
                        open = nil
                    }
                    if segment.read {
                        // The ionic readout is the post-synaptic current's amplitude in the segment
                        // before the read; a read that follows no pulse has none.
                        let g = device.readout.mode == .ionic
                            ? (lastPulse == nil ? .nan : readConductance(u, lastCurrent: segmentPeak.first, time: t, drives: drives))
                            : readConductance(u, lastCurrent: lastCurrents.first, time: t, drives: drives)
                        let reading = Reading(experiment: e, time: t, conductance: g, label: segment.label, afterPulse: lastPulse)
                        outcome.readings.append(reading)
                        try observer?.readTaken(reading, state: u)
                        for var p in pendingReadPulses {
                            p.conductanceAfter = g
                            p.channelIons += channelIons(u)
                            outcome.pulses.append(p)
                            try observer?.pulseFinished(p)
                        }
                        pendingReadPulses = []
                    }
                }
                // Pulses never followed by a read still get recorded, read at the end.
                let u = integrator.state
                for var p in pendingReadPulses {
                    p.conductanceAfter = readConductance(u, lastCurrent: nil, time: t, drives: drives)
                    p.channelIons += channelIons(u)
                    outcome.pulses.append(p)
                    try observer?.pulseFinished(p)
                }
            } catch {
                accumulate(integrator.statistics)
                outcomes.append(outcome)
                let hint = error is StopReason ? "" : failureHint(integrator.state)
                throw SimulationError(message: "\(error)" + hint, experiment: e, time: integrator.time, partial: outcomes,
                                      stop: error as? StopReason, cause: error)
            }
            accumulate(integrator.statistics)
            outcomes.append(outcome)
            done += experiment.duration
        }
        observer?.progress(1, note: "done")
        return outcomes
    }

    func accumulate(_ s: IntegrationStatistics) {
        statistics.steps += s.steps
        statistics.rejectedError += s.rejectedError
        statistics.rejectedNewton += s.rejectedNewton
        statistics.newtonIterations += s.newtonIterations
        statistics.factorisations += s.factorisations
        statistics.reinitialisations += s.reinitialisations
    }

    /// The voltage across the electronic (read) path during a pulse, V: the read bias for a
    /// lateral channel; for a vertical (two-terminal) readout, the pulsed terminal's
    /// potential against the channel's electron contact.
    func readBias(pulsed: Int, samples: [TerminalSample]) -> Double {
        switch device.readout.mode {
        case .lateral: return device.readout.readVoltage
        case .vertical:
            guard let c = device.readout.channelLayer else { return 0 }
            let layer = device.problem.layers[c]
            // With electron transport the electronic current is part of the terminal
            // current the write energy already integrates.
            guard layer.electronTransport == nil else { return 0 }
            guard let contact = layer.electronTerminal ?? layer.semiconductor?.terminal, contact != pulsed else { return 0 }
            return samples[pulsed].voltage - samples[contact].voltage
        case .ionic, .off: return 0
        }
    }

    /// Conductance of a state; the ionic readout is a current amplitude at the read bias
    /// (NaN when there is none, e.g. before the first pulse).
    func readConductance(_ u: [Double], lastCurrent: Double?, time: Double, drives: Drives) -> Double {
        if device.readout.mode == .ionic { return lastCurrent.map { abs($0 / device.readout.readVoltage) } ?? .nan }
        return reader.conductance(u, time: time, drives: drives)
    }
}
