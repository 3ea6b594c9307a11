import Foundation
public import IonicsConfig
public import IonicsUnits

/// A fitted parameter: a config key path and its starting value, bounds and scale.
public struct FitParameter: Sendable {
    public enum Scale: String, Sendable { case log, linear }

    /// Config key path as for `--set`, e.g. `interfaces[0].exchange_current`.
    public var path: String
    /// SI values.
    public var initial: Double
    public var lower: Double
    public var upper: Double
    public var scale: Scale
    public var dimension: IonicsUnits.Dimension
    /// The unit the fit file wrote the initial value in (e.g. "mA/cm^2"), with its SI
    /// factor; "" and 1 for plain numbers. Used to show values and write the fitted config.
    public var unit: String
    public var unitFactor: Double

    public init(path: String, initial: Double, lower: Double, upper: Double, scale: Scale,
                dimension: IonicsUnits.Dimension = .dimensionless, unit: String = "", unitFactor: Double = 1) {
        self.path = path
        self.initial = initial
        self.lower = lower
        self.upper = upper
        self.scale = scale
        self.dimension = dimension
        self.unit = unit
        self.unitFactor = unitFactor
    }

    /// The fit coordinate u of an SI value: log10(value) or the value.
    public func coordinate(_ value: Double) -> Double { scale == .log ? log10(value) : value }
    /// The SI value of a fit coordinate.
    public func value(_ coordinate: Double) -> Double { scale == .log ? pow(10, coordinate) : coordinate }
    /// The solver's variable z ∈ [0, 1] of an SI value (u scaled to the bounds).
    public func normalised(_ value: Double) -> Double {
        (coordinate(value) - coordinate(lower)) / (coordinate(upper) - coordinate(lower))
    }
    /// The SI value of a solver variable.
    /// Exactly the bound at z = 0 or 1, and clamped to the bounds (10^u may round a value
    /// at a bound to just outside it, e.g. 5.000000000000001 for 5).
    public func denormalised(_ z: Double) -> Double {
        if z <= 0 { return lower }
        if z >= 1 { return upper }
        return min(max(value(coordinate(lower) + z * (coordinate(upper) - coordinate(lower))), lower), upper)
    }
    /// du/dz.
    public var coordinateSpan: Double { coordinate(upper) - coordinate(lower) }

    /// The value in the fit file's unit as text, e.g. "20.3 mA/cm^2".
    public func shown(_ si: Double, digits: Int = 6) -> String {
        let v = String(format: "%.\(digits)g", si / unitFactor)
        return unit.isEmpty ? v : v + " " + unit
    }

    /// The value as written into the fitted config: a string with the fit file's unit,
    /// or a plain number.
    public func jsonValue(_ si: Double, digits: Int = 10) -> JSONValue {
        unit.isEmpty ? .number(si) : .string(String(format: "%.\(digits)g", si / unitFactor) + " " + unit)
    }
}

/// Settings of a fit beyond the parameters and data.
public struct FitSettings: Sendable {
    public var solver = LevenbergMarquardtOptions()
    /// `solver.relative_tolerance` of every model run of the fit (tighter than a normal run,
    /// so that the model's outputs are smooth in the parameters on the scale of the
    /// finite-difference step).
    public var modelRelativeTolerance = 1e-5
    /// `solver.absolute_potential` of the model runs, V.
    public var modelAbsolutePotential = 1e-8
    /// σ_k/σ_max of the column-scaled Jacobian below which a direction is reported as
    /// not determined by the data.
    public var identifiabilityThreshold = 1e-3
    /// Confidence level of the intervals.
    public var level = 0.95

    public init() {}
}

/// A dataset entry of the fit file (the file itself is read by ``DataTable``).
public struct DatasetEntry: Sendable {
    /// As written (relative to the fit file) and resolved.
    public var file: String
    public var resolved: String
    public var weight: Double
    /// Experiment of the protocol whose times/pulses the data refer to.
    public var experiment: Int
    /// Key path of the entry, e.g. `data[1]`.
    public var keyPath: String

    public init(file: String, resolved: String, weight: Double, experiment: Int, keyPath: String) {
        self.file = file
        self.resolved = resolved
        self.weight = weight
        self.experiment = experiment
        self.keyPath = keyPath
    }
}

/// A fit file: which config, which parameters, which data.
public struct FitSpec: Sendable {
    public var source: String
    /// The base config as written and resolved against the fit file's folder.
    public var base: String
    public var baseResolved: String
    /// Fixed overrides, `key.path=value` (JSON values), applied before the parameters.
    public var fixed: [String]
    public var parameters: [FitParameter]
    public var data: [DatasetEntry]
    public var settings: FitSettings

    /// Reads a fit file's text; every problem is collected and thrown as one
    /// ``ConfigError`` naming its key (`parameters[1].lower: …`).
    public static func parse(_ text: String, source: String) throws -> FitSpec {
        let folder = (source as NSString).deletingLastPathComponent
        func resolve(_ p: String) -> String {
            p.hasPrefix("/") || folder.isEmpty ? p : (folder as NSString).appendingPathComponent(p)
        }
        return try readConfiguration(text: text, source: source) { root in
            var spec = FitSpec(source: source, base: "", baseResolved: "", fixed: [], parameters: [], data: [], settings: FitSettings())
            guard let o = root.object() else { return spec }
            if let b = o.required("base", "the config file to fit, relative to this file")?.string() {
                spec.base = b
                spec.baseResolved = resolve(b)
                if !FileManager.default.fileExists(atPath: spec.baseResolved) { o.report("base", "no such file: \(spec.baseResolved)") }
            }
            if let s = o.optional("set") {
                if case .object(let members) = s.value {
                    spec.fixed = members.map { "\($0.key)=\($0.value.jsonText)" }
                } else {
                    s.report("expected an object of key paths and values, e.g. {\"protocol.pulses\": 10}, got \(s.shown)")
                }
            }
            if let list = o.required("parameters", "a list of {path, initial, lower, upper, scale}")?.array() {
                if list.isEmpty { o.report("parameters", "give at least one parameter") }
                spec.parameters = list.compactMap(readParameter)
                var seen: Set<String> = []
                for (i, p) in spec.parameters.enumerated() where !seen.insert(p.path).inserted {
                    root.diagnostics.report("parameters[\(i)].path", "\"\(p.path)\" is fitted twice")
                }
            }
            if let list = o.required("data", "a list of {file, weight}")?.array() {
                if list.isEmpty { o.report("data", "give at least one dataset") }
                spec.data = list.compactMap { readDataset($0, resolve: resolve) }
            }
            if let s = o.optional("solver")?.object() { readSettings(s, into: &spec.settings) }
            return spec
        }
    }

    static func readParameter(_ node: ConfigNode) -> FitParameter? {
        guard let o = node.object() else { return nil }
        let path = o.required("path", "a config key path as for --set")?.string()
        if let path, path.isEmpty || path.contains("=") { o.report("path", "not a key path: \"\(path)\"") }
        let scale = o.choice("scale", ["log", "linear"], default: "linear").flatMap(FitParameter.Scale.init(rawValue:)) ?? .linear
        guard let initialNode = o.required("initial", "a value with units, e.g. \"20 mA/cm^2\"") else { return nil }
        guard let initial = quantity(initialNode, expected: nil) else { return nil }
        let lowerNode = o.required("lower", "the lower bound, in the units of initial")
        let upperNode = o.required("upper", "the upper bound, in the units of initial")
        guard let lowerNode, let upperNode,
              let lower = quantity(lowerNode, expected: initial.quantity.dimension),
              let upper = quantity(upperNode, expected: initial.quantity.dimension), let path
        else { return nil }
        let (lo, hi, x0) = (lower.quantity.value, upper.quantity.value, initial.quantity.value)
        guard lo < hi else {
            o.report("upper", "must be above lower (\(lowerNode.shown))")
            return nil
        }
        if scale == .log && lo <= 0 {
            o.report("lower", "a log-scale parameter needs a positive lower bound, got \(lowerNode.shown)")
            return nil
        }
        guard x0 >= lo && x0 <= hi else {
            o.report("initial", "\(initialNode.shown) lies outside [\(lowerNode.shown), \(upperNode.shown)]")
            return nil
        }
        return FitParameter(path: path, initial: x0, lower: lo, upper: hi, scale: scale,
                            dimension: initial.quantity.dimension, unit: initial.unit, unitFactor: initial.factor)
    }

    /// A number (SI) or a string with units; with `expected`, its dimension must match.
    static func quantity(_ node: ConfigNode, expected: IonicsUnits.Dimension?)
        -> (quantity: Quantity, unit: String, factor: Double)?
    {
        let text: String
        switch node.value {
        case .number(let x):
            if let e = expected, !e.isDimensionless {
                node.report("expected \(DimensionNames.phrase(e)) with units, got \(node.shown)")
                return nil
            }
            return (Quantity(x, .dimensionless), "", 1)
        case .string(let s): text = s
        default:
            node.report("expected a number or a string with units, got \(node.shown)")
            return nil
        }
        let q: Quantity
        do { q = try UnitParser.parse(text) } catch {
            node.report("cannot read \"\(text)\": \(error)")
            return nil
        }
        if let e = expected, q.dimension != e {
            node.report("expected \(DimensionNames.phrase(e)), got \"\(text)\"")
            return nil
        }
        guard q.value.isFinite else { node.report("not a finite value: \"\(text)\""); return nil }
        // The unit as written, and its factor (offset scales such as degC are written back in SI).
        let unit = unitPart(of: text)
        if !unit.isEmpty, let one = try? UnitParser.parse("1 " + unit), let zero = try? UnitParser.parse("0 " + unit), zero.value == 0 {
            return (q, unit, one.value)
        }
        return (q, "", 1)
    }

    /// The unit of a quantity's text: everything after the number.
    static func unitPart(of text: String) -> String {
        let s = text.trimmingCharacters(in: .whitespaces)
        var end = s.startIndex
        let numeric = Set("0123456789+-.eE")
        while end < s.endIndex, numeric.contains(s[end]) {
            // An 'e' not followed by a digit or sign starts a unit (e.g. "5 eV" has a space anyway).
            if s[end] == "e" || s[end] == "E" {
                let next = s.index(after: end)
                guard next < s.endIndex, "0123456789+-".contains(s[next]) else { break }
            }
            end = s.index(after: end)
        }
        return s[end...].trimmingCharacters(in: .whitespaces)
    }

    static func readDataset(_ node: ConfigNode, resolve: (String) -> String) -> DatasetEntry? {
        guard let o = node.object() else { return nil }
        guard let file = o.required("file", "a CSV file relative to the fit file")?.string() else { return nil }
        let weight = o.number("weight", default: 1) ?? 1
        if !(weight > 0) || !weight.isFinite { o.report("weight", "must be a positive number") }
        let experiment = o.integer("experiment", default: 0) ?? 0
        if experiment < 0 { o.report("experiment", "must be 0 or more") }
        return DatasetEntry(file: file, resolved: resolve(file), weight: weight, experiment: experiment, keyPath: node.path)
    }

    static func readSettings(_ s: ConfigObject, into settings: inout FitSettings) {
        func positive(_ key: String, _ apply: (Double) -> Void) {
            guard let v = s.number(key) else { return }
            if v > 0 && v.isFinite { apply(v) } else { s.report(key, "must be a positive number") }
        }
        if let n = s.integer("max_iterations") {
            if n >= 0 && n <= 1000 { settings.solver.maxIterations = n } else { s.report("max_iterations", "must be between 0 and 1000") }
        }
        positive("cost_tolerance") { settings.solver.costTolerance = $0 }
        positive("step_tolerance") { settings.solver.stepTolerance = $0 }
        positive("gradient_tolerance") { settings.solver.gradientTolerance = $0 }
        positive("finite_difference_step") { v in settings.solver.finiteDifferenceStep = v }
        if let v = s.number("finite_difference_step"), v >= 0.5 { s.report("finite_difference_step", "must be below 0.5 (a fraction of the bounds' range)") }
        positive("initial_damping") { settings.solver.initialDamping = $0 }
        positive("identifiability_threshold") { settings.identifiabilityThreshold = $0 }
        if let v = s.number("level") {
            if v > 0 && v < 1 { settings.level = v } else { s.report("level", "must lie between 0 and 1, e.g. 0.95") }
        }
        if let v = s.number("model_relative_tolerance") {
            if v > 0 && v < 0.1 { settings.modelRelativeTolerance = v } else { s.report("model_relative_tolerance", "must be between 0 and 0.1") }
        }
        if let v = s.positiveQuantity("model_absolute_potential", .voltage, default: -1), v > 0 { settings.modelAbsolutePotential = v }
    }
}

/// Names of dimensions for messages: "a length", "a current density", or the SI base units.
enum DimensionNames {
    static let kinds: [QuantityKind] = [
        .dimensionless, .length, .area, .time, .frequency, .current, .currentDensity, .voltage, .charge, .chargePerArea,
        .energy, .energyPerArea, .power, .temperature, .concentration, .diffusivity, .conductivity, .conductance,
        .resistance, .areaResistance, .capacitance, .capacitancePerArea, .mobility, .velocity, .molarEnergy,
    ]

    static func phrase(_ d: IonicsUnits.Dimension) -> String {
        if d.isDimensionless { return "a plain number" }
        return kinds.first { $0.dimension == d }?.phrase ?? "a quantity in \(d)"
    }
}
