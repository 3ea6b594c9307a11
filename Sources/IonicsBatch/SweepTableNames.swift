/// Names, units and codes of the collected table's own variables.
public enum SweepTableNames {
    /// The point's index in the sweep, its hash, its status code and its failure.
    public static let pointIndex = "point_index", pointHash = "point_hash", status = "status", failure = "failure"

    /// The status of a point in the collected table, with its code in the `status`
    /// variable (CF `flag_values` / `flag_meanings`).
    /// "stale": the point's file was computed from another config than the manifest's.
    public static let statuses = ["completed", "failed", "interrupted", "running", "pending", "missing", "stale"]

    /// The metrics `ionics run` writes under `metrics` (docs/output.md), in the table's
    /// order, with their SI units and long names; other numeric attributes found in the
    /// run files follow, with units "1".
    public static let metrics: [(name: String, units: String, longName: String)] = [
        ("gmin", "S", "minimum channel conductance"), ("gmax", "S", "maximum channel conductance"),
        ("ratio", "1", "conductance ratio gmax/gmin"),
        ("nonlinearity_potentiation_A", "1", "NeuroSim nonlinearity A of the potentiation branch (pulses)"),
        ("nonlinearity_potentiation_A_over_N", "1", "NeuroSim nonlinearity A/N of the potentiation branch"),
        ("nonlinearity_depression_A", "1", "NeuroSim nonlinearity A of the depression branch (pulses)"),
        ("nonlinearity_depression_A_over_N", "1", "NeuroSim nonlinearity A/N of the depression branch"),
        ("asymmetric_nonlinearity", "1", "asymmetric nonlinearity"), ("states", "1", "distinguishable conductance states"),
        ("charge_per_pulse", "C", "gate charge per pulse"), ("energy_per_pulse", "J", "gate energy per pulse"),
        ("net_energy_per_pulse", "J", "net gate work per pulse"), ("energy_per_area", "J/m^2", "gate energy per pulse and area"),
        ("gate_energy_per_pulse", "J", "gate energy per pulse"), ("read_energy_per_pulse", "J", "read energy per pulse"),
        ("total_energy_per_pulse", "J", "gate and read energy per pulse"),
        ("total_energy_per_area", "J/m^2", "gate and read energy per pulse and area"),
        ("coulombic_efficiency", "1", "coulombic efficiency"), ("faradaic_efficiency", "1", "faradaic efficiency"),
        ("retention_drift", "1", "relative conductance drift over the retention phase"),
    ]

    /// Names an axis may not take: the table's own variables and the known metrics.
    public static var reserved: [String] { [pointIndex, pointHash, status, failure] + metrics.map(\.name) }

    /// Units and long name of metric `name`.
    public static func describe(_ name: String) -> (units: String, longName: String) {
        if let m = metrics.first(where: { $0.name == name }) { return (m.units, m.longName) }
        return ("1", name.replacingOccurrences(of: "_", with: " "))
    }

    /// Metric names in the table's order: the known ones first, then the rest sorted.
    public static func ordered(_ names: Set<String>) -> [String] {
        let known = metrics.map(\.name).filter(names.contains)
        return known + names.subtracting(known).sorted()
    }
}
