import Foundation
public import IonicsConfig

/// What a pulse is for, in the per-pulse table.
public enum PulseKind: String, Sendable {
    case potentiation, depression, pulse, pre, post
}

/// One segment of a schedule: from its start, the listed terminals are driven as given
/// for `duration`; a read may follow.
public struct Segment: Sendable {
    public var duration: Double
    /// Terminal index → control from the segment's start; others keep theirs.
    public var controls: [Int: ControlConfig]
    public var read: Bool
    public var label: String
    /// Set on the segment that applies a pulse.
    public var pulse: (index: Int, kind: PulseKind, terminal: Int)?

    public init(duration: Double, controls: [Int: ControlConfig], read: Bool, label: String,
                pulse: (index: Int, kind: PulseKind, terminal: Int)? = nil) {
        self.duration = duration
        self.controls = controls
        self.read = read
        self.label = label
        self.pulse = pulse
    }
}

/// A run of segments from the device's initial state. Sweeps (PPF, STDP, SRDP …) are
/// several experiments, one per value of the swept parameter.
public struct Experiment: Sendable {
    public var name: String
    /// Value of the swept parameter (SI), if any.
    public var parameter: Double?
    public var segments: [Segment]

    public var duration: Double { segments.reduce(0) { $0 + $1.duration } }
}

/// The experiments a protocol expands to.
public struct Schedule: Sendable {
    public var type: String
    /// Name and unit of the swept parameter ("interval", "s") for sweeps.
    public var parameter: (name: String, unit: String)?
    public var experiments: [Experiment]

    public var totalDuration: Double { experiments.reduce(0) { $0 + $1.duration } }

    /// Expands `config` for a device whose terminals are `terminals` (names → index).
    public static func make(_ config: ProtocolConfig, terminals: [String]) -> Schedule {
        func index(_ name: String) -> Int { terminals.firstIndex(of: name) ?? 0 }
        var pulseCounter = 0

        /// count × (pulse, rest) on one terminal; reads after each rest (or after the pulse when there is no rest).
        func train(_ t: TrainConfig, kind: PulseKind, pulseControl: ControlConfig? = nil, width: Double? = nil,
                   interval: Double? = nil, count: Int? = nil) -> [Segment] {
            let j = index(t.terminal)
            var segments: [Segment] = []
            let rest = interval ?? t.interval
            for _ in 0..<(count ?? t.count) {
                segments.append(Segment(duration: width ?? t.pulse.width, controls: [j: pulseControl ?? t.pulse.control],
                                        read: rest == 0, label: kind.rawValue, pulse: (pulseCounter, kind, j)))
                pulseCounter += 1
                if rest > 0 { segments.append(Segment(duration: rest, controls: [j: t.rest], read: true, label: "rest")) }
            }
            return segments
        }

        /// The rest before the first pulse, ending with a read.
        func initialRest(_ t: TrainConfig) -> [Segment] {
            t.settle > 0 ? [Segment(duration: t.settle, controls: [index(t.terminal): t.rest], read: true, label: "settle")] : []
        }

        /// A final rest with a read, so that sweeps compare settled states.
        func settle(_ t: TrainConfig, _ duration: Double) -> [Segment] {
            duration > 0 ? [Segment(duration: duration, controls: [index(t.terminal): t.rest], read: true, label: "settle")] : []
        }

        switch config {
        case .segments(let list):
            let segments = list.map { s in
                // Unknown terminal names (reported by the device builder) all map to 0: keep the first, never trap.
                Segment(duration: s.duration, controls: Dictionary(s.terminals.map { (index($0.key), $0.value) }) { first, _ in first },
                        read: s.read, label: s.label)
            }
            return Schedule(type: config.typeName, experiments: [Experiment(name: "run", segments: segments)])
        case .pulseTrain(let t):
            return Schedule(type: config.typeName, experiments: [Experiment(name: "run", segments: initialRest(t) + train(t, kind: .pulse))])
        case .ltpLtd(let p, let d, let cycles):
            var segments = initialRest(p)
            for _ in 0..<cycles {
                segments += train(p, kind: .potentiation)
                segments += train(d, kind: .depression)
            }
            return Schedule(type: config.typeName, experiments: [Experiment(name: "run", segments: segments)])
        case .retention(let program, let duration, let reads):
            var segments = initialRest(program) + train(program, kind: .potentiation)
            // Reads at log-spaced times from duration/10⁴ to duration after programming.
            let first = duration * 1e-4
            var previous = 0.0
            for k in 0..<reads {
                let t = first * pow(duration / first, Double(k) / Double(reads - 1))
                segments.append(Segment(duration: t - previous, controls: [index(program.terminal): program.rest], read: true, label: "retention"))
                previous = t
            }
            return Schedule(type: config.typeName, experiments: [Experiment(name: "run", segments: segments)])
        case .ppf(let terminal, let pulse, let intervals, let rest, let settleTime):
            let j = index(terminal)
            let experiments = intervals.map { dt -> Experiment in
                pulseCounter = 0
                var s: [Segment] = [
                    Segment(duration: pulse.width, controls: [j: pulse.control], read: true, label: "pulse", pulse: (0, .pulse, j)),
                    Segment(duration: dt, controls: [j: rest], read: false, label: "interval"),
                    Segment(duration: pulse.width, controls: [j: pulse.control], read: true, label: "pulse", pulse: (1, .pulse, j)),
                ]
                if settleTime > 0 { s.append(Segment(duration: settleTime, controls: [j: rest], read: true, label: "settle")) }
                return Experiment(name: String(format: "interval %.4g s", dt), parameter: dt, segments: s)
            }
            return Schedule(type: config.typeName, parameter: ("interval", "s"), experiments: experiments)
        case .stdp(let pre, let post, let preSpike, let postSpike, let delays, let rest, let settleTime):
            let (a, b) = (index(pre), index(post))
            /// The level of a spike starting at `on` at time t, if it is on.
            func level(_ spike: [PulseConfig], on: Double, at t: Double) -> ControlConfig? {
                var start = on
                for p in spike {
                    if t > start && t < start + p.width { return p.control }
                    start += p.width
                }
                return nil
            }
            func edges(_ spike: [PulseConfig], on: Double) -> [Double] {
                var e = [on]
                for p in spike { e.append(e.last! + p.width) }
                return e
            }
            let experiments = delays.map { dt -> Experiment in
                // Level edges of both spikes; segments between consecutive edges.
                let lead = max(0, -dt)
                let preOn = lead, postOn = lead + dt
                let all = Array(Set([0] + edges(preSpike, on: preOn) + edges(postSpike, on: postOn))).sorted()
                var segments: [Segment] = []
                for (t0, t1) in zip(all, all.dropFirst()) where t1 > t0 {
                    let mid = 0.5 * (t0 + t1)
                    let cA = level(preSpike, on: preOn, at: mid) ?? rest
                    let cB = level(postSpike, on: postOn, at: mid) ?? rest
                    // (A config with pre = post is refused; never trap on the duplicate key.)
                    segments.append(Segment(duration: t1 - t0, controls: Dictionary([(a, cA), (b, cB)]) { first, _ in first },
                                            read: false, label: "spikes"))
                }
                segments.append(Segment(duration: max(settleTime, 1e-9), controls: Dictionary([(a, rest), (b, rest)]) { first, _ in first },
                                        read: true, label: "settle"))
                return Experiment(name: String(format: "Δt %.4g s", dt), parameter: dt, segments: segments)
            }
            return Schedule(type: config.typeName, parameter: ("delay", "s"), experiments: experiments)
        case .srdp(let t, let rates):
            let experiments = rates.map { f -> Experiment in
                pulseCounter = 0
                let interval = max(1 / f - t.pulse.width, 0)
                return Experiment(name: String(format: "rate %.4g Hz", f), parameter: f,
                                  segments: initialRest(t) + train(t, kind: .pulse, interval: interval) + settle(t, t.interval))
            }
            return Schedule(type: config.typeName, parameter: ("rate", "Hz"), experiments: experiments)
        case .svdp(let t, let amplitudes):
            let experiments = amplitudes.map { a -> Experiment in
                pulseCounter = 0
                return Experiment(name: String(format: "amplitude %.4g", a), parameter: a,
                                  segments: initialRest(t) + train(t, kind: .pulse, pulseControl: t.pulse.control.with(amplitude: a)) + settle(t, t.interval))
            }
            let unit = { if case .current = t.pulse.control { return "A" }; return "V" }()
            return Schedule(type: config.typeName, parameter: ("amplitude", unit), experiments: experiments)
        case .sndp(let t, let counts):
            let experiments = counts.map { n -> Experiment in
                pulseCounter = 0
                return Experiment(name: "\(n) pulses", parameter: Double(n), segments: initialRest(t) + train(t, kind: .pulse, count: n) + settle(t, t.interval))
            }
            return Schedule(type: config.typeName, parameter: ("pulses", "1"), experiments: experiments)
        case .swdp(let t, let widths):
            let experiments = widths.map { w -> Experiment in
                pulseCounter = 0
                return Experiment(name: String(format: "width %.4g s", w), parameter: w,
                                  segments: initialRest(t) + train(t, kind: .pulse, width: w) + settle(t, t.interval))
            }
            return Schedule(type: config.typeName, parameter: ("width", "s"), experiments: experiments)
        }
    }
}
