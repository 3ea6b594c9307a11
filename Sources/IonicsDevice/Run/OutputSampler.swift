public import IonicsSolvers

/// The config's output times (`output.times`, from the start of each experiment) and
/// how a run reaches them.
///
/// Output times never force steps: the state at an output time is read from the step
/// that covers it through TR-BDF2's dense output (``StepRecord/interpolate(at:)``, the
/// stage quadratic, of the method's order). Landing steps on every output time cost
/// 55–117 % more steps on log-spaced times.
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

    /// Breakpoints needed for the output times in (start, end]: none (dense output).
    public func breakpoints(from start: Double, to end: Double) -> [Breakpoint] { [] }

    /// The output times a step covers, each with the interpolated state there (a
    /// re-initialisation at a discontinuity covers none). Times within rounding of the
    /// step's end take its end state.
    public mutating func reached(_ record: StepRecord) -> [(time: Double, state: [Double])] {
        guard record.kind == .step else { return [] }
        var due: [(Double, [Double])] = []
        let end = record.end * (1 + 1e-12) + 1e-300
        while next < times.count && times[next] <= end {
            let t = times[next]
            due.append((t, t >= record.end ? record.after : record.interpolate(at: t)))
            next += 1
        }
        return due
    }
}
