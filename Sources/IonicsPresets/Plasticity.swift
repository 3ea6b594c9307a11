import Foundation
public import IonicsDevice

/// The one-line result of a plasticity behaviour run (the review's Fig. 2).
public struct PlasticitySummary: Sendable {
    public var behaviour: String
    public var line: String
    /// Named numbers for tests and files.
    public var values: [String: Double]
}

public enum Plasticity {
    /// Conductance before the first pulse, after the last pulse's read, and at the end.
    static func trainResponse(_ o: ExperimentOutcome) -> (g0: Double, peak: Double, afterTrain: Double, final: Double, trainEnd: Double, end: Double) {
        let g0 = o.readings.last { $0.afterPulse == nil }?.conductance ?? o.baseline
        let last = o.pulses.map(\.index).max() ?? 0
        let afterTrain = o.readings.first { $0.afterPulse == last }
        let final = o.readings.last!
        let peak = o.pulseEndConductance.last ?? afterTrain?.conductance ?? g0
        return (g0, peak, afterTrain?.conductance ?? g0, final.conductance, afterTrain?.time ?? 0, final.time)
    }

    /// The smallest relative change of G a retention summary gives a retained fraction for:
    /// below it the change is round-off of the Newton tolerance, and the ratio is noise.
    public static let smallestChange = 1e-6

    public static func summarise(_ behaviour: String, outcomes: [ExperimentOutcome], metrics m: SynapticMetrics) -> PlasticitySummary {
        switch behaviour {
        case "stp", "ltp":
            // STP measures from the end of the pulses (the transient itself); LTP from the first
            // read at rest after the train, so that a field effect present only while the gate
            // is driven does not count as a stored change.
            let r = trainResponse(outcomes[0])
            let reference = behaviour == "stp" ? r.peak : r.afterTrain
            let change = reference - r.g0
            // A change at the level of the solver's tolerances has no retained fraction.
            let measurable = abs(change) > Self.smallestChange * abs(r.g0)
            let retained = measurable ? (r.final - r.g0) / change : .nan
            let kept = measurable ? String(format: "%.1f %% of the change left after %.3g s of rest", 100 * retained, r.end - r.trainEnd)
                : String(format: "no change above %.0e of G0 to keep (%.3g s of rest)", Self.smallestChange, r.end - r.trainEnd)
            let line = String(format: "%@: G0 %.4g S, %+.3g %% at the end of the pulses, %+.3g %% at the first read after them; %@",
                              behaviour.uppercased(), r.g0, 100 * (r.peak - r.g0) / r.g0, 100 * (r.afterTrain - r.g0) / r.g0, kept)
            return PlasticitySummary(behaviour: behaviour, line: line,
                                     values: ["g0": r.g0, "peak": r.peak, "afterTrain": r.afterTrain, "final": r.final, "retained": retained,
                                             "rest": r.end - r.trainEnd])
        case "ppf":
            let pts = m.sweep.map { String(format: "%.3g s → %.0f %%", $0.parameter, 100 * $0.response) }.joined(separator: ", ")
            var values: [String: Double] = [:]
            for (i, p) in m.sweep.enumerated() {
                values["index\(i)"] = p.response
                values["interval\(i)"] = p.parameter
            }
            var line = "PPF index A2/A1: " + pts
            if let f = m.ppfFit {
                line += String(format: "; fit 1 + %.3g e^(−Δt/%.3g s) + %.3g e^(−Δt/%.3g s)", f.c1, f.tau1, f.c2, f.tau2)
                values["tau1"] = f.tau1
                values["tau2"] = f.tau2
                values["c1"] = f.c1
                values["c2"] = f.c2
            }
            return PlasticitySummary(behaviour: behaviour, line: line, values: values)
        case "stdp":
            let pts = m.sweep.map { String(format: "%+.3g s → %+.3g %%", $0.parameter, 100 * $0.response) }.joined(separator: ", ")
            var line = "STDP ΔG/G0: " + pts
            var values: [String: Double] = [:]
            for (i, p) in m.sweep.enumerated() {
                values["delay\(i)"] = p.parameter
                values["response\(i)"] = p.response
            }
            if let f = m.stdpFit {
                line += String(format: "; A+ %.3g τ+ %.3g s, A− %.3g τ− %.3g s", f.aPlus, f.tauPlus, f.aMinus, f.tauMinus)
                for (k, v) in ["aPlus": f.aPlus, "tauPlus": f.tauPlus, "aMinus": f.aMinus, "tauMinus": f.tauMinus] { values[k] = v }
            }
            return PlasticitySummary(behaviour: behaviour, line: line, values: values)
        default:
            var pts = m.sweep.map { String(format: "%.3g → %+.3g %%", $0.parameter, 100 * $0.response) }
            var values: [String: Double] = [:]
            for (i, p) in m.sweep.enumerated() { values["response\(i)"] = p.response }
            if m.sweepGain.count == m.sweep.count {
                for (i, g) in m.sweepGain.enumerated() {
                    values["gain\(i)"] = g
                    pts[i] += String(format: " (A_N/A_1 %.3g)", g)
                }
            }
            if m.sweepNonlinearity.count == m.sweep.count {
                for (i, s) in m.sweepNonlinearity.enumerated() {
                    values["nonlinearity\(i)"] = s
                    pts[i] += String(format: " (|N/A| %.2f)", s)
                }
            }
            return PlasticitySummary(behaviour: behaviour, line: "\(behaviour.uppercased()) ΔG/G0: " + pts.joined(separator: ", "), values: values)
        }
    }
}
