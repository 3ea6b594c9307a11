import IonicsUnits

/// One segment of an explicit protocol.
public struct SegmentConfig: Sendable, Equatable {
    /// Duration, s.
    public var duration: Double
    /// Controls by terminal name; terminals not listed keep theirs.
    public var terminals: [String: ControlConfig]
    /// Read the conductance at the end of the segment.
    public var read: Bool
    public var label: String

    public init(duration: Double, terminals: [String: ControlConfig], read: Bool, label: String) {
        self.duration = duration
        self.terminals = terminals
        self.read = read
        self.label = label
    }
}

/// A pulse train on one terminal: `count` pulses, each followed by a rest (with the
/// terminal held at `rest`), reading after each rest.
public struct TrainConfig: Sendable, Equatable {
    public var terminal: String
    public var pulse: PulseConfig
    public var count: Int
    /// Rest after each pulse, s.
    public var interval: Double
    public var rest: ControlConfig
    /// Rest before the first pulse (with the terminal at `rest`), s, ending with a read:
    /// lets the interfaces reach equilibrium before programming starts.
    public var settle: Double

    public init(terminal: String, pulse: PulseConfig, count: Int, interval: Double, rest: ControlConfig, settle: Double = 0) {
        self.terminal = terminal
        self.pulse = pulse
        self.count = count
        self.interval = interval
        self.rest = rest
        self.settle = settle
    }
}

/// The protocol applied to the device.
public enum ProtocolConfig: Sendable, Equatable {
    case segments([SegmentConfig])
    case pulseTrain(TrainConfig)
    /// N potentiation then N depression pulses, for `cycles` cycles.
    case ltpLtd(potentiation: TrainConfig, depression: TrainConfig, cycles: Int)
    /// Program with a train, then rest for `duration` (terminal at `train.rest`), with
    /// `reads` reads spaced logarithmically.
    case retention(program: TrainConfig, duration: Double, reads: Int)
    /// Pairs of pulses separated by each interval, each pair from the same initial state.
    case ppf(terminal: String, pulse: PulseConfig, intervals: [Double], rest: ControlConfig, settle: Double)
    /// A pre spike on one terminal and a post spike on another, delayed by each Δt
    /// (positive: pre before post), each from the same initial state.
    /// Spikes are sequences of levels (a single pulse is a one-level spike).
    case stdp(pre: String, post: String, preSpike: [PulseConfig], postSpike: [PulseConfig], delays: [Double], rest: ControlConfig, settle: Double)
    /// Sweeps of a pulse train's rate (Hz), amplitude, number or width, each point
    /// from the same initial state.
    case srdp(TrainConfig, rates: [Double])
    case svdp(TrainConfig, amplitudes: [Double])
    case sndp(TrainConfig, counts: [Int])
    case swdp(TrainConfig, widths: [Double])

    public var typeName: String {
        switch self {
        case .segments: return "segments"
        case .pulseTrain: return "pulse-train"
        case .ltpLtd: return "ltp-ltd"
        case .retention: return "retention"
        case .ppf: return "ppf"
        case .stdp: return "stdp"
        case .srdp: return "srdp"
        case .svdp: return "svdp"
        case .sndp: return "sndp"
        case .swdp: return "swdp"
        }
    }

    public static let types = ["segments", "pulse-train", "ltp-ltd", "retention", "ppf", "stdp", "srdp", "svdp", "sndp", "swdp"]

    /// Terminal names the protocol refers to (for checking against the device).
    public var terminalNames: [String] {
        switch self {
        case .segments(let s): return s.flatMap { Array($0.terminals.keys) }
        case .pulseTrain(let t), .retention(let t, _, _), .srdp(let t, _), .svdp(let t, _), .sndp(let t, _), .swdp(let t, _):
            return [t.terminal]
        case .ltpLtd(let p, let d, _): return [p.terminal, d.terminal]
        case .ppf(let t, _, _, _, _): return [t]
        case .stdp(let a, let b, _, _, _, _, _): return [a, b]
        }
    }

    static func readTrain(_ o: ConfigObject, defaultTerminal: String?, countKey: String = "pulses", countRequired: Bool = true) -> TrainConfig? {
        let terminal = o.string("terminal", default: defaultTerminal)
        if terminal == nil { _ = o.required("terminal", "the terminal the pulses drive") }
        let pulse = o.required("pulse")?.let { PulseConfig.read($0) }
        let count = countRequired ? (o.required(countKey)?.integer()) : (o.integer(countKey, default: 1))
        if let c = count, c < 1 { o.report(countKey, "must be at least 1") }
        let interval = o.quantity("interval", .time, default: 0) ?? 0
        if interval < 0 { o.report("interval", "must not be negative") }
        let rest = o.optional("rest").flatMap { ControlConfig.read($0) } ?? .open
        guard let terminal, let pulse, let count else { return nil }
        let settle = o.quantity("settle", .time, default: 4 * (pulse.width + max(interval, 0))) ?? 0
        if settle < 0 { o.report("settle", "must not be negative") }
        return TrainConfig(terminal: terminal, pulse: pulse, count: max(count, 1), interval: max(interval, 0), rest: rest, settle: max(settle, 0))
    }

    static func quantityList(_ o: ConfigObject, _ key: String, _ kind: QuantityKind) -> [Double]? {
        guard let items = o.required(key)?.array() else { return nil }
        if items.isEmpty { o.report(key, "needs at least one value") }
        let values = items.compactMap { $0.quantity(kind) }
        return values.count == items.count && !values.isEmpty ? values : nil
    }

    /// Reads a `protocol` object.
    static func read(_ node: ConfigNode) -> ProtocolConfig? {
        guard let o = node.object() else { return nil }
        guard let type = o.required("type", "one of " + types.joined(separator: ", "))?.choice(types) else {
            o.acceptsAnyKey = true
            return nil
        }
        let terminal = o.string("terminal")
        switch type {
        case "segments":
            guard let items = o.required("segments")?.array() else { return nil }
            if items.isEmpty { o.report("segments", "needs at least one segment") }
            var segments: [SegmentConfig] = []
            for item in items {
                guard let s = item.object() else { continue }
                let duration = s.positiveQuantity("duration", .time)
                var controls: [String: ControlConfig] = [:]
                if let t = s.optional("terminals")?.object() {
                    t.acceptsAnyKey = true
                    for key in t.keys {
                        if let c = t.optional(key).flatMap({ ControlConfig.read($0) }) { controls[key] = c }
                    }
                }
                let read = s.bool("read", default: false)!
                let label = s.string("label", default: "segment")!
                if let duration { segments.append(SegmentConfig(duration: duration, terminals: controls, read: read, label: label)) }
            }
            return segments.count == items.count ? .segments(segments) : nil
        case "pulse-train":
            return readTrain(o, defaultTerminal: terminal).map { .pulseTrain($0) }
        case "ltp-ltd":
            let pulses = o.required("pulses")?.integer()
            let cycles = o.integer("cycles", default: 1)!
            let interval = o.quantity("interval", .time, default: 0) ?? 0
            if interval < 0 { o.report("interval", "must not be negative, got \(o.optional("interval")?.shown ?? "")") }
            let rest = o.optional("rest").flatMap { ControlConfig.read($0) } ?? .open
            let term = terminal ?? { _ = o.required("terminal"); return nil }()
            let p = o.required("potentiation")?.let { PulseConfig.read($0) }
            let d = o.required("depression")?.let { PulseConfig.read($0) }
            if let n = pulses, n < 1 { o.report("pulses", "must be at least 1") }
            if cycles < 1 { o.report("cycles", "must be at least 1") }
            guard let pulses, let term, let p, let d, interval >= 0 else { return nil }
            let settle = o.quantity("settle", .time, default: 4 * (p.width + interval)) ?? 0
            if settle < 0 { o.report("settle", "must not be negative") }
            return .ltpLtd(
                potentiation: TrainConfig(terminal: term, pulse: p, count: max(pulses, 1), interval: interval, rest: rest, settle: max(settle, 0)),
                depression: TrainConfig(terminal: term, pulse: d, count: max(pulses, 1), interval: interval, rest: rest, settle: 0),
                cycles: max(cycles, 1))
        case "retention":
            let train = readTrain(o, defaultTerminal: terminal)
            let duration = o.positiveQuantity("duration", .time)
            let reads = o.integer("reads", default: 20)!
            if reads < 2 { o.report("reads", "must be at least 2") }
            guard let train, let duration else { return nil }
            return .retention(program: train, duration: duration, reads: max(reads, 2))
        case "ppf":
            let term = terminal ?? { _ = o.required("terminal"); return nil }()
            let pulse = o.required("pulse")?.let { PulseConfig.read($0) }
            let intervals = quantityList(o, "intervals", .time)
            let rest = o.optional("rest").flatMap { ControlConfig.read($0) } ?? .open
            let settle = o.quantity("settle", .time, default: 0) ?? 0
            if settle < 0 { o.report("settle", "must not be negative") }
            if let i = intervals, i.contains(where: { $0 <= 0 }) { o.report("intervals", "must be positive") }
            guard let term, let pulse, let intervals, settle >= 0, !intervals.contains(where: { $0 <= 0 }) else { return nil }
            return .ppf(terminal: term, pulse: pulse, intervals: intervals, rest: rest, settle: settle)
        case "stdp":
            let pre = o.required("pre")?.string()
            let post = o.required("post")?.string()
            if let pre, pre == post { o.report("post", "must differ from pre (\"\(pre)\"): the pre and post spikes drive two terminals") }
            // A spike: one pulse, or an array of pulses applied one after the other (its shape).
            func spike(_ key: String) -> [PulseConfig]? {
                guard let node = o.required(key) else { return nil }
                if case .array = node.value, let items = node.array() {
                    if items.isEmpty { o.report(key, "needs at least one level") }
                    let levels = items.compactMap { PulseConfig.read($0) }
                    return levels.count == items.count && !levels.isEmpty ? levels : nil
                }
                return PulseConfig.read(node).map { [$0] }
            }
            let preSpike = spike("pre_spike")
            let postSpike = spike("post_spike")
            let delays = o.required("delays")?.array()?.compactMap { $0.quantity(.time) }
            let rest = o.optional("rest").flatMap { ControlConfig.read($0) } ?? .voltage(0)
            let settle = o.quantity("settle", .time, default: 0) ?? 0
            if settle < 0 { o.report("settle", "must not be negative") }
            guard settle >= 0, let pre, let post, let preSpike, let postSpike, let delays, !delays.isEmpty else { return nil }
            return .stdp(pre: pre, post: post, preSpike: preSpike, postSpike: postSpike, delays: delays, rest: rest, settle: settle)
        case "srdp":
            let train = readTrain(o, defaultTerminal: terminal)
            let rates = quantityList(o, "rates", .frequency)
            if let r = rates, r.contains(where: { $0 <= 0 }) { o.report("rates", "must be positive") }
            guard let train, let rates, !rates.contains(where: { $0 <= 0 }) else { return nil }
            return .srdp(train, rates: rates)
        case "svdp":
            let train = readTrain(o, defaultTerminal: terminal)
            guard let items = o.required("amplitudes")?.array() else { return nil }
            let kind: QuantityKind = { if case .current? = train?.pulse.control { return .current }; return .voltage }()
            let amplitudes = items.compactMap { $0.quantity(kind) }
            guard let train, amplitudes.count == items.count, !amplitudes.isEmpty else { return nil }
            return .svdp(train, amplitudes: amplitudes)
        case "sndp":
            let train = readTrain(o, defaultTerminal: terminal, countRequired: false)
            let counts = o.required("counts")?.array()?.compactMap { $0.integer() }
            if let c = counts, c.contains(where: { $0 < 1 }) { o.report("counts", "must be at least 1") }
            guard let train, let counts, !counts.isEmpty, !counts.contains(where: { $0 < 1 }) else { return nil }
            return .sndp(train, counts: counts)
        case "swdp":
            let train = readTrain(o, defaultTerminal: terminal)
            let widths = quantityList(o, "widths", .time)
            if let w = widths, w.contains(where: { $0 <= 0 }) { o.report("widths", "must be positive") }
            guard let train, let widths, !widths.contains(where: { $0 <= 0 }) else { return nil }
            return .swdp(train, widths: widths)
        default:
            return nil
        }
    }
}

extension ConfigNode {
    /// Applies `body` to this node (sugar for optional chaining).
    func `let`<T>(_ body: (ConfigNode) -> T?) -> T? { body(self) }
}
