import Foundation

/// Synaptic figures of merit of a run; formulas in `docs/metrics.md`.
public struct SynapticMetrics: Sendable {
    public var gMin = Double.nan
    public var gMax = Double.nan
    public var ratio = Double.nan
    /// Nonlinearity of the potentiation and depression branches (first cycle).
    public var potentiation: NonlinearityFit.Result?
    public var depression: NonlinearityFit.Result?
    /// |G_P(N/2) − G_D(N/2)| / (Gmax − Gmin), the depression branch read backwards.
    public var asymmetricNonlinearity = Double.nan
    /// Distinguishable states along the potentiation branch: 1 + the number of pulses
    /// that change G by more than 0.1 % of the range.
    public var states = 0
    /// Means over pulses: |charge| (C), write energy ∫|VI|dt (J), net work ∫VI dt (J).
    public var chargePerPulse = Double.nan
    public var energyPerPulse = Double.nan
    public var netEnergyPerPulse = Double.nan
    /// Write energy per pulse per channel area, J/m² (Table 1 of the review quotes fJ/µm² = 1e-3 J/m²).
    public var energyPerArea = Double.nan
    /// Mean energy of the electronic (read) path per pulse, J (``PulseRecord/readEnergy``).
    public var readEnergyPerPulse = Double.nan
    /// Gate (write) + read energy per pulse, J, and per channel area, J/m².
    public var totalEnergyPerPulse = Double.nan
    public var totalEnergyPerArea = Double.nan
    /// Σ|Q| of depression pulses / Σ|Q| of potentiation pulses.
    public var coulombicEfficiency = Double.nan
    /// Channel ions moved per pulse × zF / charge through the gate, mean over pulses.
    public var faradaicEfficiency = Double.nan
    /// Relative change of G from the first to the last retention read.
    public var retentionDrift = Double.nan
    /// Sweep responses (parameter, value) and their fits.
    public var sweep: [(parameter: Double, response: Double)] = []
    public var sweepResponseName = ""
    /// SNDP: the nonlinearity |N/A| of each train's G(P) (0 = linear), one per sweep point.
    public var sweepNonlinearity: [Double] = []
    /// SRDP: the gain A_N/A_1 of each train, A_k = G at the end of pulse k minus the read
    /// before it (the pulse's own increment): < 1 and falling with rate is a low-pass filter.
    public var sweepGain: [Double] = []
    /// PPF two-exponential fit 1 + C1 e^(−Δt/τ1) + C2 e^(−Δt/τ2) (indices as fractions).
    public var ppfFit: (c1: Double, tau1: Double, c2: Double, tau2: Double)?
    /// STDP exponential fits ΔG = A± e^(∓Δt/τ±).
    public var stdpFit: (aPlus: Double, tauPlus: Double, aMinus: Double, tauMinus: Double)?

    public init() {}

    /// Conductance before the first pulse of an experiment (after any settling rest).
    static func baseline(_ o: ExperimentOutcome) -> Double {
        o.readings.last { $0.afterPulse == nil }?.conductance ?? o.baseline
    }

    /// Metrics of a run with the given protocol type.
    public static func compute(type: String, outcomes: [ExperimentOutcome], area: Double, ionCharge: Double) -> SynapticMetrics {
        var m = SynapticMetrics()
        guard let first = outcomes.first else { return m }
        let gs = outcomes.flatMap { $0.readings.map(\.conductance) }.filter { $0.isFinite }
        if let lo = gs.min(), let hi = gs.max() {
            m.gMin = lo
            m.gMax = hi
            m.ratio = hi / lo
        }
        let pulses = outcomes.flatMap(\.pulses)
        if !pulses.isEmpty {
            m.chargePerPulse = pulses.map { abs($0.charge) }.reduce(0, +) / Double(pulses.count)
            m.energyPerPulse = pulses.map(\.writeEnergy).reduce(0, +) / Double(pulses.count)
            m.netEnergyPerPulse = pulses.map(\.energy).reduce(0, +) / Double(pulses.count)
            m.energyPerArea = m.energyPerPulse / area
            m.readEnergyPerPulse = pulses.map(\.readEnergy).reduce(0, +) / Double(pulses.count)
            m.totalEnergyPerPulse = m.energyPerPulse + m.readEnergyPerPulse
            m.totalEnergyPerArea = m.totalEnergyPerPulse / area
            let qp = pulses.filter { $0.kind == .potentiation }.map { abs($0.charge) }.reduce(0, +)
            let qd = pulses.filter { $0.kind == .depression }.map { abs($0.charge) }.reduce(0, +)
            if qp > 0 && qd > 0 { m.coulombicEfficiency = qd / qp }
            let eff = pulses.filter { abs($0.charge) > 0 }.map { ionCharge * 96485.33212 * $0.channelIons / $0.charge }
            if !eff.isEmpty { m.faradaicEfficiency = eff.reduce(0, +) / Double(eff.count) }
        }
        switch type {
        case "ltp-ltd", "pulse-train", "sndp":
            // Branches of the first experiment: G before the first pulse, then after each pulse of the kind.
            let p = first.pulses
            func branch(_ kind: PulseKind) -> [Double] {
                let ps = p.filter { $0.kind == kind }
                guard let start = ps.first else { return [] }
                // The first contiguous run of this kind.
                var run = [start]
                for q in ps.dropFirst() where q.index == run.last!.index + 1 { run.append(q) }
                return [start.conductanceBefore] + run.map(\.conductanceAfter)
            }
            // (An ionic readout has no value before the first pulse: those entries are NaN.)
            let up = (type == "ltp-ltd" ? branch(.potentiation) : branch(.pulse)).filter(\.isFinite)
            let down = (type == "ltp-ltd" ? branch(.depression) : []).filter(\.isFinite)
            m.potentiation = NonlinearityFit.fit(up)
            m.depression = NonlinearityFit.fit(down)
            if up.count > 2, up.count == down.count {
                let n = up.count - 1
                let mid = n / 2
                let range = m.gMax - m.gMin
                if range > 0 { m.asymmetricNonlinearity = abs(up[mid] - down[n - mid]) / range }
            }
            if up.count > 1 {
                let range = abs(up.last! - up.first!)
                m.states = 1 + zip(up, up.dropFirst()).filter { abs($1 - $0) > 1e-3 * range }.count
            }
        case "retention":
            let reads = first.readings.filter { $0.label == "retention" }
            if let a = reads.first?.conductance, let b = reads.last?.conductance, a != 0 {
                m.retentionDrift = (b - a) / a
            }
        default:
            break
        }
        // Sweeps.
        switch type {
        case "ppf":
            m.sweepResponseName = "PPF index A2/A1"
            m.sweep = outcomes.compactMap { o in
                guard o.pulseEndConductance.count >= 2, let dt = o.parameter else { return nil }
                let g0 = baseline(o)
                let a1 = o.pulseEndConductance[0] - g0
                let a2 = o.pulseEndConductance[1] - g0
                return a1 != 0 ? (dt, a2 / a1) : nil
            }
            m.ppfFit = TwoExponentialFit.fit(m.sweep.map { ($0.parameter, $0.response - 1) })
        case "stdp":
            m.sweepResponseName = "ΔG/G0"
            // Spike pairs carry no pulse marks: the baseline is the state before the spikes.
            m.sweep = outcomes.compactMap { o in
                let g0 = o.baseline
                guard let dt = o.parameter, let g = o.readings.last?.conductance, g0 != 0 else { return nil }
                return (dt, (g - g0) / g0)
            }
            m.stdpFit = StdpFit.fit(m.sweep)
        case "srdp", "svdp", "sndp", "swdp":
            m.sweepResponseName = "ΔG/G0"
            m.sweep = outcomes.compactMap { o in
                let g0 = baseline(o)
                guard let x = o.parameter, let g = o.readings.last?.conductance, g0 != 0 else { return nil }
                return (x, (g - g0) / g0)
            }
            if type == "srdp" {
                m.sweepGain = outcomes.filter { $0.parameter != nil }.map { o in
                    let n = min(o.pulses.count, o.pulseEndConductance.count)
                    guard n >= 2 else { return .nan }
                    let first = o.pulseEndConductance[0] - o.pulses[0].conductanceBefore
                    let last = o.pulseEndConductance[n - 1] - o.pulses[n - 1].conductanceBefore
                    return first != 0 ? last / first : .nan
                }
            }
            if type == "sndp" {
                // The trade-off of the review's Fig. 2e: more pulses, more range, less linearity.
                m.sweepNonlinearity = outcomes.filter { $0.parameter != nil }.map { o in
                    let g = [o.pulses.first?.conductanceBefore ?? baseline(o)] + o.pulses.map(\.conductanceAfter)
                    return NonlinearityFit.fit(g).map { abs($0.curvature) } ?? 0
                }
            }
        default:
            break
        }
        return m
    }
}

/// y(x) = C1 e^(−x/τ1) + C2 e^(−x/τ2), C1, C2 ≥ 0, τ1 < τ2, by variable projection: for
/// each (τ1, τ2) on a log grid the C's are non-negative linear least squares; the best
/// pair is refined by a finer grid. (Opposite-signed terms with nearly equal τ can fit
/// noise-free data equally well and mean nothing; PPF is two facilitation phases.)
public enum TwoExponentialFit {
    public static func fit(_ points: [(Double, Double)]) -> (c1: Double, tau1: Double, c2: Double, tau2: Double)? {
        guard points.count >= 4, let xmin = points.map(\.0).min(), let xmax = points.map(\.0).max(), xmax > xmin, xmin >= 0 else { return nil }
        func solve(_ t1: Double, _ t2: Double) -> (Double, Double, Double) {
            var a11 = 0.0, a12 = 0.0, a22 = 0.0, b1 = 0.0, b2 = 0.0
            for (x, y) in points {
                let e1 = exp(-x / t1), e2 = exp(-x / t2)
                a11 += e1 * e1; a12 += e1 * e2; a22 += e2 * e2; b1 += e1 * y; b2 += e2 * y
            }
            func residual(_ c1: Double, _ c2: Double) -> Double {
                var r = 0.0
                for (x, y) in points { let d = c1 * exp(-x / t1) + c2 * exp(-x / t2) - y; r += d * d }
                return r
            }
            // Non-negative amplitudes (two facilitation phases): the unconstrained solution
            // if both are ≥ 0, else the better one-term fit with the other amplitude at 0.
            let det = a11 * a22 - a12 * a12
            if abs(det) > 1e-300 {
                let c1 = (b1 * a22 - b2 * a12) / det
                let c2 = (a11 * b2 - a12 * b1) / det
                if c1 >= 0 && c2 >= 0 { return (c1, c2, residual(c1, c2)) }
            }
            let only1 = max(b1 / a11, 0), only2 = max(b2 / a22, 0)
            let r1 = residual(only1, 0), r2 = residual(0, only2)
            return r1 <= r2 ? (only1, 0, r1) : (0, only2, r2)
        }
        let lo = log(max(xmin, xmax * 1e-4) / 10), hi = log(xmax * 10)
        var best = (t1: 0.0, t2: 0.0, r: Double.infinity)
        var span = (lo, hi, lo, hi)
        for _ in 0..<4 {
            let n = 40
            for i in 0...n {
                let t1 = exp(span.0 + (span.1 - span.0) * Double(i) / Double(n))
                for j in 0...n {
                    let t2 = exp(span.2 + (span.3 - span.2) * Double(j) / Double(n))
                    guard t2 > t1 * 1.05 else { continue }
                    let (_, _, r) = solve(t1, t2)
                    if r < best.r { best = (t1, t2, r) }
                }
            }
            let w1 = (span.1 - span.0) / 8, w2 = (span.3 - span.2) / 8
            span = (log(best.t1) - w1, log(best.t1) + w1, log(best.t2) - w2, log(best.t2) + w2)
        }
        guard best.r.isFinite else { return nil }
        let (c1, c2, _) = solve(best.t1, best.t2)
        return (c1, best.t1, c2, best.t2)
    }
}

/// STDP window: log-linear fits of |ΔG| against Δt on each side.
public enum StdpFit {
    public static func fit(_ points: [(parameter: Double, response: Double)]) -> (aPlus: Double, tauPlus: Double, aMinus: Double, tauMinus: Double)? {
        func side(_ pts: [(Double, Double)]) -> (Double, Double)? {
            let p = pts.filter { $0.1 != 0 }
            guard p.count >= 2 else { return nil }
            let n = Double(p.count)
            let mx = p.reduce(0) { $0 + $1.0 } / n
            let my = p.reduce(0) { $0 + log(abs($1.1)) } / n
            let sxy = p.reduce(0) { $0 + ($1.0 - mx) * (log(abs($1.1)) - my) }
            let sxx = p.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }
            guard sxx > 0, sxy != 0 else { return nil }
            let slope = sxy / sxx
            return (exp(my - slope * mx), -1 / slope)
        }
        guard let plus = side(points.filter { $0.parameter > 0 }.map { ($0.parameter, $0.response) }),
              let minus = side(points.filter { $0.parameter < 0 }.map { (-$0.parameter, $0.response) }) else { return nil }
        let signMinus = points.first { $0.parameter < 0 }.map { $0.response < 0 ? -1.0 : 1.0 } ?? -1
        return (plus.0, plus.1, signMinus * minus.0, minus.1)
    }
}

extension SynapticMetrics {
    /// The real-valued figures as the run file's `metrics` attributes name them, shared by
    /// the writer and every reader (the nonlinearity fits and the integer `states` are
    /// written beside them). `gate_energy_per_pulse` is `energy_per_pulse` under the name
    /// the energy definitions use.
    public static let scalarAttributes: [(name: String, field: any WritableKeyPath<SynapticMetrics, Double> & Sendable)] = [
        ("gmin", \.gMin), ("gmax", \.gMax), ("ratio", \.ratio),
        ("asymmetric_nonlinearity", \.asymmetricNonlinearity),
        ("charge_per_pulse", \.chargePerPulse), ("energy_per_pulse", \.energyPerPulse),
        ("net_energy_per_pulse", \.netEnergyPerPulse), ("energy_per_area", \.energyPerArea),
        ("gate_energy_per_pulse", \.energyPerPulse), ("read_energy_per_pulse", \.readEnergyPerPulse),
        ("total_energy_per_pulse", \.totalEnergyPerPulse), ("total_energy_per_area", \.totalEnergyPerArea),
        ("coulombic_efficiency", \.coulombicEfficiency), ("faradaic_efficiency", \.faradaicEfficiency),
        ("retention_drift", \.retentionDrift),
    ]
}
