/// What every dataset of a run file is: its units, its `long_name`, whether it holds
/// integers, and (for enumerations) its CF `flag_values` / `flag_meanings`. The run
/// writer describes each dataset it creates from this table, so a dataset missing
/// here cannot be written (see `docs/output.md`).
public enum RunSchema {
    /// Root attribute `schema_version`: the major number changes when a path, shape or
    /// meaning changes, the minor number when something is added. Files written before
    /// the attribute existed are version 1.
    public static let version = "2.4"

    /// One kind of dataset. Units are UDUNITS/pint-readable strings in SI ("1" for
    /// dimensionless numbers, counts and indices); "*" in a long name stands for the
    /// path component the pattern matched with "*" (a terminal, species or boundary).
    public struct Variable: Sendable {
        public let units: String
        public let longName: String
        /// Stored as 64-bit integers (counts, indices, enumeration codes).
        public let integer: Bool
        /// CF flags of a fixed enumeration: codes and one word per code.
        public let flags: [(value: Int, meaning: String)]

        init(_ units: String, _ longName: String, integer: Bool = false, flags: [(Int, String)] = []) {
            self.units = units
            self.longName = longName
            self.integer = integer
            self.flags = flags.map { (value: $0.0, meaning: $0.1) }
        }
    }

    /// The units marker of the swept parameter, replaced by the protocol's unit.
    static let sweptUnit = "<parameter>"

    static func integer(_ longName: String, flags: [(Int, String)] = []) -> Variable {
        Variable("1", longName, integer: true, flags: flags)
    }

    /// Patterns in match order: "*" matches one path component.
    static let variables: [(pattern: String, variable: Variable)] = [
        ("mesh/y", Variable("m", "cell centre position through the stack")),
        ("mesh/faces", Variable("m", "face position through the stack")),
        ("mesh/width", Variable("m", "cell width")),
        ("mesh/layer", integer("layer index of the cell")),
        ("mesh/layer_bounds", Variable("m", "layer boundary position")),
        ("mesh/x", Variable("m", "cell centre position along the channel (2D)")),
        ("mesh/x_faces", Variable("m", "face position along the channel (2D)")),

        ("fields/time", Variable("s", "time of the field snapshot")),
        ("fields/y", Variable("m", "cell centre position through the stack")),
        ("fields/x", Variable("m", "cell centre position along the channel (2D)")),
        ("fields/experiment", integer("experiment index of the snapshot")),
        ("fields/potential", Variable("V", "electric potential")),
        ("fields/filling", Variable("1", "host filling c/c_max")),
        ("fields/conductivity", Variable("S/m", "channel conductivity used by the readout")),
        ("fields/charge_density", Variable("C/m^3", "total charge density")),
        ("fields/electron_density", Variable("m^-3", "electron density of semiconductor hosts")),
        ("fields/hole_density", Variable("m^-3", "hole density of ambipolar semiconductor hosts")),
        ("fields/electron_potential", Variable("V", "electron (quasi-Fermi) potential of hosts with electron transport")),
        ("fields/concentration/time", Variable("s", "time of the field snapshot")),
        ("fields/concentration/y", Variable("m", "cell centre position through the stack")),
        ("fields/concentration/x", Variable("m", "cell centre position along the channel (2D)")),
        ("fields/concentration/*", Variable("mol/m^3", "concentration of *")),

        ("series/time", Variable("s", "time at the end of the step")),
        ("series/experiment", integer("experiment index of the step")),
        ("series/step", Variable("s", "step size (0 for a re-initialisation)")),
        ("series/conductance", Variable("S", "channel conductance after the step")),
        ("series/newton_iterations", integer("Newton iterations of the step")),
        ("series/rejected", integer("attempts rejected before the step was accepted")),
        ("series/reinitialisation", integer("re-initialisation at a discontinuity", flags: [(0, "step"), (1, "reinitialisation")])),
        ("series/inventory_error", Variable("1", "relative inventory error of the step")),
        ("series/current_spread", Variable("1", "relative spread of the total current over the faces")),
        ("series/current_spread_absolute", Variable("A", "spread of the total current over the faces")),
        ("series/gauss_residual", Variable("1", "relative residual of Gauss's law")),

        ("terminals/*/time", Variable("s", "time at the end of the step")),
        ("terminals/*/voltage", Variable("V", "potential of terminal *")),
        ("terminals/*/current", Variable("A", "mean current into the device through terminal * over the step")),
        ("terminals/*/charge", Variable("C", "charge through terminal * during the step")),
        ("terminals/*/energy", Variable("J", "work done through terminal * during the step")),
        ("terminals/*/cumulative_charge", Variable("C", "charge through terminal * since the start")),
        ("terminals/*/cumulative_energy", Variable("J", "work done through terminal * since the start")),

        ("reads/time", Variable("s", "time of the read")),
        ("reads/experiment", integer("experiment index of the read")),
        ("reads/conductance", Variable("S", "channel conductance (synaptic weight)")),
        ("reads/after_pulse", integer("index of the last pulse before the read (-1 before any)")),

        ("pulses/pulse", integer("pulse number in the run")),
        ("pulses/experiment", integer("experiment index of the pulse")),
        ("pulses/index", integer("pulse number within its experiment")),
        ("pulses/kind", integer("pulse kind", flags: PulseKindCode.kinds.enumerated().map { ($0.offset, $0.element.rawValue) })),
        ("pulses/terminal", integer("pulsed terminal")),
        ("pulses/start", Variable("s", "start of the pulse")),
        ("pulses/end", Variable("s", "end of the pulse")),
        ("pulses/charge", Variable("C", "charge into the device through the pulsed terminal during the pulse")),
        ("pulses/energy", Variable("J", "net work during the pulse")),
        ("pulses/write_energy", Variable("J", "gate (write) energy the driver supplies during the pulse")),
        ("pulses/read_energy", Variable("J", "energy of the electronic read path during the pulse")),
        ("pulses/total_energy", Variable("J", "gate (write) plus read energy of the pulse")),
        ("pulses/peak_voltage", Variable("V", "largest voltage magnitude during the pulse")),
        ("pulses/peak_current", Variable("A", "largest current magnitude during the pulse")),
        ("pulses/channel_ions", Variable("mol", "channel ion content change from the pulse to the next read")),
        ("pulses/conductance_before", Variable("S", "conductance before the pulse")),
        ("pulses/conductance_after", Variable("S", "conductance at the read after the pulse")),

        ("samples/time", Variable("s", "output time")),
        ("samples/experiment", integer("experiment index of the output time")),
        ("samples/*/time", Variable("s", "output time")),
        ("samples/*/charge", Variable("C/m^2", "charge on the outer side of the * boundary")),
        ("samples/*/current", Variable("A/m^2", "total current density into the device through the * boundary")),
        ("samples/*/flux/time", Variable("s", "output time")),
        ("samples/*/flux/*", Variable("mol/(m^2 s)", "flux of * into the device through the boundary")),

        ("experiments/experiment", integer("experiment index")),
        ("experiments/parameter", Variable(sweptUnit, "swept parameter of the experiment")),
        ("experiments/baseline", Variable("S", "conductance at the start of the experiment")),
        ("experiments/start", Variable("s", "start time of the experiment")),

        ("metrics/sweep_parameter", Variable(sweptUnit, "swept parameter")),
        ("metrics/sweep_response", Variable("1", "response to the swept parameter")),
        ("metrics/train_parameter", Variable(sweptUnit, "swept parameter of each pulse train")),
        ("metrics/sweep_nonlinearity", Variable("1", "nonlinearity |N/A| of each pulse train")),
        ("metrics/sweep_gain", Variable("1", "gain A_N/A_1 of each pulse train")),
    ]

    /// The description of dataset `path` (relative to the root, e.g.
    /// `terminals/gate/voltage`), with "*" in its long name filled in; nil when the
    /// schema has no such dataset.
    public static func variable(_ path: String) -> Variable? {
        let parts = path.split(separator: "/")
        for (pattern, v) in variables {
            let p = pattern.split(separator: "/")
            guard p.count == parts.count else { continue }
            var wildcard: Substring?
            var matches = true
            for (a, b) in zip(p, parts) where a != b {
                if a == "*" { wildcard = b } else { matches = false; break }
            }
            if matches {
                let name = wildcard.map { v.longName.replacingOccurrences(of: "*", with: String($0)) } ?? v.longName
                return Variable(v.units, name, integer: v.integer, flags: v.flags.map { ($0.value, $0.meaning) })
            }
        }
        return nil
    }

    /// Units by path pattern, for the root attribute `units` (JSON) of older readers.
    public static var unitsByPattern: [String: String] {
        Dictionary(variables.map { ($0.pattern, $0.variable.units) }) { a, _ in a }
    }
}
