/// How a terminal is driven, as written in a config: `{"voltage": "1 V"}`,
/// `{"current": "0.5 uA"}`, or `"open"`.
public enum ControlConfig: Sendable, Equatable {
    /// Volts.
    case voltage(Double)
    /// Amperes into the device (the device's whole cross-section).
    case current(Double)
    case open

    static func read(_ node: ConfigNode) -> ControlConfig? {
        if case .string(let s) = node.value {
            if s == "open" { return .open }
            node.report("expected \"open\", {\"voltage\": …} or {\"current\": …}, got \(node.shown)")
            return nil
        }
        guard let o = node.object() else { return nil }
        let hasV = o.has("voltage")
        let hasI = o.has("current")
        if hasV == hasI {
            node.report("give exactly one of \"voltage\" and \"current\"")
            return nil
        }
        if hasV { return o.quantity("voltage", .voltage).map { .voltage($0) } }
        return o.quantity("current", .current).map { .current($0) }
    }

    /// The same control with its amplitude scaled (for depression pulses etc.).
    public func scaled(_ factor: Double) -> ControlConfig {
        switch self {
        case .voltage(let v): return .voltage(v * factor)
        case .current(let i): return .current(i * factor)
        case .open: return .open
        }
    }

    /// The amplitude (V or A; 0 when open).
    public var amplitude: Double {
        switch self {
        case .voltage(let v): return v
        case .current(let i): return i
        case .open: return 0
        }
    }

    /// The same kind of control with another amplitude.
    public func with(amplitude a: Double) -> ControlConfig {
        switch self {
        case .voltage: return .voltage(a)
        case .current: return .current(a)
        case .open: return .open
        }
    }
}

/// A pulse: a control held for a width.
public struct PulseConfig: Sendable, Equatable {
    public var control: ControlConfig
    /// Width, s.
    public var width: Double

    public init(control: ControlConfig, width: Double) {
        self.control = control
        self.width = width
    }

    /// Reads `{"voltage" | "current": …, "width": …}`.
    static func read(_ node: ConfigNode) -> PulseConfig? {
        guard let o = node.object() else { return nil }
        let width = o.positiveQuantity("width", .time)
        let hasV = o.has("voltage")
        let hasI = o.has("current")
        var control: ControlConfig?
        if hasV == hasI {
            node.report("a pulse needs exactly one of \"voltage\" and \"current\"")
        } else if hasV {
            control = o.quantity("voltage", .voltage).map { .voltage($0) }
        } else {
            control = o.quantity("current", .current).map { .current($0) }
        }
        guard let control, let width else { return nil }
        return PulseConfig(control: control, width: width)
    }
}
