public import IonicsSolvers

/// The config's output times (`output.times`, from the start of each experiment) and
/// how a run reaches them.
///
/// Today steps land on them: every output time is a breakpoint that is not a
/// discontinuity, so the sampled state is the integrator's own end-of-step state. This
/// is the one place that knows; with dense output, ``breakpoints(from:to:)`` would
/// return nothing and ``reached(_:)`` would interpolate inside the step instead.
public struct OutputSampler: Sendable {
    public let times: [Double]
    private var next = 0

    public init(times: [Double]) {
        precondition(zip(times, times.dropFirst()).allSatisfy { $0 < $1 }, "output times must rise strictly")
        self.times = times
    }

    /// Starts an experiment: returns the output times at its start (t = 0: the initial state).
    public mutating func start() -> [Double] {
        next = 0
        var due: [Double] = []
        while next < times.count && times[next] <= 0 {
            due.append(times[next])
            next += 1
        }
        return due
    }

    /// Breakpoints that make steps land on the output times in (start, end].
    public func breakpoints(from start: Double, to end: Double) -> [Breakpoint] {
        times.filter { $0 > start && $0 <= end }.map { Breakpoint($0, discontinuous: false) }
    }

    /// The output times a step reaches, each with the state there (a landing step's end
    /// state; a re-initialisation at a discontinuity reaches none).
    public mutating func reached(_ record: StepRecord) -> [(time: Double, state: [Double])] {
        guard record.kind == .step else { return [] }
        var due: [(Double, [Double])] = []
        // Landing steps end on the breakpoint up to the rounding of start + (target − start).
        let end = record.end * (1 + 1e-12) + 1e-300
        while next < times.count && times[next] <= end {
            due.append((times[next], record.after))
            next += 1
        }
        return due
    }
}
