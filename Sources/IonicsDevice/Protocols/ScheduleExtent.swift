public import IonicsConfig

/// How large a protocol's ``Schedule`` is, computed from the config without expanding
/// it (a million pulses are counted, not built): segments, total duration and the key
/// that sets the number of segments.
public struct ScheduleExtent: Sendable, Equatable {
    public var segments: Double
    /// Sum of every experiment's duration, s.
    public var duration: Double
    public var experiments: Double
    /// Key path of the value that makes the segments many, e.g. `protocol.pulses`.
    public var segmentsKey: String
}

extension ProtocolConfig {
    /// The size of the schedule ``Schedule/make(_:terminals:)`` builds, counted in
    /// floating point so that no count overflows; `path` is the protocol's key path.
    public func extent(path: String = "protocol") -> ScheduleExtent {
        /// count × (pulse [+ rest]) segments and their duration.
        func train(_ t: TrainConfig, count: Double? = nil, width: Double? = nil, interval: Double? = nil) -> (Double, Double) {
            let n = count ?? Double(t.count)
            let rest = interval ?? t.interval
            return (n * (rest > 0 ? 2 : 1), n * ((width ?? t.pulse.width) + rest))
        }
        func settle(_ t: TrainConfig) -> (Double, Double) { t.settle > 0 ? (1, t.settle) : (0, 0) }
        /// The final rest of a sweep point (a read after `t.interval`, when there is one).
        func final(_ t: TrainConfig) -> Double { t.interval > 0 ? 1 : 0 }
        func sweep(_ count: Int, _ key: String, _ body: (Int) -> (Double, Double)) -> ScheduleExtent {
            var e = ScheduleExtent(segments: 0, duration: 0, experiments: Double(count), segmentsKey: path + "." + key)
            for k in 0..<count {
                let (s, d) = body(k)
                e.segments += s
                e.duration += d
            }
            return e
        }
        switch self {
        case .segments(let list):
            return ScheduleExtent(segments: Double(list.count), duration: list.reduce(0) { $0 + $1.duration }, experiments: 1,
                                  segmentsKey: path + ".segments")
        case .pulseTrain(let t):
            let (s0, d0) = settle(t)
            let (s, d) = train(t)
            return ScheduleExtent(segments: s0 + s, duration: d0 + d, experiments: 1, segmentsKey: path + ".pulses")
        case .ltpLtd(let p, let q, let cycles):
            let (s0, d0) = settle(p)
            let (sp, dp) = train(p)
            let (sq, dq) = train(q)
            let c = Double(cycles)
            return ScheduleExtent(segments: s0 + c * (sp + sq), duration: d0 + c * (dp + dq), experiments: 1,
                                  segmentsKey: path + (cycles > p.count ? ".cycles" : ".pulses"))
        case .retention(let program, let duration, let reads):
            let (s0, d0) = settle(program)
            let (s, d) = train(program)
            return ScheduleExtent(segments: s0 + s + Double(reads), duration: d0 + d + duration, experiments: 1,
                                  segmentsKey: path + (reads > program.count ? ".reads" : ".pulses"))
        case .ppf(_, let pulse, let intervals, _, let settleTime):
            return sweep(intervals.count, "intervals") { k in
                (settleTime > 0 ? 4 : 3, 2 * pulse.width + intervals[k] + max(settleTime, 0))
            }
        case .stdp(_, _, let pre, let post, let delays, _, let settleTime):
            let (wPre, wPost) = (pre.reduce(0) { $0 + $1.width }, post.reduce(0) { $0 + $1.width })
            return sweep(delays.count, "delays") { k in
                // The spikes start at max(0, −Δt) and max(0, −Δt) + Δt; the segments are the
                // intervals between their level edges (at most this many).
                let lead = max(0, -delays[k])
                let end = max(lead + wPre, lead + delays[k] + wPost)
                return (Double(pre.count + post.count) + 3, end + max(settleTime, 1e-9))
            }
        case .srdp(let t, let rates):
            return sweep(rates.count, "rates") { k in
                let interval = max(1 / rates[k] - t.pulse.width, 0)
                let (s, d) = train(t, interval: interval)
                return (settle(t).0 + s + final(t), settle(t).1 + d + t.interval)
            }
        case .svdp(let t, let amplitudes):
            return sweep(amplitudes.count, "amplitudes") { _ in
                let (s, d) = train(t)
                return (settle(t).0 + s + final(t), settle(t).1 + d + t.interval)
            }
        case .sndp(let t, let counts):
            var e = sweep(counts.count, "counts") { k in
                let (s, d) = train(t, count: Double(counts[k]))
                return (settle(t).0 + s + final(t), settle(t).1 + d + t.interval)
            }
            if counts.count == 1 { e.segmentsKey = path + ".counts[0]" }
            return e
        case .swdp(let t, let widths):
            return sweep(widths.count, "widths") { k in
                let (s, d) = train(t, width: widths[k])
                return (settle(t).0 + s + final(t), settle(t).1 + d + t.interval)
            }
        }
    }
}
