import Synchronization

/// The residuals of the last two face records (``PNPDiscretisation/faceRecord(_:time:drives:)``),
/// which assembles f along the way: the conservation monitor asks for the record of every
/// accepted step's end state, and the integrator's next step starts by evaluating f at
/// that same state and time, so ``DrivenPNP/evaluate(_:time:f:jacobian:)`` returns the
/// stored one instead of assembling it again (one residual assembly per step, and one
/// per retried step). Two, because the monitor assembles a step's end record before its
/// stage record.
///
/// Keyed as the monitor's own cache is, by the state, the time and the drives' `segment`
/// and `biasFactor` (``Drives``: equal keys see the same equations); drives of segment 0
/// (made without one, e.g. in tests) are never stored. Only passes that run as one block
/// are stored (every 1D stack): a record is always written on one thread, and a threaded
/// pass may round differently. So a hit returns exactly what the assembly would.
final class ResidualCache: Sendable {
    private struct Entry {
        var segment: Int
        var bias: Double
        var time: Double
        var state: [Double]
        var f: [Double]
    }
    /// The newest last.
    private let entries = Mutex<[Entry]>([])

    init() {}

    func store(state: [Double], time: Double, drives: Drives, f: [Double]) {
        guard drives.segment != 0 else { return }
        entries.withLock {
            if $0.count == 2 { $0.removeFirst() }
            $0.append(Entry(segment: drives.segment, bias: drives.biasFactor, time: time, state: state, f: f))
        }
    }

    /// Copies the stored residual into `f` when a key matches; false otherwise.
    func load(state: [Double], time: Double, drives: Drives, into f: inout [Double]) -> Bool {
        guard drives.segment != 0 else { return false }
        return entries.withLock { entries in
            guard let e = entries.last(where: {
                $0.segment == drives.segment && $0.bias == drives.biasFactor && $0.time == time && $0.f.count == f.count
                    && $0.state == state
            }) else { return false }
            f = e.f
            return true
        }
    }
}
