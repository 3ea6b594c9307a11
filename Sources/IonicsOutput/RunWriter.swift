import Foundation
public import IonicsConfig
public import IonicsDevice
import IonicsHDF5
import IonicsDiscretisation
import IonicsPhysics

/// Writes a simulation to HDF5 while it runs (schema in `docs/output.md`), and an
/// XDMF description of its fields beside it when it ends.
///
/// The file is created as `<path>.partial`, flushed every few seconds, and renamed to
/// `<path>` by ``finish(status:failure:metrics:outcomes:)`` whatever the
/// outcome: a failed run keeps everything computed so far and says why in its
/// `status` and `failure` attributes. Every dataset carries `units` and `long_name`
/// (``RunSchema``) and dimension scales on its axes, so netCDF readers (xarray with
/// h5netcdf) see named dimensions with coordinates.
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
    var pulseCount = 0
    /// Times of the field snapshots (s), for the XDMF description.
    var fieldTimes: [Double] = []

    /// Units of every dataset by path pattern ("*" for a terminal, species or
    /// boundary), also written to the root as JSON.
    public static var units: [String: String] { RunSchema.unitsByPattern }

    /// Creates the file (refusing to replace an existing one unless `overwrite`), written
    /// at `workingPath` until it is finished (default `path + ".partial"`).
    public init(path: String, config: DeviceConfig, overwrite: Bool, workingPath: String? = nil) throws {
        self.path = path
        file = try HDF5File.create(at: path, overwrite: overwrite, workingPath: workingPath)
        root = try file.root()
        writeFieldsAtReads = config.output.fieldsAtReads
        try root.setAttribute("schema_version", RunSchema.version)
        try root.setAttribute("code_version", IonicsVersion.string)
        try root.setAttribute("device", config.name)
        try root.setAttribute("description", config.description)
        try root.setAttribute("config", config.sourceText)
        try root.setAttribute("status", "running")
        try root.setAttribute("created", ISO8601DateFormatter().string(from: Date()))
        try root.setAttribute("temperature", config.temperature)
        let units = Self.units
        let unitsJSON = "{" + units.keys.sorted().map { "\"\($0)\": \"\(units[$0]!)\"" }.joined(separator: ", ") + "}"
        try root.setAttribute("units", unitsJSON)
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
        // Rows of cells through the stack (every cell in 1D; column x = 0 of a 2D mesh,
        // whose cell (i, j) is j·nx + i, so fields are (y, x) arrays in storage order).
        let (nx, ny) = d.mesh.gridShape
        let rows = (0..<ny).map { $0 * nx }
        let centres = rows.map { d.mesh.cellCentroid[$0].y }
        let mesh = try root.createGroup("mesh")
        let y = try fixedCoordinate(mesh, "y", centres)
        try fixedCoordinate(mesh, "faces", [d.mesh.cellLowerY[0]] + rows.map { d.mesh.cellUpperY[$0] })
        try fixedVariable(mesh, "width", rows.map { d.mesh.cellUpperY[$0] - d.mesh.cellLowerY[$0] }, dims: [y])
        try fixedVariable(mesh, "layer", rows.map { Double(d.mesh.cellRegion[$0]) }, dims: [y], flags: device.problem.layers.map(\.name))
        var columns: [Double] = []
        if d.mesh.dimension == 2 {
            columns = (0..<nx).map { d.mesh.cellCentroid[$0].x }
            try fixedCoordinate(mesh, "x", columns)
            try fixedCoordinate(mesh, "x_faces", d.mesh.lateralFaces)
        }
        try root.setAttribute("dimension", d.mesh.dimension)
        try mesh.setAttribute("layer_names", device.problem.layers.map(\.name))
        try mesh.setAttribute("layer_materials", device.materials.map(\.name))
        try fixedCoordinate(mesh, "layer_bounds", d.mesh.layerBounds)
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
        try createSeries(terminals: device.terminalNames)
        try createEvents(terminals: device.terminalNames)
        try createSamples(species: device.problem.species.map(\.name), boundaries: device.boundaryLabels,
                          instantaneous: simulation.probe.instantaneous)
        try createFields(centres: centres, columns: columns, species: device.problem.species.map(\.name))
        try snapshot(experiment: 0, time: 0, state: initialState)
        try flush()
    }

    /// `series/` and `terminals/<name>/`: per-step rows on the step time axis.
    func createSeries(terminals: [String]) throws {
        let s = try root.createGroup("series")
        let t = try root.createGroup("terminals")
        let groups = try terminals.map { try t.createGroup($0) }
        let (time, scales) = try appendableAxis(s, "time", copies: groups)
        series["time"] = time
        for name in ["experiment", "step", "conductance", "newton_iterations", "rejected", "reinitialisation",
                     "inventory_error", "current_spread", "current_spread_absolute", "gauss_residual"] {
            series[name] = try appendableVariable(s, name, dims: [scales[s.path]!])
        }
        for g in groups {
            var sets: [String: BufferedSeries] = [:]
            for q in ["voltage", "current", "charge", "energy", "cumulative_charge", "cumulative_energy"] {
                sets[q] = try appendableVariable(g, q, dims: [scales[g.path]!])
            }
            terminalSeries.append(sets)
            cumulative.append((0, 0))
        }
    }

    /// `reads/` on the read times, `pulses/` on the pulse number.
    func createEvents(terminals: [String]) throws {
        let r = try root.createGroup("reads")
        let readTime = try appendableCoordinate(r, "time")
        series["reads/time"] = buffered(readTime)
        for name in ["experiment", "conductance", "after_pulse"] {
            series["reads/" + name] = try appendableVariable(r, name, dims: [readTime])
        }
        let p = try root.createGroup("pulses")
        try p.setAttribute("kind_codes", PulseKindCode.legend)
        let pulse = try appendableCoordinate(p, "pulse")
        series["pulses/pulse"] = buffered(pulse)
        for name in ["experiment", "index", "kind", "terminal", "start", "end", "charge", "energy", "write_energy", "read_energy", "total_energy", "peak_voltage",
                     "peak_current", "channel_ions", "conductance_before", "conductance_after"] {
            series["pulses/" + name] = try appendableVariable(p, name, dims: [pulse], flags: name == "terminal" ? terminals : nil)
        }
    }

    /// `samples/`: the boundaries at the output times (empty datasets when the config gives none).
    func createSamples(species: [String], boundaries: [String], instantaneous: Bool) throws {
        let sg = try root.createGroup("samples")
        try sg.setAttribute("boundaries", boundaries)
        try sg.setAttribute("current", instantaneous ? "instantaneous" : "mean over the step that reaches each time")
        var groups: [(side: String, group: HDF5Group, flux: HDF5Group)] = []
        for side in ["first", "last"] {
            let g = try sg.createGroup(side)
            groups.append((side, g, try g.createGroup("flux")))
        }
        let (time, scales) = try appendableAxis(sg, "time", copies: groups.flatMap { [$0.group, $0.flux] })
        samples["time"] = time
        samples["experiment"] = try appendableVariable(sg, "experiment", dims: [scales[sg.path]!])
        for (side, g, fg) in groups {
            samples[side + "/charge"] = try appendableVariable(g, "charge", dims: [scales[g.path]!])
            samples[side + "/current"] = try appendableVariable(g, "current", dims: [scales[g.path]!])
            for sp in species { samples[side + "/flux/" + sp] = try appendableVariable(fg, sp, dims: [scales[fg.path]!]) }
        }
    }

    /// `fields/` and `fields/concentration/`: profiles on (snapshot time, y) in 1D, maps
    /// on (snapshot time, y, x) in 2D (`columns`: the cell centres in x; empty in 1D).
    func createFields(centres: [Double], columns: [Double], species: [String]) throws {
        let f = try root.createGroup("fields")
        let c = try f.createGroup("concentration")
        let (time, scales) = try appendableAxis(f, "time", copies: [c])
        fields["time"] = time
        var axes = [try fixedCoordinate(f, "y", centres)]
        var concentrationAxes = [try fixedCoordinate(c, "y", centres)]
        if !columns.isEmpty {
            axes.append(try fixedCoordinate(f, "x", columns))
            concentrationAxes.append(try fixedCoordinate(c, "x", columns))
        }
        fields["experiment"] = try appendableVariable(f, "experiment", dims: [scales[f.path]!])
        for name in ["potential", "filling", "conductivity", "charge_density", "electron_density", "hole_density", "electron_potential"] {
            fields[name] = try appendableVariable(f, name, dims: [scales[f.path]!] + axes)
        }
        for sp in species { fields["c:" + sp] = try appendableVariable(c, sp, dims: [scales[c.path]!] + concentrationAxes) }
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
            ("charge", p.charge), ("energy", p.energy), ("write_energy", p.writeEnergy), ("read_energy", p.readEnergy),
            ("total_energy", p.totalEnergy), ("peak_voltage", p.peakVoltage),
            ("peak_current", p.peakCurrent), ("channel_ions", p.channelIons), ("conductance_before", p.conductanceBefore),
            ("conductance_after", p.conductanceAfter),
        ]
        for (k, v) in values { try series["pulses/" + k]!.append(v) }
        try series["pulses/pulse"]!.append(Double(pulseCount))
        pulseCount += 1
    }

    public func snapshot(experiment: Int, time: Double, state: [Double]) throws {
        guard let sim = simulation else { return }
        let d = sim.discretisation
        try fields["time"]!.append(experimentOffset + time)
        fieldTimes.append(experimentOffset + time)
        try fields["experiment"]!.append(Double(experiment))
        try fields["potential"]!.append(d.potential(state))
        try fields["filling"]!.append(d.filling(state))
        // The drives of the stretch being run (terminals held at a voltage carry their potential there).
        let drives = sim.lastDrives
        try fields["conductivity"]!.append(sim.reader.conductivity(state, time: time, drives: drives))
        try fields["charge_density"]!.append(d.chargeDensity(state, time: time, drives: drives))
        try fields["electron_density"]!.append(d.electronDensity(state, time: time, drives: drives))
        try fields["hole_density"]!.append(d.holeDensity(state, time: time, drives: drives))
        try fields["electron_potential"]!.append(d.electronPotential(state))
        for (k, sp) in d.problem.species.enumerated() { try fields["c:" + sp.name]!.append(d.concentration(state, species: k)) }
    }

    /// Closes the file without finishing it (it stays at its working path).
    public func abandon() { file.close() }
}

/// Numeric codes of pulse kinds in `pulses/kind`.
public enum PulseKindCode {
    public static let kinds: [PulseKind] = [.potentiation, .depression, .pulse, .pre, .post]
    public static var legend: [String] { kinds.enumerated().map { "\($0.offset) = \($0.element.rawValue)" } }
    public static func code(_ k: PulseKind) -> Double { Double(kinds.firstIndex(of: k) ?? -1) }
}
