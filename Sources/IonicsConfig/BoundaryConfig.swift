import IonicsUnits

/// An outer boundary of the stack as written under `boundaries.first` or
/// `boundaries.last`, for stacks whose end is not a metal layer (electrochemical cells
/// posed directly: an electrolyte between electrodes or against a reservoir).
public struct BoundaryConfig: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// No ion crosses and no field: ∂φ/∂n = 0 (what an unbounded end defaults to).
        case blocking
        /// A blocking metal driven by a terminal (voltage steps come from the protocol),
        /// with an optional Stern layer and potential of zero charge.
        case electrode
        /// A bulk reservoir: every species of the adjacent layer at a fixed
        /// concentration, and a fixed potential.
        case reservoir
        /// Fixed concentrations of the listed species (the others blocked); a fixed
        /// potential when given, else no field.
        case concentration
    }

    public var kind: Kind
    /// Key path of this boundary (`boundaries.first`), for problems found by the device builder.
    public var path: String
    /// Terminal of an electrode.
    public var terminal: String?
    /// Stern capacitance of an electrode, F/m².
    public var sternCapacitance: Double?
    /// Potential of zero charge of an electrode, V.
    public var pzc: Double?
    /// Potential of a reservoir (default 0 V) or concentration boundary (nil: no field), V.
    public var potential: Double?
    /// Fixed concentrations by species name, mol/m³, from the start of the protocol
    /// (a reservoir without them keeps the adjacent layer's initial concentrations).
    public var concentrations: [String: Double] = [:]
    /// Concentrations before the protocol starts (the initial equilibrium), by species;
    /// those not listed are the same as `concentrations`. A difference is a step at t = 0.
    public var initialConcentrations: [String: Double] = [:]

    public init(kind: Kind, path: String) {
        self.kind = kind
        self.path = path
    }

    /// Keys each kind takes (besides `type`).
    static let keys: [Kind: [String]] = [
        .blocking: [],
        .electrode: ["terminal", "stern_capacitance", "pzc"],
        .reservoir: ["potential", "concentrations", "initial_concentrations"],
        .concentration: ["concentrations", "initial_concentrations", "potential"],
    ]

    static func read(_ node: ConfigNode) -> BoundaryConfig? {
        guard let o = node.object() else { return nil }
        let all = Set(keys.values.flatMap { $0 })
        guard let type = o.required("type", "one of " + Kind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))?
            .choice(Kind.allCases.map(\.rawValue)), let kind = Kind(rawValue: type) else {
            for key in all { o.allow(key) }
            return nil
        }
        var b = BoundaryConfig(kind: kind, path: o.path)
        let taken = Set(keys[kind]!)
        for key in o.keys where key != "type" && all.contains(key) && !taken.contains(key) {
            o.report(key, "does not apply to a \"\(type)\" boundary" + (taken.isEmpty ? "" : " (it takes: \(taken.sorted().joined(separator: ", ")))"))
            o.allow(key)
        }
        func concentrationMap(_ key: String) -> [String: Double] {
            guard taken.contains(key), let c = o.optional(key)?.object() else { return [:] }
            c.acceptsAnyKey = true
            if c.keys.isEmpty { o.report(key, "needs at least one species") }
            var values: [String: Double] = [:]
            for name in c.keys {
                guard let v = c.optional(name)?.quantity(.concentration) else { continue }
                // The equilibrium is written in ln c: a boundary concentration must be positive.
                if v > 0 { values[name] = v } else { c.report(name, "must be positive (a fixed concentration of 0 has no chemical potential)") }
            }
            return values
        }
        switch kind {
        case .blocking:
            break
        case .electrode:
            b.terminal = o.required("terminal", "the terminal that drives the electrode")?.string()
            if o.has("stern_capacitance") { b.sternCapacitance = o.positiveQuantity("stern_capacitance", .capacitancePerArea) }
            b.pzc = o.quantity("pzc", .voltage)
        case .reservoir:
            b.potential = o.quantity("potential", .voltage, default: 0)
            b.concentrations = concentrationMap("concentrations")
            b.initialConcentrations = concentrationMap("initial_concentrations")
        case .concentration:
            if o.required("concentrations", "the fixed species and their concentrations") != nil {
                b.concentrations = concentrationMap("concentrations")
            }
            b.initialConcentrations = concentrationMap("initial_concentrations")
            b.potential = o.quantity("potential", .voltage)
            for name in b.initialConcentrations.keys.sorted() where b.concentrations[name] == nil && o.has("concentrations") {
                o.report("initial_concentrations", "\"\(name)\" is not one of the fixed species (concentrations)")
            }
        }
        return b
    }
}

/// The two outer boundaries, when the config gives them.
public struct BoundariesConfig: Sendable, Equatable {
    public var first: BoundaryConfig?
    public var last: BoundaryConfig?

    public init(first: BoundaryConfig? = nil, last: BoundaryConfig? = nil) {
        self.first = first
        self.last = last
    }

    static func read(_ node: ConfigNode) -> BoundariesConfig {
        var b = BoundariesConfig()
        guard let o = node.object() else { return b }
        b.first = o.optional("first").flatMap { BoundaryConfig.read($0) }
        b.last = o.optional("last").flatMap { BoundaryConfig.read($0) }
        return b
    }
}
