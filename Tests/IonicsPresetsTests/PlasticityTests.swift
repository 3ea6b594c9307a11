import Foundation
import IonicsConfig
import IonicsPresets
import IonicsTestSupport
import Testing

/// The eight behaviours of the review's Fig. 2, each on a device the review shows it with:
/// Au | LixCoO2 | Pt (Baek 2023, all of Fig. 2), Na | MoS2 on Na-SiO2 (Wang 2021, STP and
/// low-pass SRDP at 350 °C, the temperature behaviour), K | InOx (Cao 2022, STP and PPF)
/// and Li | WSe2 (Zhu 2018, STP from the double layer of short pulses, LTP from Table 1's
/// longer write pulse).
@Suite("Plasticity behaviours")
struct PlasticityTests {
    static let folder = repositoryRoot() + "/configs/devices"
    static let baek = folder + "/li-licoo2-au-baek2023.json"
    static let wang = folder + "/na-mos2-sio2na-wang2021.json"
    static let cao = folder + "/k-inox-aloxk-cao2022.json"
    static let zhu = folder + "/li-wse2-peo-zhu2018.json"

    func run(_ path: String, _ behaviour: String, kelvin: Double? = nil) throws -> PlasticitySummary {
        try PlasticityRun.run(path: path, behaviour: behaviour, output: nil, overwrite: false, temperature: kelvin)
    }

    /// The length of a retention protocol's programming train, s.
    func trainLength(_ path: String, _ behaviour: String) throws -> Double {
        let config = try PresetTable.device(at: path).config
        guard case .retention(let p, _, _) = try #require(config.plasticity[behaviour]) else {
            Issue.record("\(behaviour) is not a retention protocol")
            return .nan
        }
        return Double(p.count) * (p.pulse.width + p.interval)
    }

    func responses(_ s: PlasticitySummary, _ key: String) -> [Double] {
        (0...).lazy.map { s.values["\(key)\($0)"] }.prefix { $0 != nil }.map { $0! }
    }

    /// The size of an STP rise depends on the pulse, which the papers' figures set and which
    /// could not be read here, so no size is asked (an earlier +10 % threshold passed on Zhu
    /// only after its pulse went from 10 to 20 ms, as the referee found): the rise must be
    /// well above round-off and less than a tenth of it may remain after the rest. Where the
    /// paper's device takes Table 1's write pulse for LTP (Cao, Zhu), that pulse must leave
    /// a lasting change of more than 10 % of G0 and more than three times what the weak
    /// (short) pulse leaves — the STP → LTP transition.
    @Test("STP: one weak or short pulse raises G and less than 10 % of the rise remains, either way (Na | MoS2 at 350 °C, K | InOx, Li | WSe2); Table 1's write pulse leaves a lasting change over 10 % of G0 and over 3× the weak pulse's (K | InOx, Li | WSe2)")
    func stp() throws {
        var lasting: [String: Double] = [:]
        for path in [Self.wang, Self.cao, Self.zhu] {
            let s = try run(path, "stp")
            let g0 = try #require(s.values["g0"]), peak = try #require(s.values["peak"]), final = try #require(s.values["final"])
            #expect(peak > 1.01 * g0, "\(s.line)")
            // Two-sided: an undershoot below G0 by a tenth of the rise is no return either.
            #expect(abs(try #require(s.values["retained"])) < 0.1, "\(s.line)")
            lasting[path] = final / g0 - 1
        }
        for (path, write) in [(Self.cao, "plasticity.stp.pulse.voltage=\"4 V\""), (Self.zhu, "plasticity.stp.pulse.width=\"100 ms\"")] {
            let s = try PlasticityRun.run(path: path, behaviour: "stp", output: nil, overwrite: false, overrides: [write])
            let g0 = try #require(s.values["g0"]), final = try #require(s.values["final"])
            let weak = try #require(lasting[path])
            #expect(final / g0 - 1 > 0.1 && final / g0 - 1 > 3 * weak, "Table 1's write pulse: \(s.line); the weak pulse left \(weak)")
        }
    }

    @Test("LTP (Na | MoS2 at 150 °C, Na frozen in the oxide): 90–110 % of the change is kept over a rest ten times the train")
    func ltp() throws {
        let s = try run(Self.wang, "ltp")
        let g0 = try #require(s.values["g0"]), after = try #require(s.values["afterTrain"])
        #expect(after > 1.05 * g0, "\(s.line)")
        #expect(try #require(s.values["rest"]) >= 10 * trainLength(Self.wang, "ltp"))
        let retained = try #require(s.values["retained"])
        #expect(retained >= 0.9 && retained <= 1.1, "\(s.line)")
    }

    @Test("LTP on Au | LixCoO2 | Pt with open rests: the stored change does not decay, it grows (vertical readout; see ReadoutAfterProgrammingTests)")
    func ltpVertical() throws {
        let s = try run(Self.baek, "ltp")
        let g0 = try #require(s.values["g0"]), after = try #require(s.values["afterTrain"])
        #expect(after > 1.05 * g0, "\(s.line)")
        // Nothing flows back at open circuit; the readout form makes G rise, bounded by the
        // uniform-filling value (≤ 3× the change at the end of the train here).
        let retained = try #require(s.values["retained"])
        #expect(retained > 1 && retained < 3, "\(s.line)")
    }

    @Test("SVDP and SWDP: ΔG grows monotonically with pulse amplitude and with pulse width")
    func svdpSwdp() throws {
        for (path, behaviour) in [(Self.baek, "svdp"), (Self.baek, "swdp"), (Self.wang, "swdp")] {
            let s = try run(path, behaviour)
            let r = responses(s, "response")
            #expect(r.count >= 4 && r[0] > 0, "\(s.line)")
            #expect(zip(r, r.dropFirst()).allSatisfy { $1 > $0 }, "\(s.line)")
        }
    }

    @Test("SNDP: the range grows with the number of pulses while the nonlinearity worsens")
    func sndp() throws {
        let s = try run(Self.baek, "sndp")
        let range = responses(s, "response"), nl = responses(s, "nonlinearity")
        #expect(range.count >= 4 && nl.count == range.count, "\(s.line)")
        #expect(zip(range, range.dropFirst()).allSatisfy { $1 > $0 }, "\(s.line)")
        #expect(zip(nl, nl.dropFirst()).allSatisfy { $1 > $0 }, "\(s.line)")
    }

    @Test("SRDP: with rests at 0 V (the trend depends on it: with open rests it reverses) the Li two-terminal device changes more per pulse at higher rates; Na | MoS2 at 350 °C is a low-pass filter")
    func srdp() throws {
        // Same number of pulses at every rate: the response per pulse is the response.
        let li = try run(Self.baek, "srdp")
        let r = responses(li, "response")
        #expect(r.count >= 4 && zip(r, r.dropFirst()).allSatisfy { $1 > $0 }, "\(li.line)")
        // Low-pass: the last pulse's own increment over the first's falls with rate.
        let na = try run(Self.wang, "srdp")
        let gain = responses(na, "gain")
        #expect(gain.count >= 4 && gain.last! < gain.first!, "\(na.line)")
        #expect(zip(gain, gain.dropFirst()).allSatisfy { $1 <= $0 }, "\(na.line)")
    }

    @Test("PPF: the index is above 100 %, decays with the interval, and the two-exponential fit is reported")
    func ppf() throws {
        let s = try run(Self.cao, "ppf")
        let index = responses(s, "index")
        #expect(index.count >= 5 && index[0] > 1.05, "\(s.line)")
        #expect(index.allSatisfy { $0 >= 1 - 1e-3 }, "\(s.line)")
        #expect(zip(index, index.dropFirst()).allSatisfy { $1 <= $0 + 1e-4 }, "\(s.line)")
        #expect(index.last! < index.first!)
        // The fit must describe the data (a τ whose amplitude is negligible says nothing):
        // every index within 0.5 % of 1 + C1 e^(−Δt/τ1) + C2 e^(−Δt/τ2).
        let tau1 = try #require(s.values["tau1"]), tau2 = try #require(s.values["tau2"])
        let c1 = try #require(s.values["c1"]), c2 = try #require(s.values["c2"])
        #expect(tau1 > 0 && c1 >= 0 && c2 >= 0 && c1 + c2 > 0)
        for (i, dt) in responses(s, "interval").enumerated() {
            let fit = 1 + c1 * exp(-dt / tau1) + c2 * exp(-dt / tau2)
            #expect(abs(fit - index[i]) < 5e-3, "Δt \(dt): index \(index[i]) vs fit \(fit)")
        }
    }

    @Test("STDP on Au | LixCoO2 | Pt: ΔG > 0 for pre before post, < 0 for post before pre, |ΔG| decaying with |Δt|")
    func stdp() throws {
        let s = try run(Self.baek, "stdp")
        let delays = responses(s, "delay"), dg = responses(s, "response")
        #expect(delays.count >= 6 && dg.count == delays.count, "\(s.line)")
        for (dt, g) in zip(delays, dg) { #expect(dt > 0 ? g > 0 : g < 0, "Δt \(dt): \(g)") }
        // Beyond the peak (the spike's head meets the first tail level at 10 ms) |ΔG| decays.
        for side in [1.0, -1.0] {
            let pts = zip(delays, dg).filter { $0.0 * side >= 0.01 - 1e-12 }.sorted { abs($0.0) < abs($1.0) }.map { abs($0.1) }
            #expect(pts.count >= 3 && zip(pts, pts.dropFirst()).allSatisfy { $1 < $0 }, "\(s.line)")
        }
        #expect(try #require(s.values["tauPlus"]) > 0 && s.values["aPlus"]! > 0 && s.values["aMinus"]! < 0, "\(s.line)")
    }

    @Test("Na | MoS2 on Na-SiO2: frozen at 30 °C, non-volatile at 150 °C, volatile at 350 °C")
    func wangTemperatures() throws {
        func change(_ s: PlasticitySummary) -> Double { (s.values["afterTrain"]! - s.values["g0"]!) / s.values["g0"]! }
        let cold = try run(Self.wang, "ltp", kelvin: 303.15)
        let mid = try run(Self.wang, "ltp", kelvin: 423.15)
        let hot = try run(Self.wang, "ltp", kelvin: 623.15)
        // 30 °C: the train stores (almost) nothing.
        #expect(abs(change(cold)) < 0.01 * abs(change(mid)), "\(cold.line) vs \(mid.line)")
        // 150 °C: stored (more than the 5 % the LTP test asks; the review shows the behaviour
        // without a value, so no size is the paper's) and kept.
        #expect(change(mid) > 0.05 && mid.values["retained"]! >= 0.9, "\(mid.line)")
        // 350 °C: the change the pulses make is gone after the rest.
        #expect(hot.values["peak"]! > 1.1 * hot.values["g0"]! && abs(hot.values["retained"]!) < 0.1, "\(hot.line)")
    }
}
