import Foundation
public import IonicsLinearAlgebra

/// A time at which the integrator must land exactly.
public struct Breakpoint: Sendable, Equatable, Comparable {
    public var time: Double
    /// Boundary data jump here: the algebraic unknowns are re-initialised and the step
    /// size restarts small.
    public var discontinuous: Bool

    public init(_ time: Double, discontinuous: Bool) {
        self.time = time
        self.discontinuous = discontinuous
    }
    public static func < (a: Breakpoint, b: Breakpoint) -> Bool { a.time < b.time }
}

/// Settings of the TR-BDF2 integrator.
public struct TimeIntegratorOptions: Sendable {
    /// Local error tolerance of the fields relative to |u|.
    public var relativeTolerance: Double = 1e-4
    /// The quantities users read — terminal charges and the system's
    /// ``MonitoredQuantity`` values, such as an electrode's diffuse charge — are held
    /// tighter than the fields by this ratio (see ``ErrorWeights/readoutRatio``), because
    /// a slowly charging electrode adds its local errors up over the steps: on the
    /// blocking-cell charging benchmark the global error of q(t) is 2–5× its local
    /// tolerance, and 0.03 brings it to ≤ 3e-5 of max |q| at the default tolerances
    /// (docs/numerics.md).
    public var readoutToleranceRatio = 0.03
    /// Absolute error tolerances per kind, in the system's scaled units.
    public var absolutePotential: Double = 1e-4
    public var absoluteDensity: Double = 1e-8
    public var absoluteFree: Double = 1e-6
    /// First step and step after each discontinuity, s (nil: 1e-6 of the interval to the next breakpoint).
    public var initialStep: Double?
    public var minimumStep: Double = 1e-18
    public var maximumStep: Double = .infinity
    /// Steps of fixed size without error control (for convergence studies).
    public var fixedStep: Double?
    /// Newton converges when updates are below this fraction of the error weights.
    public var newtonFraction: Double = 1e-3
    public var newtonMaxIterations: Int = 12
    /// Largest potential change per Newton iteration, thermal voltages.
    public var maxPotentialStep: Double = 5
    /// Use the root-mean-square instead of the max norm for the local error.
    public var rmsNorm: Bool = false
    /// Linear solver of the Newton iterations (``LinearSolverKind/automatic``: band LU
    /// for narrow bands, KLU otherwise).
    public var linearSolver: LinearSolverKind = .automatic
    /// Keep the factorised iteration matrix M − βh·J across Newton iterations, across the
    /// two stages (with γ = 2 − √2 both stages have βh = γh/2) and across steps of
    /// similar size, while Newton contracts; see ``NewtonOptions/reuseJacobian``.
    /// Off by default: a reused matrix converges linearly, so the stage equations end
    /// about one Newton tolerance from exact instead of far below it, and the total
    /// current of very short steps then agrees across faces only to ~1e-3 (measured on
    /// the default device; 1e-5 with a fresh matrix per iteration).
    public var reuseJacobian = false
    /// Full Newton with a chord verifying iteration (``NewtonOptions/chordVerification``):
    /// a stage's second iteration reuses the first's factors — about half the
    /// factorisations at full Newton's accuracy (measured in docs/numerics.md, "Newton").
    public var chordVerification = true

    public init() {}

    var weights: ErrorWeights {
        ErrorWeights(relative: relativeTolerance, readoutRatio: readoutToleranceRatio,
                     absolutePotential: absolutePotential, absoluteDensity: absoluteDensity,
                     absoluteFree: absoluteFree)
    }
}

/// One accepted step (or a re-initialisation at a discontinuity), for diagnostics and
/// output. Over the step, M·(after − before) = Σ_q weight_q · f(state_q, time_q)
/// holds on the differential rows to the Newton tolerance (exactly for linear
/// invariants), which is what conservation checks integrate boundary fluxes with.
public struct StepRecord: @unchecked Sendable {
    public enum Kind: Sendable { case step, reinitialisation }
    public var kind: Kind
    public var start: Double
    public var end: Double
    public var before: [Double]
    public var after: [Double]
    /// Quadrature of ∫f dt over the step: weights in seconds.
    public var quadrature: [(weight: Double, state: [Double], time: Double)]
    public var newtonIterations: Int
    /// Steps rejected (error too large or Newton failure) before this one was accepted.
    public var rejected: Int
    /// Weighted local error estimate (≤ 1 when accepted under error control).
    public var errorEstimate: Double
}

/// Counters over a whole integration.
public struct IntegrationStatistics: Sendable {
    public var steps = 0
    public var rejectedError = 0
    public var rejectedNewton = 0
    public var newtonIterations = 0
    /// Iteration matrices assembled and factorised.
    public var factorisations = 0
    public var reinitialisations = 0
    public init() {}
}

/// Why time integration stopped early. Everything before `time` has been delivered
/// to the observer.
public struct TimeIntegrationError: Error, Sendable, CustomStringConvertible {
    public var time: Double
    public var step: Double
    public var message: String
    public var newton: NewtonError?

    public var description: String {
        var s = "time integration failed at t = \(time) s with step \(step) s: \(message)"
        if let newton { s += "\n  last Newton failure: \(newton)" }
        return s
    }
}

/// The TR-BDF2 method for M·du/dt = f(u, t): a trapezoidal stage to t + γh followed by
/// a BDF2 stage to t + h, γ = 2 − √2; one-step, second order, L-stable.
///
/// Bank, Coughran, Fichtner, Grosse, Rose & Smith, IEEE Trans. Electron Devices 32,
/// 1992 (1985); error estimate and step control after Hosea & Shampine, Appl. Numer.
/// Math. 20, 21 (1996), with the estimate filtered through (M − d·h·J)⁻¹M (both
/// papers) so that it stays bounded on stiff components.
///
/// Algebraic rows (M_ii = 0, e.g. Poisson) are enforced at every stage. At a
/// discontinuous breakpoint the algebraic unknowns are re-initialised with the
/// differential ones frozen — the h → 0 limit of a backward-Euler step, i.e. a
/// first-order restart — and the step size restarts from `initialStep`.
public final class TRBDF2Integrator<System: DifferentialAlgebraicSystem> {
    /// The system advanced; replace it between segments when the drives change (the
    /// step size and the Jacobian workspace carry over).
    public var system: System { didSet { slope = nil } }
    public var options: TimeIntegratorOptions
    public private(set) var time: Double
    public private(set) var state: [Double]
    public private(set) var statistics = IntegrationStatistics()
    /// Step size to try next.
    public private(set) var nextStep: Double?

    let gamma = 2 - 2.0.squareRoot()
    private var jacobian: JacobianWorkspace?
    private var fBuffer: [Double]
    /// du/dt at the current time from the last accepted step's stage quadratic, for the
    /// first stage's Newton predictor; nil after a re-initialisation or a new system.
    private var slope: [Double]?

    public init(system: System, state: [Double], time: Double, options: TimeIntegratorOptions = TimeIntegratorOptions()) {
        precondition(state.count == system.size)
        self.system = system
        self.options = options
        self.state = state
        self.time = time
        fBuffer = [Double](repeating: 0, count: system.size)
    }

    var newtonOptions: NewtonOptions {
        var o = NewtonOptions()
        o.maxIterations = options.newtonMaxIterations
        o.tolerance = options.newtonFraction
        o.weights = options.weights
        o.maxPotentialStep = options.maxPotentialStep
        o.divergenceLimit = 3
        o.linearSolver = options.linearSolver
        o.reuseJacobian = options.reuseJacobian
        o.chordVerification = options.chordVerification
        return o
    }

    func f(_ u: [Double], _ t: Double) throws -> [Double] {
        var none: SparseMatrix? = nil
        try system.evaluate(u, time: t, f: &fBuffer, jacobian: &none)
        return fBuffer
    }

    /// Solves the algebraic rows at the current time with the differential unknowns
    /// frozen, and reports the jump to `observer`.
    public func reinitialise(observer: (StepRecord) throws -> Void) throws {
        let stage = StageSystem(dae: system, time: time, betaH: 0, rhs: zip(system.mass, state).map { $0 * $1 })
        // A control jump of volts moves potentials by hundreds of V_T, at most `maxPotentialStep` per
        // iteration: allow enough iterations for that walk.
        let newton = NewtonSolver(options: {
            var o = newtonOptions
            o.maxIterations = 1000
            o.divergenceLimit = 8
            o.reuseJacobian = false
            o.chordVerification = false
            return o
        }())
        do {
            let (u, report) = try newton.solve(stage, from: state, workspace: &jacobian)
            let record = StepRecord(
                kind: .reinitialisation, start: time, end: time, before: state, after: u, quadrature: [],
                newtonIterations: report.iterations, rejected: 0, errorEstimate: 0)
            state = u
            slope = nil
            statistics.reinitialisations += 1
            statistics.newtonIterations += report.iterations
            statistics.factorisations += report.factorisations
            try observer(record)
        } catch let e as NewtonError {
            throw TimeIntegrationError(time: time, step: 0, message: "re-initialisation of the algebraic unknowns failed", newton: e)
        }
    }

    /// Advances to `end`, landing on every breakpoint in (time, end]; the observer sees
    /// every accepted step. A breakpoint at exactly the current time that is
    /// discontinuous triggers a re-initialisation first.
    public func advance(
        to end: Double, breakpoints: [Breakpoint] = [], observer: (StepRecord) throws -> Void
    ) throws {
        var marks = breakpoints.filter { $0.time > time && $0.time < end }.sorted()
        marks.append(Breakpoint(end, discontinuous: false))
        if breakpoints.contains(where: { $0.time == time && $0.discontinuous }) {
            try reinitialise(observer: observer)
            nextStep = nil
        }
        for mark in marks {
            try integrate(to: mark.time, observer: observer)
            if mark.discontinuous {
                try reinitialise(observer: observer)
                nextStep = nil
            }
        }
    }

    private func integrate(to target: Double, observer: (StepRecord) throws -> Void) throws {
        let span = target - time
        guard span > 0 else { return }
        var h = options.fixedStep ?? nextStep ?? options.initialStep ?? max(span * 1e-6, options.minimumStep)
        h = min(h, options.maximumStep)
        var rejected = 0
        var newtonFailedSinceAccept = false
        while time < target {
            let remaining = target - time
            var step = h
            if step >= remaining * (1 - 1e-12) || remaining - step < 1e-9 * remaining {
                step = remaining
            } else if options.fixedStep == nil && step > 0.5 * remaining {
                step = 0.5 * remaining
            }
            let landing = step == remaining
            do {
                let (u1, record, err) = try attempt(step: step)
                if options.fixedStep == nil && err > 1 {
                    statistics.rejectedError += 1
                    rejected += 1
                    h = step * max(0.1, 0.9 * pow(err, -1.0 / 3))
                    if h < options.minimumStep {
                        throw TimeIntegrationError(time: time, step: h, message: "local error cannot be met above the minimum step", newton: nil)
                    }
                    continue
                }
                var accepted = record
                accepted.rejected = rejected
                rejected = 0
                time = landing ? target : time + step
                state = u1
                slope = Self.endSlope(record)
                statistics.steps += 1
                try observer(accepted)
                if let fixed = options.fixedStep {
                    h = fixed
                } else {
                    var factor = err > 0 ? min(4, max(0.2, 0.9 * pow(err, -1.0 / 3))) : 4
                    // After a Newton failure do not grow straight back to the step that failed
                    // (cf. the η_max = 1 rule of SUNDIALS after a convergence failure).
                    if newtonFailedSinceAccept { factor = min(factor, 1) }
                    newtonFailedSinceAccept = false
                    // Landing on a breakpoint shortened the step: do not let that shrink the next one.
                    h = min(options.maximumStep, max(step, landing ? h : step) * factor)
                }
                nextStep = h
            } catch let e as NewtonError {
                statistics.rejectedNewton += 1
                newtonFailedSinceAccept = true
                rejected += 1
                h = step * 0.25
                if h < options.minimumStep || options.fixedStep != nil {
                    throw TimeIntegrationError(time: time, step: step, message: "Newton failed and the step cannot shrink further", newton: e)
                }
            }
        }
    }

    /// Newton's starting point for the first stage, a time `dt` ahead: the current state
    /// continued along the last step's end slope (densities and fillings kept inside
    /// their bounds by falling back to the current value), or the current state.
    private func predictor(at dt: Double) -> [Double] {
        guard let slope else { return state }
        var u = state
        let kinds = system.unknownKinds
        for i in u.indices {
            let v = state[i] + dt * slope[i]
            switch kinds[i] {
            case .density: if v > 0 { u[i] = v }
            case .bounded(let top): if v > 0 && v < top { u[i] = v }
            default: u[i] = v
            }
        }
        return u
    }

    /// Derivative at the step's end of the quadratic through its three stage values.
    static func endSlope(_ record: StepRecord) -> [Double]? {
        guard record.quadrature.count == 3 else { return nil }
        let (t0, tg, t1) = (record.quadrature[0].time, record.quadrature[1].time, record.quadrature[2].time)
        guard t1 > tg, tg > t0 else { return nil }
        let (u0, ug, u1) = (record.quadrature[0].state, record.quadrature[1].state, record.quadrature[2].state)
        let d0 = (t1 - tg) / ((t0 - tg) * (t0 - t1))
        let dg = (t1 - t0) / ((tg - t0) * (tg - t1))
        let d1 = ((t1 - t0) + (t1 - tg)) / ((t1 - t0) * (t1 - tg))
        return (0..<u1.count).map { d0 * u0[$0] + dg * ug[$0] + d1 * u1[$0] }
    }

    /// One TR-BDF2 step of size h from (time, state): the new state, its record and the
    /// weighted error estimate.
    private func attempt(step h: Double) throws -> ([Double], StepRecord, Double) {
        // One copy of the system for the whole attempt: each read of the stored property
        // copies the value (and retains its arrays).
        let system = self.system
        let kinds = system.unknownKinds
        let g = gamma
        let m = system.mass
        let n = system.size
        let un = state
        let fn = try f(un, time)
        let newton = NewtonSolver(options: newtonOptions)

        // Trapezoidal stage to t + γh.
        var r1 = [Double](repeating: 0, count: n)
        for i in 0..<n where m[i] != 0 { r1[i] = m[i] * un[i] + 0.5 * g * h * fn[i] }
        let s1 = StageSystem(dae: system, time: time + g * h, betaH: 0.5 * g * h, rhs: r1)
        let (ug, rep1) = try newton.solve(s1, from: predictor(at: g * h), workspace: &jacobian)

        // BDF2 stage to t + h.
        let a = 1 / (g * (2 - g))
        let b = (1 - g) * (1 - g) / (g * (2 - g))
        let d = (1 - g) / (2 - g)
        var r2 = [Double](repeating: 0, count: n)
        var guess = [Double](repeating: 0, count: n)
        for i in 0..<n {
            if m[i] != 0 { r2[i] = m[i] * (a * ug[i] - b * un[i]) }
            guess[i] = un[i] + (ug[i] - un[i]) / g
            switch kinds[i] {
            case .density: if guess[i] <= 0 { guess[i] = ug[i] }
            case .bounded(let top): if guess[i] <= 0 || guess[i] >= top { guess[i] = ug[i] }
            default: break
            }
        }
        let s2 = StageSystem(dae: system, time: time + h, betaH: d * h, rhs: r2)
        let (u1, rep2) = try newton.solve(s2, from: guess, workspace: &jacobian)
        statistics.newtonIterations += rep1.iterations + rep2.iterations
        statistics.factorisations += rep1.factorisations + rep2.factorisations

        // Local error: est = 2kh (f_n/γ − f_γ/(γ(1−γ)) + f_1/(1−γ)), with f_γ and f_1
        // recovered from the converged stage equations, filtered through (M − dhJ)⁻¹M.
        var err = 0.0
        if options.fixedStep == nil, let lu = jacobian {
            let k = (-3 * g * g + 4 * g - 2) / (12 * (2 - g))
            var rhs = [Double](repeating: 0, count: n)
            for i in 0..<n where m[i] != 0 {
                let fg = (m[i] * ug[i] - r1[i]) / (0.5 * g * h)
                let f1 = (m[i] * u1[i] - r2[i]) / (d * h)
                rhs[i] = 2 * k * h * (fn[i] / g - fg / (g * (1 - g)) + f1 / (1 - g))
            }
            var e = rhs
            lu.solve(&e)
            let weights = options.weights
            let monitored = system.monitoredQuantities
            var sum = 0.0
            for i in 0..<n {
                let w = weights.weight(kinds[i], size: max(abs(un[i]), abs(u1[i])))
                let r = abs(e[i]) / w
                if options.rmsNorm { sum += r * r } else { err = max(err, r) }
            }
            if options.rmsNorm { err = (sum / Double(n)).squareRoot() }
            // Quantities users read, relative to their own size (max norm in either case).
            if !monitored.isEmpty {
                let before = system.monitoredValues(un, time: time)
                let after = system.monitoredValues(u1, time: time + h)
                for (k, q) in monitored.enumerated() {
                    err = max(err, abs(q.apply(e)) / q.weight(max(abs(before[k]), abs(after[k])), weights))
                }
            }
            if !err.isFinite { err = 1e10 }
        }
        let w0 = h / (2 * (2 - g))
        let record = StepRecord(
            kind: .step, start: time, end: time + h, before: un, after: u1,
            quadrature: [(w0, un, time), (w0, ug, time + g * h), (h * d, u1, time + h)],
            newtonIterations: rep1.iterations + rep2.iterations, rejected: 0, errorEstimate: err)
        return (u1, record, err)
    }
}
