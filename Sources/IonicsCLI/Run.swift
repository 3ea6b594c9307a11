import ArgumentParser
import Foundation
import IonicsConfig
import IonicsDevice
import IonicsOutput
import IonicsHDF5

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a device from its config and write every field and time series to HDF5.",
        discussion: """
            Progress goes to stderr (a bar on a terminal), the summary to stdout. The output is written as \
            FILE.partial and renamed when the run ends; a failed run keeps what it computed, marked as failed, \
            and the command exits non-zero.
            """)

    @Argument(help: "The JSON config file.")
    var config: String

    @Option(name: .shortAndLong, help: "Output HDF5 file (default: results/<name>.h5).")
    var output: String?

    @Option(name: .customLong("set"), help: "Override a config value: key.path=value (repeatable), e.g. --set protocol.pulses=20.")
    var overrides: [String] = []

    @Flag(help: "Replace an existing output file.")
    var force = false

    @Option(help: "Extra folder of material files (searched first).")
    var materials: [String] = []

    @OptionGroup var limitOptions: LimitOptions

    @Flag(help: "Show the HDF5 library's error stack with output errors.")
    var verbose = false

    @Flag(help: "Print the summary as JSON on stdout (schema ionics.run, docs/cli.md).")
    var json = false

    func run() throws {
        StopSignals.captureParent()
        let limits = limitOptions.limits
        let (device, _) = try loadDevice(config, overrides: overrides, materialFolders: materials, limits: limits)
        let path = output ?? "results/\(device.config.outputFileStem).h5"
        // The output is checked and locked before anything is simulated.
        let target: OutputTarget
        do {
            target = try OutputTarget.acquire(path, overwrite: force)
        } catch {
            throw fail(error.description, Exit.file)
        }
        defer { target.release() }
        for s in target.staleFiles {
            printError("warning: \(s) was left by a run that did not finish (killed or crashed); it is kept, not overwritten — inspect it with `ionics inspect` or remove it")
        }

        let simulation: Simulation
        do {
            simulation = try Simulation(device: device)
        } catch {
            throw fail("\(config): \(error)", Exit.failure)
        }
        simulation.stepLimit = limits.maxSteps
        // From here on a signal stops the run cleanly (checked after every step).
        StopSignals.install()
        let writer: RunWriter
        do {
            writer = try RunWriter(path: path, config: device.config, overwrite: force, workingPath: target.workingPath)
        } catch {
            throw outputFailure(OutputError.writing(error, path: path), working: target.workingPath)
        }
        let progress = ProgressReporter(title: device.config.name)
        let started = Date()
        var outcomes: [ExperimentOutcome] = []
        var failure: String?
        var status = "completed"
        do {
            outcomes = try simulation.run(observer: ObserverGroup([writer, progress]), shouldStop: { StopSignals.requested })
        } catch let e as SimulationError {
            outcomes = e.partial
            if let cause = e.cause, !(cause is StopReason), Self.isOutputError(cause) {
                progress.finish()
                writer.abandon()
                throw outputFailure(OutputError.writing(cause, path: path), working: target.workingPath)
            }
            failure = e.description
            status = e.stop == .interrupted ? "interrupted" : "failed"
        } catch {
            progress.finish()
            if Self.isOutputError(error) {
                writer.abandon()
                throw outputFailure(OutputError.writing(error, path: path), working: target.workingPath)
            }
            failure = "\(error)"
            status = "failed"
        }
        progress.finish()
        let ionCharge = Double(device.problem.species.first { $0.charge != 0 }?.charge ?? 1)
        let metrics = SynapticMetrics.compute(type: simulation.schedule.type, outcomes: outcomes, area: device.area, ionCharge: ionCharge)
        do {
            try writer.finish(status: status, failure: failure, metrics: metrics, outcomes: outcomes)
        } catch {
            writer.abandon()
            throw outputFailure(OutputError.writing(error, path: path), working: target.workingPath)
        }
        let elapsed = Date().timeIntervalSince(started)
        if json {
            printJSON(runDocument(
                config: config, device: device, simulation: simulation, metrics: metrics, outcomes: outcomes, path: path,
                xdmf: writer.xdmfPath, failure: failure, elapsed: elapsed))
        } else {
            printSummary(device: device, simulation: simulation, metrics: metrics, outcomes: outcomes, path: path, elapsed: elapsed)
            print("xdmf        \(writer.xdmfPath)")
        }
        if status == "interrupted" {
            printError("interrupted: the results computed so far are in \(path) (status \"interrupted\")")
            throw ExitCode(Exit.signal(StopSignals.signal == 0 ? SIGINT : StopSignals.signal))
        }
        if let failure {
            printError("error: \(failure)")
            printError("the results computed before the failure are in \(path) (status \"failed\")")
            throw ExitCode(Exit.failure)
        }
    }

    /// Whether an error stopping the run came from writing the output.
    static func isOutputError(_ error: any Error) -> Bool {
        error is OutputError || error is HDF5Error
    }

    /// Reports a failed write in plain words (HDF5's stack with --verbose) and the exit code.
    func outputFailure(_ e: OutputError, working: String) -> ExitCode {
        printError("error: \(e)")
        if verbose, let d = e.detail { printError(d) }
        if FileManager.default.fileExists(atPath: working) {
            printError("what was written before the failure is in \(working) (it may be incomplete)")
        }
        return ExitCode(Exit.output)
    }

    func printSummary(device: Device, simulation: Simulation, metrics m: SynapticMetrics, outcomes: [ExperimentOutcome], path: String, elapsed: Double) {
        let s = simulation.statistics
        print("device      \(device.config.name)  (\(device.terminalNames.joined(separator: ", ")))")
        let (columns, rows) = device.mesh.gridShape
        print(device.mesh.dimension == 2 ? "mesh        2D: \(rows) rows × \(columns) columns = \(device.mesh.cellCount) cells, \(simulation.discretisation.size) unknowns"
              : "mesh        1D: \(device.mesh.cellCount) cells, \(simulation.discretisation.size) unknowns")
        print("protocol    \(simulation.schedule.type): \(simulation.schedule.experiments.count) experiment(s), \(outcomes.flatMap(\.pulses).count) pulses")
        if device.readout.mode != .off {
            print(String(format: "conductance Gmin %@  Gmax %@  ratio %.3g", si(m.gMin, "S"), si(m.gMax, "S"), m.ratio))
        }
        printSamples(device: device, simulation: simulation, outcomes: outcomes)
        if let p = m.potentiation { print("nonlinearity " + nonlinearityText("potentiation", p)) }
        if let d = m.depression { print("             " + nonlinearityText("depression", d)) }
        if m.asymmetricNonlinearity.isFinite { print(String(format: "asymmetric nonlinearity %.3g, states %d", m.asymmetricNonlinearity, m.states)) }
        if m.energyPerPulse.isFinite {
            print(String(format: "energy/pulse %@ (%.3g fJ/µm²), net work %@; charge/pulse %@",
                         si(m.energyPerPulse, "J"), m.energyPerArea * 1e3, si(m.netEnergyPerPulse, "J"), si(m.chargePerPulse, "C")))
        }
        if m.faradaicEfficiency.isFinite {
            print(String(format: "charge balance: channel ions × zF / gate charge = %.5f per pulse (mean)", m.faradaicEfficiency)
                  + (m.coulombicEfficiency.isFinite ? String(format: "; coulombic efficiency %.4f", m.coulombicEfficiency) : ""))
        }
        if m.retentionDrift.isFinite { print(String(format: "retention drift %.3g %%", 100 * m.retentionDrift)) }
        if !m.sweep.isEmpty {
            print("sweep       \(m.sweepResponseName): " + m.sweep.map { String(format: "%.4g → %.4g", $0.parameter, $0.response) }.joined(separator: ", "))
        }
        print(String(format: "solver      %d steps (%d rejected), %d Newton iterations, %d factorisations, %.2f s", s.steps, s.rejectedError + s.rejectedNewton, s.newtonIterations, s.factorisations, elapsed))
        if simulation.reader.extrapolations > 0 {
            print("warning     \(simulation.reader.extrapolations) conductivity evaluations fell outside the material's filling table (end values held)")
        }
        print("output      \(path)")
    }
}

/// A branch's nonlinearity as a device physicist reads it: ν = N/A of the NeuroSim fit
/// G(P) = B(1 − e^(−P/A)) + G_0 (docs/metrics.md), the ratio e^(−(N−1)/A) ≈ e^(−ν) of the
/// last pulse's step to the first's, and NeuroSim's A and A/N.
func nonlinearityText(_ branch: String, _ fit: NonlinearityFit.Result) -> String {
    let nu = fit.curvature
    // Steps G_P − G_(P−1) ∝ e^(−P/A): the last over the first is e^(−(N−1)/A).
    let n = fit.a.isFinite && fit.normalisedA != 0 ? fit.a / fit.normalisedA : 1
    let ratio = fit.a.isFinite ? exp(-(n - 1) / fit.a) : 1
    let shape = abs(nu) < 0.1 ? "near-linear" : nu > 0 ? "saturating" : "accelerating"
    return String(format: "%@: ν = N/A = %.3g, %@ (last step %.3g× the first; NeuroSim A = %.4g pulses, A/N = %.3g; fit residual %.2g %% of the branch)",
                  branch, nu, shape, ratio, fit.a, fit.normalisedA, 100 * fit.rms)
}

/// The boundaries and, at up to eight of the output times, the electrode charge and
/// current at each, and the species fluxes that are not zero (every output time is in
/// the HDF5 file under `samples/`).
func printSamples(device: Device, simulation: Simulation, outcomes: [ExperimentOutcome]) {
    print("boundaries  first: \(device.boundaryLabels[0]); last: \(device.boundaryLabels[1])")
    let samples = outcomes.flatMap(\.samples)
    guard !samples.isEmpty else { return }
    let note = simulation.probe.instantaneous ? "" : " (current: mean over the step reaching each time)"
    print("samples     \(samples.count) output times\(note); σ electrode charge (C/m²), i current (A/m²), J flux (mol/(m²·s)) into the device")
    // Flux columns: species that cross a boundary at some output time (at most four).
    let species = device.problem.species.map(\.name)
    var fluxColumns: [(side: Int, species: Int, title: String)] = []
    for side in 0..<2 {
        for k in species.indices where samples.contains(where: { $0.flux[side][k] != 0 }) {
            fluxColumns.append((side, k, "J \(species[k]) \(side == 0 ? "first" : "last")"))
        }
    }
    fluxColumns = Array(fluxColumns.prefix(4))
    func cell(_ s: String) -> String { s.padding(toLength: max(15, s.count), withPad: " ", startingAt: 0) }
    print("            " + cell("time") + ["σ first", "i first", "σ last", "i last"].map(cell).joined(separator: " ")
          + fluxColumns.map { " " + cell($0.title) }.joined())
    let n = samples.count
    let shown = n <= 8 ? Array(0..<n) : Array(Set((0..<8).map { Int((Double($0) * Double(n - 1) / 7).rounded()) })).sorted()
    for k in shown {
        let x = samples[k]
        let values = [x.charge[0], x.current[0], x.charge[1], x.current[1]] + fluxColumns.map { x.flux[$0.side][$0.species] }
        print("            " + cell(si(x.time, "s")) + values.map { cell(String(format: "%+.6e", $0)) }.joined(separator: " "))
    }
}

/// Loads a config (with --set overrides) and builds its device, exiting with every
/// problem listed when it cannot.
func loadDevice(_ path: String, overrides: [String], materialFolders: [String], limits: ResourceLimits) throws -> (Device, MaterialLibrary) {
    let text = try readText(path)
    do {
        return try DeviceLoader.build(text: text, path: path, overrides: overrides, materialFolders: materialFolders, limits: limits) {
            printError("warning: material file skipped: \($0)")
        }
    } catch let error as ConfigError {
        printError("error: " + error.description)
        throw ExitCode(Exit.failure)
    } catch let error as ConfigOverrides.OverrideError {
        printError("error: --set: \(error)")
        throw ExitCode(Exit.failure)
    } catch {
        printError("error: \(path): \(error)")
        throw ExitCode(Exit.failure)
    }
}

/// Engineering notation: 4.2e-5 S → "42 µS".
func si(_ x: Double, _ unit: String) -> String {
    guard x.isFinite else { return "–" }
    if x == 0 { return "0 \(unit)" }
    let prefixes: [(Double, String)] = [(1e9, "G"), (1e6, "M"), (1e3, "k"), (1, ""), (1e-3, "m"), (1e-6, "µ"), (1e-9, "n"), (1e-12, "p"), (1e-15, "f"), (1e-18, "a")]
    for (scale, p) in prefixes where abs(x) >= scale * 0.9995 { return String(format: "%.4g %@%@", x / scale, p, unit) }
    return String(format: "%.4g %@", x, unit)
}

/// Progress on stderr: a bar when stderr is a terminal, a line every 10 % otherwise.
final class ProgressReporter: SimulationObserver {
    let title: String
    let isTerminal = isatty(2) != 0
    var lastPrinted = -1.0
    var lastDraw = Date.distantPast
    let start = Date()

    init(title: String) { self.title = title }

    func progress(_ fraction: Double, note: String) {
        if isTerminal {
            guard Date().timeIntervalSince(lastDraw) > 0.1 || fraction >= 1 else { return }
            lastDraw = Date()
            let width = 30
            let filled = Int((fraction * Double(width)).rounded(.down))
            let bar = String(repeating: "█", count: min(filled, width)) + String(repeating: "·", count: max(0, width - filled))
            let line = String(format: "\r%@ [%@] %5.1f %%  %@", title, bar, 100 * fraction, String(note.prefix(40)))
            FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
        } else if fraction >= lastPrinted + 0.1 || (fraction >= 1 && lastPrinted < 1) {
            lastPrinted = (fraction * 10).rounded(.down) / 10
            printError(String(format: "%@: %3.0f %% (%.1f s)", title, 100 * fraction, Date().timeIntervalSince(start)))
        }
    }

    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
