import Foundation
public import IonicsConfig
public import IonicsDevice
import IonicsHDF5
import IonicsDiscretisation
import IonicsPhysics

/// Writes a simulation to HDF5 while it runs (schema in `docs/output.md`).
///
/// The file is created as `<path>.partial`, flushed every few seconds, and renamed to
/// `<path>` by ``finish(status:failure:metrics:outcomes:statistics:)`` whatever the
/// outcome: a failed run keeps everything computed so far and says why in its
/// `status` and `failure` attributes.
public final class RunWriter: SimulationObserver {
    public let path: String
    let file: HDF5File
    let root: HDF5Group
    var simulation: Simulation?
    var lastFlush = Date()
    let writeFieldsAtReads: Bool

    // Series, buffered: rows are written in blocks (one HDF5 call and one chunk
    // compression per block instead of per step) and on every flush.
    var series: [String: BufferedSeries] = [:]
    var terminalSeries: [[String: BufferedSeries]] = []
    var cumulative: [(charge: Double, energy: Double)] = []
    var fields: [String: BufferedSeries] = [:]
    var buffers: [BufferedSeries] = []
    var experimentOffset = 0.0
    var experimentStart: [Double] = []
    var currentExperiment = 0
    var samples: [String: BufferedSeries] = [:]
    var lastTime = 0.0

    /// Units of every dataset, written to the root as JSON.
    public static let units: [String: String] = [
        "mesh/y": "m", "mesh/faces": "m", "mesh/width": "m",
        "fields/time": "s", "fields/potential": "V", "fields/concentration/*": "mol/m^3", "fields/filling": "1",
        "fields/conductivity": "S/m", "fields/charge_density": "C/m^3", "fields/electron_density": "m^-3",
        "series/time": "s", "series/step": "s", "series/conductance": "S", "series/current_spread_absolute": "A",
        "terminals/*/voltage": "V", "terminals/*/current": "A", "terminals/*/charge": "C", "terminals/*/energy": "J",
        "reads/time": "s", "reads/conductance": "S",
        "pulses/start": "s", "pulses/end": "s", "pulses/charge": "C", "pulses/energy": "J", "pulses/write_energy": "J",
        "pulses/peak_voltage": "V", "pulses/peak_current": "A", "pulses/channel_ions": "mol",
        "pulses/conductance_before": "S", "pulses/conductance_after": "S",
        "metrics/gmin": "S", "metrics/gmax": "S", "metrics/energy_per_pulse": "J", "metrics/energy_per_area": "J/m^2",
        "metrics/charge_per_pulse": "C",
        "samples/time": "s", "samples/*/charge": "C/m^2", "samples/*/current": "A/m^2", "samples/*/flux/*": "mol/(m^2 s)",
    ]

    /// Creates the file (refusing to replace an existing one unless `overwrite`), written
    /// at `workingPath` until it is finished (default `path + ".partial"`).
    public init(path: String, config: DeviceConfig, overwrite: Bool, workingPath: String? = nil) throws {
        self.path = path
        file = try HDF5File.create(at: path, overwrite: overwrite, workingPath: workingPath)
        root = try file.root()
        writeFieldsAtReads = config.output.fieldsAtReads
        try root.setAttribute("code_version", IonicsVersion.string)
        try root.setAttribute("device", config.name)
        try root.setAttribute("description", config.description)
        try root.setAttribute("config", config.sourceText)
        try root.setAttribute("status", "running")
        try root.setAttribute("created", ISO8601DateFormatter().string(from: Date()))
        try root.setAttribute("temperature", config.temperature)
        let unitsJSON = "{" + Self.units.keys.sorted().map { "\"\($0)\": \"\(Self.units[$0]!)\"" }.joined(separator: ", ") + "}"
        try root.setAttribute("units", unitsJSON)
    }

    func appendable(_ group: HDF5Group, _ name: String, rowShape: [Int] = []) throws -> BufferedSeries {
        let b = BufferedSeries(try group.createAppendable(name, rowShape: rowShape), rowLength: rowShape.reduce(1, *))
        buffers.append(b)
        return b
    }

    /// Writes every buffered row and flushes the file to disk.
    func flush() throws {
        for b in buffers { try b.flush() }
        try file.flush()
        lastFlush = Date()
    }

    public func simulationWillStart(_ simulation: Simulation, initialState: [Double]) throws {
        self.simulation = simulation
        let d = simulation.discretisation
        let device = simulation.device
        let mesh = try root.createGroup("mesh")
        try mesh.write("y", d.mesh.cells.map(\.centre))
        try mesh.write("faces", d.mesh.faces.map(\.position))
        try mesh.write("width", d.mesh.cells.map(\.volume))
        try mesh.write("layer", d.mesh.cells.map { Double($0.layer) })
        try mesh.setAttribute("layer_names", device.problem.layers.map(\.name))
        try mesh.setAttribute("layer_materials", device.materials.map(\.name))
        try mesh.write("layer_bounds", d.mesh.layerBounds)
        try root.setAttribute("species", device.problem.species.map(\.name))
        try root.setAttribute("species_charges", device.problem.species.map { Double($0.charge) })
        try root.setAttribute("terminals", device.terminalNames)
        try root.setAttribute("area", device.area)
        try root.setAttribute("readout_mode", device.readout.mode.rawValue)
        try root.setAttribute("protocol", simulation.schedule.type)
        // Provenance of the materials used.
        let prov = try root.createGroup("materials")
        for m in device.materials + [device.firstMetal, device.lastMetal].compactMap({ $0 }) where !(try prov.contains(m.name)) {
            let g = try prov.createGroup(m.name)
            try g.setAttribute("kind", m.kind.rawValue)
            try g.setAttribute("description", m.description)
            try g.setAttribute("source", m.source)
            for (k, v) in m.provenance.sorted(by: { $0.key < $1.key }) { try g.setAttribute("provenance." + k, v) }
        }

        let s = try root.createGroup("series")
        for name in ["time", "experiment", "step", "conductance", "newton_iterations", "rejected", "reinitialisation",
                     "inventory_error", "current_spread", "current_spread_absolute", "gauss_residual"] {
            series[name] = try appendable(s, name)
        }
        let t = try root.createGroup("terminals")
        for name in device.terminalNames {
            let g = try t.createGroup(name)
            var sets: [String: BufferedSeries] = [:]
            for q in ["voltage", "current", "charge", "energy", "cumulative_charge", "cumulative_energy"] { sets[q] = try appendable(g, q) }
            terminalSeries.append(sets)
            cumulative.append((0, 0))
        }
        let r = try root.createGroup("reads")
        for name in ["experiment", "time", "conductance", "after_pulse"] { series["reads/" + name] = try appendable(r, name) }
        let p = try root.createGroup("pulses")
        try p.setAttribute("kind_codes", PulseKindCode.legend)
        for name in ["experiment", "index", "kind", "terminal", "start", "end", "charge", "energy", "write_energy", "peak_voltage",
                     "peak_current", "channel_ions", "conductance_before", "conductance_after"] {
            series["pulses/" + name] = try appendable(p, name)
        }
        // The boundaries at the output times (empty datasets when the config gives none).
        let sg = try root.createGroup("samples")
        try sg.setAttribute("boundaries", device.boundaryLabels)
        try sg.setAttribute("current", simulation.probe.instantaneous ? "instantaneous" : "mean over the step that reaches each time")
        samples["time"] = try appendable(sg, "time")
        samples["experiment"] = try appendable(sg, "experiment")
        for side in ["first", "last"] {
            let g = try sg.createGroup(side)
            samples[side + "/charge"] = try appendable(g, "charge")
            samples[side + "/current"] = try appendable(g, "current")
            let fg = try g.createGroup("flux")
            for sp in device.problem.species { samples[side + "/flux/" + sp.name] = try appendable(fg, sp.name) }
        }
        let n = d.mesh.cellCount
        let f = try root.createGroup("fields")
        fields["time"] = try appendable(f, "time")
        fields["experiment"] = try appendable(f, "experiment")
        for name in ["potential", "filling", "conductivity", "charge_density", "electron_density"] {
            fields[name] = try appendable(f, name, rowShape: [n])
        }
        let c = try f.createGroup("concentration")
        for sp in device.problem.species { fields["c:" + sp.name] = try appendable(c, sp.name, rowShape: [n]) }
        try snapshot(experiment: 0, time: 0, state: initialState)
        try flush()
    }

    public func experimentWillStart(_ index: Int, _ experiment: Experiment) throws {
        if index > 0 { experimentOffset = lastTime }
        currentExperiment = index
        experimentStart.append(experimentOffset)
    }

    public func stepAccepted(_ step: StepSummary, state: [Double]) throws {
        let t = experimentOffset + step.time
        lastTime = t
        try series["time"]!.append(t)
        try series["experiment"]!.append(Double(step.experiment))
        try series["step"]!.append(step.step)
        try series["conductance"]!.append(step.conductance)
        try series["newton_iterations"]!.append(Double(step.newtonIterations))
        try series["rejected"]!.append(Double(step.rejected))
        try series["reinitialisation"]!.append(step.reinitialisation ? 1 : 0)
        try series["inventory_error"]!.append(step.inventoryError)
        try series["current_spread"]!.append(step.currentSpread)
        try series["current_spread_absolute"]!.append(step.currentSpreadAbsolute)
        try series["gauss_residual"]!.append(step.gaussResidual)
        for (j, s) in step.terminals.enumerated() {
            cumulative[j].charge += s.charge
            cumulative[j].energy += s.energy
            let sets = terminalSeries[j]
            try sets["voltage"]!.append(s.voltage)
            try sets["current"]!.append(s.current)
            try sets["charge"]!.append(s.charge)
            try sets["energy"]!.append(s.energy)
            try sets["cumulative_charge"]!.append(cumulative[j].charge)
            try sets["cumulative_energy"]!.append(cumulative[j].energy)
        }
        if Date().timeIntervalSince(lastFlush) > 5 { try flush() }
    }

    public func readTaken(_ reading: Reading, state: [Double]) throws {
        try series["reads/experiment"]!.append(Double(reading.experiment))
        try series["reads/time"]!.append(experimentOffset + reading.time)
        try series["reads/conductance"]!.append(reading.conductance)
        try series["reads/after_pulse"]!.append(reading.afterPulse.map(Double.init) ?? -1)
        if writeFieldsAtReads && reading.label != "initial" {
            try snapshot(experiment: reading.experiment, time: reading.time, state: state)
        }
    }

    public func sampleTaken(_ sample: BoundarySample, state: [Double]) throws {
        try samples["time"]!.append(experimentOffset + sample.time)
        try samples["experiment"]!.append(Double(sample.experiment))
        for (k, side) in ["first", "last"].enumerated() {
            try samples[side + "/charge"]!.append(sample.charge[k])
            try samples[side + "/current"]!.append(sample.current[k])
            for (j, sp) in (simulation?.device.problem.species ?? []).enumerated() {
                try samples[side + "/flux/" + sp.name]!.append(sample.flux[k][j])
            }
        }
        try snapshot(experiment: sample.experiment, time: sample.time, state: state)
    }

    public func pulseFinished(_ p: PulseRecord) throws {
        let values: [(String, Double)] = [
            ("experiment", Double(p.experiment)), ("index", Double(p.index)), ("kind", PulseKindCode.code(p.kind)),
            ("terminal", Double(p.terminal)), ("start", experimentOffset + p.start), ("end", experimentOffset + p.end),
            ("charge", p.charge), ("energy", p.energy), ("write_energy", p.writeEnergy), ("peak_voltage", p.peakVoltage),
            ("peak_current", p.peakCurrent), ("channel_ions", p.channelIons), ("conductance_before", p.conductanceBefore),
            ("conductance_after", p.conductanceAfter),
        ]
        for (k, v) in values { try series["pulses/" + k]!.append(v) }
    }

    public func snapshot(experiment: Int, time: Double, state: [Double]) throws {
        guard let sim = simulation else { return }
        let d = sim.discretisation
        try fields["time"]!.append(experimentOffset + time)
        try fields["experiment"]!.append(Double(experiment))
        try fields["potential"]!.append(d.potential(state))
        try fields["filling"]!.append(d.filling(state))
        try fields["conductivity"]!.append(sim.reader.conductivity(state))
        try fields["charge_density"]!.append(d.chargeDensity(state))
        try fields["electron_density"]!.append(d.electronDensity(state))
        for (k, sp) in d.problem.species.enumerated() { try fields["c:" + sp.name]!.append(d.concentration(state, species: k)) }
    }

    /// Closes the file without finishing it (it stays at its working path).
    public func abandon() { file.close() }

    /// Writes metrics and the run status, then closes and renames the file into place.
    public func finish(status: String, failure: String?, metrics: SynapticMetrics?, outcomes: [ExperimentOutcome]) throws {
        for b in buffers { try b.flush() }
        if let sim = simulation {
            let s = sim.statistics
            let diag = try root.createGroup("diagnostics")
            try diag.setAttribute("steps", s.steps)
            try diag.setAttribute("rejected_error", s.rejectedError)
            try diag.setAttribute("rejected_newton", s.rejectedNewton)
            try diag.setAttribute("newton_iterations", s.newtonIterations)
            try diag.setAttribute("reinitialisations", s.reinitialisations)
            try diag.setAttribute("table_extrapolations", sim.reader.extrapolations)
        }
        let e = try root.createGroup("experiments")
        try e.setAttribute("names", outcomes.map(\.name))
        try e.write("parameter", outcomes.map { $0.parameter ?? .nan })
        try e.write("baseline", outcomes.map(\.baseline))
        try e.write("start", experimentStart.count == outcomes.count ? experimentStart : outcomes.map { _ in .nan })
        if let m = metrics {
            let g = try root.createGroup("metrics")
            let scalars: [(String, Double)] = [
                ("gmin", m.gMin), ("gmax", m.gMax), ("ratio", m.ratio),
                ("nonlinearity_potentiation_A", m.potentiation?.a ?? .nan),
                ("nonlinearity_potentiation_A_over_N", m.potentiation?.normalisedA ?? .nan),
                ("nonlinearity_depression_A", m.depression?.a ?? .nan),
                ("nonlinearity_depression_A_over_N", m.depression?.normalisedA ?? .nan),
                ("asymmetric_nonlinearity", m.asymmetricNonlinearity), ("states", Double(m.states)),
                ("charge_per_pulse", m.chargePerPulse), ("energy_per_pulse", m.energyPerPulse),
                ("net_energy_per_pulse", m.netEnergyPerPulse), ("energy_per_area", m.energyPerArea),
                ("coulombic_efficiency", m.coulombicEfficiency), ("faradaic_efficiency", m.faradaicEfficiency),
                ("retention_drift", m.retentionDrift),
            ]
            for (k, v) in scalars { try g.setAttribute(k, v) }
            if !m.sweep.isEmpty {
                try g.write("sweep_parameter", m.sweep.map(\.parameter))
                try g.write("sweep_response", m.sweep.map(\.response))
                try g.setAttribute("sweep_response_name", m.sweepResponseName)
                if !m.sweepNonlinearity.isEmpty { try g.write("sweep_nonlinearity", m.sweepNonlinearity) }
                if !m.sweepGain.isEmpty { try g.write("sweep_gain", m.sweepGain) }
            }
            if let f = m.ppfFit { try g.setAttribute("ppf_fit", [f.c1, f.tau1, f.c2, f.tau2]) }
            if let f = m.stdpFit { try g.setAttribute("stdp_fit", [f.aPlus, f.tauPlus, f.aMinus, f.tauMinus]) }
        }
        try root.setAttribute("status", status)
        if let failure { try root.setAttribute("failure", failure) }
        try root.setAttribute("finished", ISO8601DateFormatter().string(from: Date()))
        try file.commit()
    }
}

/// Numeric codes of pulse kinds in `pulses/kind`.
public enum PulseKindCode {
    public static let kinds: [PulseKind] = [.potentiation, .depression, .pulse, .pre, .post]
    public static var legend: [String] { kinds.enumerated().map { "\($0.offset) = \($0.element.rawValue)" } }
    public static func code(_ k: PulseKind) -> Double { Double(kinds.firstIndex(of: k) ?? -1) }
}

/// Rows for an appendable dataset, written in blocks of about 64 KiB.
final class BufferedSeries {
    let dataset: HDF5Dataset
    let rowLength: Int
    let capacity: Int
    var rows: [Double] = []

    init(_ dataset: HDF5Dataset, rowLength: Int) {
        self.dataset = dataset
        self.rowLength = rowLength
        capacity = max(1, 8192 / rowLength)
        rows.reserveCapacity(capacity * rowLength)
    }

    func append(_ value: Double) throws { try append([value]) }

    func append(_ row: [Double]) throws {
        precondition(row.count == rowLength, "row of \(row.count) values for a series of rows of \(rowLength)")
        rows += row
        if rows.count >= capacity * rowLength { try flush() }
    }

    func flush() throws {
        guard !rows.isEmpty else { return }
        try dataset.append(rows: rows, count: rows.count / rowLength)
        rows.removeAll(keepingCapacity: true)
    }
}
