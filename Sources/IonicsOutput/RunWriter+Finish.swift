import Foundation
public import IonicsDevice
import IonicsHDF5

extension RunWriter {
    /// Writes metrics and the run status, then closes and renames the file into place
    /// and writes the XDMF description of its fields beside it (``xdmfPath``).
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
        let parameterUnit = simulation?.schedule.parameter?.unit
        let e = try root.createGroup("experiments")
        try e.setAttribute("names", outcomes.map(\.name))
        let experiment = try fixedCoordinate(e, "experiment", outcomes.indices.map(Double.init))
        try fixedVariable(e, "parameter", outcomes.map { $0.parameter ?? .nan }, dims: [experiment], units: parameterUnit)
        try fixedVariable(e, "baseline", outcomes.map(\.baseline), dims: [experiment])
        try fixedVariable(e, "start", experimentStart.count == outcomes.count ? experimentStart : outcomes.map { _ in .nan },
                          dims: [experiment])
        if let m = metrics { try writeMetrics(m, outcomes: outcomes, parameterUnit: parameterUnit) }
        try root.setAttribute("status", status)
        if let failure { try root.setAttribute("failure", failure) }
        try root.setAttribute("finished", ISO8601DateFormatter().string(from: Date()))
        try file.commit()
        try writeXDMF()
    }

    func writeMetrics(_ m: SynapticMetrics, outcomes: [ExperimentOutcome], parameterUnit: String?) throws {
        let g = try root.createGroup("metrics")
        let fits: [(String, Double)] = [
            ("nonlinearity_potentiation_A", m.potentiation?.a ?? .nan),
            ("nonlinearity_potentiation_A_over_N", m.potentiation?.normalisedA ?? .nan),
            ("nonlinearity_depression_A", m.depression?.a ?? .nan),
            ("nonlinearity_depression_A_over_N", m.depression?.normalisedA ?? .nan),
        ]
        for (k, v) in fits { try g.setAttribute(k, v) }
        for (k, field) in SynapticMetrics.scalarAttributes { try g.setAttribute(k, m[keyPath: field]) }
        try g.setAttribute("states", m.states)
        if !m.sweep.isEmpty {
            let sweep = try fixedCoordinate(g, "sweep_parameter", m.sweep.map(\.parameter), units: parameterUnit)
            try fixedVariable(g, "sweep_response", m.sweep.map(\.response), dims: [sweep])
            try g.setAttribute("sweep_response_name", m.sweepResponseName)
            // Gain and nonlinearity have one value per train that has a parameter, which
            // may be more than the sweep's points: their own axis.
            if !m.sweepNonlinearity.isEmpty || !m.sweepGain.isEmpty {
                let trains = try fixedCoordinate(g, "train_parameter", outcomes.compactMap(\.parameter), units: parameterUnit)
                if !m.sweepNonlinearity.isEmpty { try fixedVariable(g, "sweep_nonlinearity", m.sweepNonlinearity, dims: [trains]) }
                if !m.sweepGain.isEmpty { try fixedVariable(g, "sweep_gain", m.sweepGain, dims: [trains]) }
            }
        }
        if let f = m.ppfFit { try g.setAttribute("ppf_fit", [f.c1, f.tau1, f.c2, f.tau2]) }
        if let f = m.stdpFit { try g.setAttribute("stdp_fit", [f.aPlus, f.tauPlus, f.aMinus, f.tauMinus]) }
    }

    /// Where the XDMF description of this run's fields is written: the run file's
    /// path with the extension `.xmf`.
    public var xdmfPath: String { XDMF.path(forRunFile: path) }

    /// Writes ``xdmfPath`` (atomically) describing the mesh and the field snapshots.
    func writeXDMF() throws {
        guard let sim = simulation else { return }
        let mesh = sim.discretisation.mesh
        let (nx, ny) = mesh.gridShape
        let grid: XDMF.Mesh = mesh.dimension == 2 ? .rectilinear(nx: nx, ny: ny, x: "/mesh/x", y: "/mesh/y")
            : .line(cells: mesh.cellCount, position: "/mesh/y")
        var items: [XDMF.Field] = ["potential", "filling", "conductivity", "charge_density", "electron_density", "hole_density", "electron_potential"].map {
            XDMF.Field(name: $0, path: "/fields/" + $0)
        }
        items += sim.device.problem.species.map { XDMF.Field(name: "concentration " + $0.name, path: "/fields/concentration/" + $0.name) }
        let text = XDMF.document(
            dataFile: (path as NSString).lastPathComponent, mesh: grid, times: fieldTimes,
            fields: items)
        try XDMF.write(text, to: xdmfPath)
    }
}
