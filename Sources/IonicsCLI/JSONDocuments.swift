import Foundation
import IonicsConfig
import IonicsDevice
import IonicsHDF5
import IonicsPresets
import IonicsVerification

// The `--json` documents of the commands; their schemas are documented in docs/cli.md
// ("JSON output"). Values are SI, with the names the HDF5 run file uses.

/// The synaptic figures of merit, keyed as the run file's `metrics` attributes.
func metricsJSON(_ m: SynapticMetrics) -> JSON {
    var members: [(String, JSON)] = [
        ("gmin", .number(m.gMin)), ("gmax", .number(m.gMax)), ("ratio", .number(m.ratio)),
        ("nonlinearity_potentiation_A", .optional(m.potentiation?.a)),
        ("nonlinearity_potentiation_A_over_N", .optional(m.potentiation?.normalisedA)),
        ("nonlinearity_depression_A", .optional(m.depression?.a)),
        ("nonlinearity_depression_A_over_N", .optional(m.depression?.normalisedA)),
        ("asymmetric_nonlinearity", .number(m.asymmetricNonlinearity)), ("states", .int(m.states)),
        ("charge_per_pulse", .number(m.chargePerPulse)), ("energy_per_pulse", .number(m.energyPerPulse)),
        ("net_energy_per_pulse", .number(m.netEnergyPerPulse)), ("energy_per_area", .number(m.energyPerArea)),
        ("gate_energy_per_pulse", .number(m.energyPerPulse)), ("read_energy_per_pulse", .number(m.readEnergyPerPulse)),
        ("total_energy_per_pulse", .number(m.totalEnergyPerPulse)), ("total_energy_per_area", .number(m.totalEnergyPerArea)),
        ("coulombic_efficiency", .number(m.coulombicEfficiency)), ("faradaic_efficiency", .number(m.faradaicEfficiency)),
        ("retention_drift", .number(m.retentionDrift)),
    ]
    if !m.sweep.isEmpty {
        members.append(("sweep", .object([
            ("response_name", .string(m.sweepResponseName)),
            ("parameter", .numbers(m.sweep.map(\.parameter))), ("response", .numbers(m.sweep.map(\.response))),
        ])))
    }
    return .object(members)
}

/// `ionics run --json`: schema `ionics.run` version 1.
func runDocument(
    config: String, device: Device, simulation: Simulation, metrics: SynapticMetrics, outcomes: [ExperimentOutcome],
    path: String, xdmf: String, failure: String?, elapsed: Double
) -> [(String, JSON)] {
    let s = simulation.statistics
    return [
        JSON.schema("ionics.run"),
        ("status", .string(failure == nil ? "completed" : "failed")),
        ("failure", .optional(failure)),
        ("config", .string(config)),
        ("output", .string(path)),
        ("xdmf", .string(xdmf)),
        ("device", .object([
            ("name", .string(device.config.name)), ("terminals", .strings(device.terminalNames)),
            ("readout", .string(device.readout.mode.rawValue)), ("cells", .int(device.mesh.cellCount)),
            ("dimension", .int(device.mesh.dimension)),
            ("area", .number(device.area)),
        ])),
        ("protocol", .object([
            ("type", .string(simulation.schedule.type)), ("experiments", .int(simulation.schedule.experiments.count)),
            ("pulses", .int(outcomes.flatMap(\.pulses).count)),
        ])),
        ("metrics", metricsJSON(metrics)),
        ("solver", .object([
            ("steps", .int(s.steps)), ("rejected", .int(s.rejectedError + s.rejectedNewton)),
            ("newton_iterations", .int(s.newtonIterations)), ("table_extrapolations", .int(simulation.reader.extrapolations)),
            ("elapsed", .number(elapsed)),
        ])),
    ]
}

/// `ionics validate --json`: schema `ionics.validate` version 1.
func validateDocument(config: String, device: Device?, problems: [ConfigProblem]) -> [(String, JSON)] {
    var members: [(String, JSON)] = [
        JSON.schema("ionics.validate"),
        ("config", .string(config)),
        ("valid", .bool(problems.isEmpty && device != nil)),
        ("problems", .array(problems.map { p in
            .object([("path", .string(p.path)), ("message", .string(p.message)),
                     ("line", p.position.map { .int($0.line) } ?? .null)])
        })),
    ]
    if let device {
        let c = device.config
        members.append(("device", .object([
            ("name", .string(c.name)), ("temperature", .number(c.temperature)), ("cells", .int(device.mesh.cellCount)),
            ("terminals", .strings(device.terminalNames)),
            ("layers", .array(c.layers.map { l in
                .object([("name", .string(l.name)), ("material", .string(l.material)), ("thickness", .optional(l.thickness))])
            })),
        ])))
    } else {
        members.append(("device", .null))
    }
    return members
}

/// `ionics table --json`: schema `ionics.table` version 1.
func tableDocument(_ results: [PresetResult], output: String) -> [(String, JSON)] {
    let failed = results.filter { $0.failure != nil }.count
    let meets = results.filter { $0.failure == nil && $0.meetsCalibration }.count
    return [
        JSON.schema("ionics.table"),
        ("output", .string(output)),
        ("count", .int(results.count)), ("failed", .int(failed)), ("meet_calibration", .int(meets)),
        ("presets", .array(results.map { r in
            .object([
                ("name", .string(r.name)), ("config", .string(r.path)), ("output", .string(r.output)),
                ("failure", .optional(r.failure)), ("elapsed", .number(r.elapsed)), ("pulse", .string(r.pulse)),
                ("meets_calibration", .bool(r.meetsCalibration)),
                ("reported", r.reported.map { p in
                    .object([
                        ("reference", .int(p.reference)), ("citation", .string(p.citation)), ("gmin", .number(p.gmin)),
                        ("gmax", .number(p.gmax)), ("energy", .optional(p.energy)), ("energy_per_area", .optional(p.energyPerArea)),
                        ("energy_definition", .string(p.energyDefinition)),
                        ("fitted", .array(p.fitted.map { .string($0) })), ("predicted", .array(p.predicted.map { .string($0) })),
                    ])
                } ?? .null),
                ("metrics", r.metrics.map(metricsJSON) ?? .null),
                ("gmin_error", .optional(r.gminError)), ("gmax_error", .optional(r.gmaxError)),
                ("energy_ratio", .optional(r.energyRatio)),
                ("prediction_errors", .object(r.predictionErrors.map { ($0.name, .number($0.error)) })),
            ])
        })),
    ]
}

/// One row of `ionics verify --json` (schema `ionics.verify` version 1).
func verificationRowJSON(_ r: VerificationRow) -> JSON {
    .object([
        ("case", .string(r.caseName)), ("quantity", .string(r.quantity)), ("kind", .string(r.isOrder ? "order" : "error")),
        ("value", .number(r.value)), ("threshold", .number(r.tolerance)),
        ("comparison", .string(r.isOrder ? "at_least" : "at_most")), ("passed", .bool(r.passed)),
    ])
}

/// `ionics inspect --json`: one group with its attributes, datasets and subgroups.
func groupJSON(_ group: HDF5Group) throws -> JSON {
    var attributes: [(String, JSON)] = []
    for name in try group.attributeNames() { attributes.append((name, JSON(try group.attribute(name)))) }
    var datasets: [JSON] = []
    var groups: [JSON] = []
    for child in try group.childNames() {
        if try group.isGroup(child) {
            groups.append(try groupJSON(try group.openGroup(child)))
        } else {
            datasets.append(try datasetJSON(try group.openDataset(child), name: child))
        }
    }
    return .object([
        ("path", .string(group.path)), ("attributes", .object(attributes)), ("datasets", .array(datasets)),
        ("groups", .array(groups)),
    ])
}

/// Attributes the HDF5 dimension-scale API keeps for itself.
let scaleAttributes: Set<String> = ["CLASS", "NAME", "DIMENSION_LIST", "REFERENCE_LIST"]

func datasetJSON(_ d: HDF5Dataset, name: String) throws -> JSON {
    let shape = try d.shape()
    var dimensions: [JSON] = []
    if try d.isDimensionScale() {
        dimensions = [.optional(try d.dimensionScaleName())]
    } else {
        for axis in shape.indices {
            let scale = try d.attachedScales(axis: axis).last
            dimensions.append(.optional(scale.map { ($0 as NSString).lastPathComponent }))
        }
    }
    var attributes: [(String, JSON)] = []
    for a in try d.attributeNames() where !scaleAttributes.contains(a) {
        if let v = try? d.attribute(a) { attributes.append((a, JSON(v))) }
    }
    let type: String = switch try d.elementClass() {
    case .float: "float"
    case .integer: "integer"
    case .string: "string"
    case .other: "other"
    }
    return .object([
        ("name", .string(name)), ("path", .string(d.path)), ("shape", .array(shape.map { .int($0) })), ("type", .string(type)),
        ("dimensions", .array(dimensions)), ("attributes", .object(attributes)),
    ])
}
