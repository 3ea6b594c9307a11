import Foundation
import IonicsPresets
import IonicsTestSupport
import Testing

/// `ionics plasticity --set`: the overrides reach the behaviour's own protocol.
@Suite("Plasticity runs with overrides")
struct PlasticityOverrideTests {
    static let cao = repositoryRoot() + "/configs/devices/k-inox-aloxk-cao2022.json"

    @Test("a 0 V STP pulse leaves G at its start, and the summary gives no retained fraction for a round-off change")
    func zeroPulse() throws {
        let s = try PlasticityRun.run(path: Self.cao, behaviour: "stp", output: nil, overwrite: false,
                                      overrides: ["plasticity.stp.pulse.voltage=\"0 V\""])
        let g0 = try #require(s.values["g0"]), peak = try #require(s.values["peak"])
        #expect(abs(peak - g0) < Plasticity.smallestChange * g0, "\(s.line)")
        #expect(try #require(s.values["retained"]).isNaN)
        #expect(s.line.contains("no change above 1e-06 of G0"), "\(s.line)")
    }

    @Test("a misspelt override is named by its key path and its origin")
    func badKey() {
        var message = ""
        do {
            _ = try PlasticityRun.run(path: Self.cao, behaviour: "stp", output: nil, overwrite: false,
                                      overrides: ["plasticity.stp.pulse.widht=\"10 ms\""])
        } catch {
            message = "\(error)"
        }
        #expect(message.contains("plasticity.stp.pulse.widht: unknown key \"widht\"; did you mean \"width\"?"), "\(message)")
        #expect(message.contains("from --set"), "\(message)")
    }
}
