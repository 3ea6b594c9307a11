import Foundation
import IonicsDevice
import Testing

@Suite("Synaptic metrics")
struct MetricsTests {
    /// G(P) = B(1 − e^(−P/A)) + Gmin with B from the end points.
    static func curve(a: Double, n: Int, gmin: Double, gmax: Double) -> [Double] {
        let b = (gmax - gmin) / (1 - exp(-Double(n) / a))
        return (0...n).map { gmin + b * (1 - exp(-Double($0) / a)) }
    }

    @Test("the nonlinearity fit recovers A from synthetic curves within 1 %", arguments: [3.0, 10, 25, -15, -40, 200])
    func recoversA(_ a: Double) throws {
        let up = Self.curve(a: a, n: 50, gmin: 5e-6, gmax: 42e-6)
        let fit = try #require(NonlinearityFit.fit(up))
        #expect(abs(fit.a - a) / abs(a) < 0.01, "A = \(fit.a) for \(a)")
        #expect(abs(fit.normalisedA - a / 50) / abs(a / 50) < 0.01)
        // A depression branch of the same shape, falling.
        let down = up.map { 47e-6 - $0 }
        let d = try #require(NonlinearityFit.fit(down))
        #expect(abs(d.a - a) / abs(a) < 0.01)
    }

    @Test("a linear branch has |A| far beyond the number of pulses")
    func linear() throws {
        let g = (0...40).map { 1e-6 + 1e-7 * Double($0) }
        let fit = try #require(NonlinearityFit.fit(g))
        #expect(abs(fit.normalisedA) > 50)
        #expect(fit.rms < 1e-9)
    }

    @Test("the two-exponential PPF fit recovers its parameters")
    func ppf() throws {
        let (c1, t1, c2, t2) = (0.8, 0.02, 0.3, 0.5)
        let pts = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2].map { x in (x, c1 * exp(-x / t1) + c2 * exp(-x / t2)) }
        let f = try #require(TwoExponentialFit.fit(pts))
        #expect(abs(f.tau1 - t1) / t1 < 0.02 && abs(f.tau2 - t2) / t2 < 0.02, "\(f)")
        #expect(abs(f.c1 - c1) / c1 < 0.02 && abs(f.c2 - c2) / c2 < 0.02, "\(f)")
    }

    @Test("the STDP window fit recovers amplitudes and time constants")
    func stdp() throws {
        let pts = [-0.08, -0.04, -0.02, -0.01, 0.01, 0.02, 0.04, 0.08].map { dt -> (parameter: Double, response: Double) in
            (dt, dt > 0 ? 0.3 * exp(-dt / 0.02) : -0.2 * exp(dt / 0.03))
        }
        let f = try #require(StdpFit.fit(pts))
        #expect(abs(f.aPlus - 0.3) < 1e-9 && abs(f.tauPlus - 0.02) < 1e-9)
        #expect(abs(f.aMinus + 0.2) < 1e-9 && abs(f.tauMinus - 0.03) < 1e-9)
    }

    @Test("metrics of an LTP/LTD table: range, states, ANL, energy and efficiencies")
    func table() throws {
        let n = 20
        let up = Self.curve(a: 8, n: n, gmin: 1e-6, gmax: 3e-6)
        let down = Array(up.reversed())
        var pulses: [PulseRecord] = []
        for k in 0..<n {
            pulses.append(PulseRecord(experiment: 0, index: k, kind: .potentiation, terminal: 0, start: 0, end: 0, charge: 1e-9,
                                      energy: 2e-12, writeEnergy: 2e-12, peakVoltage: 0, peakCurrent: 0, channelIons: 1e-9 / 96485.33212,
                                      conductanceBefore: up[k], conductanceAfter: up[k + 1]))
        }
        for k in 0..<n {
            pulses.append(PulseRecord(experiment: 0, index: n + k, kind: .depression, terminal: 0, start: 0, end: 0, charge: -0.9e-9,
                                      energy: -1e-12, writeEnergy: 1e-12, peakVoltage: 0, peakCurrent: 0, channelIons: -0.9e-9 / 96485.33212,
                                      conductanceBefore: down[k], conductanceAfter: down[k + 1]))
        }
        let reads = (up + down.dropFirst()).map { Reading(experiment: 0, time: 0, conductance: $0, label: "rest", afterPulse: nil) }
        let outcome = ExperimentOutcome(name: "run", parameter: nil, baseline: up[0], readings: reads, pulses: pulses, pulseEndConductance: [])
        let m = SynapticMetrics.compute(type: "ltp-ltd", outcomes: [outcome], area: 1e-9, ionCharge: 1)
        #expect(abs(m.gMin - 1e-6) < 1e-18 && abs(m.gMax - 3e-6) < 1e-18 && abs(m.ratio - 3) < 1e-12)
        #expect(abs(m.potentiation!.a - 8) < 0.08)
        // The depression branch read backwards is the potentiation branch: no asymmetry.
        #expect(m.asymmetricNonlinearity < 1e-12)
        #expect(m.states == n + 1)
        #expect(abs(m.energyPerPulse - 1.5e-12) < 1e-24 && abs(m.energyPerArea - 1.5e-3) < 1e-15)
        #expect(abs(m.coulombicEfficiency - 0.9) < 1e-12)
        #expect(abs(m.faradaicEfficiency - 1) < 1e-9)
    }
}
