import Foundation
import IonicsDevice
import IonicsTestSupport
import Testing

/// Devices that start out of equilibrium: an as-made contact whose potentials do not
/// match relaxes (self-discharge, built-in voltage) from t = 0 — the initial solve holds
/// the ions in equilibrium and the reactions are left to run.
@Suite("Non-equilibrium starts")
struct NonEquilibriumStartTests {
    @Test("A non-equilibrium start (self-discharge): an as-made cell whose metal's Li potential is 80 mV below the film's open-circuit potential, left open, charges its contact to U_m − U(θ0) while the Li moves, monotonically")
    func nonEquilibriumStart() throws {
        let text = try String(contentsOfFile: repositoryRoot() + "/configs/examples/baek2023-lumped.json", encoding: .utf8)
        let device = try makeDevice(text, overrides: [
            #"layers[0].overrides.equilibrium_potential="3.95 V""#, #"terminals.top.initial="open""#,
            #"protocol={"type": "segments", "segments": [{"duration": "1 s", "terminals": {"top": "open"}}]}"#,
        ])
        let rec = Recorder()
        _ = try Simulation(device: device).run(observer: rec)
        let top = try #require(device.terminalIndex("top")), bottom = try #require(device.terminalIndex("bottom"))
        // U(θ0 = 0.6) of the LiCoO2 table is 4.03 V: the built-in voltage is 3.95 − 4.03 V.
        let builtIn = 3.95 - 4.03
        let v = rec.steps.filter { $0.step > 0 }.map { $0.terminals[top].voltage - $0.terminals[bottom].voltage }
        #expect(v.count > 10)
        #expect(abs(v.first!) < 0.01 * abs(builtIn), "the cell starts uncharged")
        #expect(abs(v.last! - builtIn) <= 1e-3, "open-circuit voltage \(v.last!) V after 1 s, U_m − U(θ0) = \(builtIn) V")
        #expect(zip(v, v.dropFirst()).allSatisfy { $1 <= $0 + 1e-9 }, "the voltage relaxes monotonically")
    }

    @Test("A gate reservoir metal whose potential of zero charge is 0.1 V above its equilibrium potential starts at V = pzc − U_m at open circuit and discharges through the transfer to rest, monotonically")
    func gateOutOfEquilibrium() throws {
        let base = try defaultConfigText()
        func run(_ pzc: String) throws -> [Double] {
            let device = try makeDevice(base, overrides: [
                #"layers[0].overrides.pzc="\#(pzc)""#, #"protocol={"type": "segments", "segments": [{"duration": "1 s"}]}"#,
            ])
            let rec = Recorder()
            _ = try Simulation(device: device).run(observer: rec)
            let gate = try #require(device.terminalIndex("gate"))
            return rec.steps.map { $0.terminals[gate].voltage }
        }
        // PdHx: U_m = 0.05 V. At pzc = U_m the gate is at rest from the start.
        let atRest = try run("0.05 V")
        #expect(atRest.allSatisfy { abs($0) < 1e-4 })
        let v = try run("0.15 V")
        #expect(abs(v.first! - 0.1) <= 1e-3, "uncharged contact at t = 0: V = pzc − U_m, got \(v.first!) V")
        #expect(abs(v.last!) <= 3e-3, "discharged to rest: \(v.last!) V")
        // Monotone down to a µV: after the fast discharge (~40 µs) the H⁺ moved into the
        // electrolyte redistributes, which moves the gate by ~3e-8 V.
        #expect(zip(v, v.dropFirst()).allSatisfy { $1 <= $0 + 1e-6 }, "monotone relaxation")
    }
}
