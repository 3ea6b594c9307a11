import Foundation
import IonicsDevice
import IonicsDiscretisation
import IonicsPhysics
import IonicsTestSupport
import Testing

/// An electron contact whose resistance is a law of the Li content at the contact,
/// `contact_resistance.<terminal>: {"filling": [...], "value": [...]}` (``ContactResistance``):
/// R_c is taken at the filling of the film cell the contact touches, in the residual, its
/// Jacobian (checked against finite differences in `JacobianCase`) and the readout.
@Suite("Electron contact resistance as a law of the filling")
struct ContactLawTests {
    /// ln R_c linear in θ between (0.3, 1e-7 Ω·m²) and (0.7, 1e-5 Ω·m²): R_c(0.5) = 1e-6 Ω·m²,
    /// e-fold per Δθ = 0.4/ln 100.
    static let law = #"{"filling": [0.3, 0.7], "value": ["1e-7 ohm m^2", "1e-5 ohm m^2"]}"#

    @Test("frozen ions at θ = 0.4: I = V·A/(L/σ_e + R_c(0.4) + R_bottom) with R_c(0.4) = 10^(−6.5) Ω·m² from the law (ln R_c linear between its nodes), and the readout is A over the same resistance")
    func ohmicAtTheLawsValue() throws {
        let (device, _, rec) = try runKeepingStates(makeDevice(
            MixedConductorTests.cell(filling: 0.4, contacts: #"{"top": \#(Self.law), "bottom": "0.002 ohm cm^2"}"#, volts: 0.1, duration: "1 ms"),
            materials: [MixedConductorTests.film(sigma: #""0.5 S/m""#, diffusivity: "1e-25 m^2/s")]))
        let top = try #require(device.terminalIndex("top"))
        // R_c(0.4): a quarter of the way from 1e-7 to 1e-5 in ln R_c.
        let resistance = 20e-9 / 0.5 + pow(10, -6.5) + 2e-7  // Ω·m²: film, R_c(0.4), bottom
        let expected = 0.1 * device.area / resistance
        let steps = rec.steps.filter { !$0.reinitialisation && $0.step > 0 }
        #expect(steps.count > 3)
        for s in steps {
            #expect(abs(s.terminals[top].current - expected) <= 1e-9 * expected, "I = \(s.terminals[top].current) A, expected \(expected) A")
            // 1e-9: the nearly frozen ions still drift θ by ~1e-12, which a law that
            // changes e-fold per Δθ = 0.087 turns into ~1e-11 of R_c.
            #expect(abs(s.conductance - device.area / resistance) <= 1e-9 * device.area / resistance)
        }
    }

    @Test("a Li-exchanging contact with R_c(θ): the writes move the contact cell's filling, the readout follows R_c at that filling, and the cell stays Kirchhoff- and Li-conserving")
    func readoutFollowsTheContactCell() throws {
        let text = try String(contentsOfFile: repositoryRoot() + "/configs/examples/baek2023-electron-transport.json", encoding: .utf8)
        let device = try makeDevice(text, overrides: ["protocol.pulses=3"])
        let (_, sim, rec) = try runKeepingStates(device)
        let d = sim.discretisation
        let film = try #require(device.readout.channelLayer)
        let cells = d.mesh.cells(inLayer: film)
        let et = try #require(device.problem.layers[film].electronTransport)
        guard case .filling = try #require(et.firstContact) else {
            Issue.record("the example's Au contact is expected to be a law R_c(θ)")
            return
        }
        let top = try #require(device.terminalIndex("top")), bottom = try #require(device.terminalIndex("bottom"))
        var thetas: [Double] = []
        let peak = rec.steps.map { abs($0.terminals[top].current) }.max()!
        #expect(peak > 0)
        for (s, u) in zip(rec.steps, rec.states) where !s.reinitialisation && s.step > 0 {
            let theta = d.filling(u)
            thetas.append(theta[cells.lowerBound])
            // G = A / (Σ Δy/σ_e(θ_i) + R_c,Au(θ_first) + R_c,Pt(θ_last)), evaluated here from the state.
            var r = et.firstContact!.evaluate(theta[cells.lowerBound]).value + et.lastContact!.evaluate(theta[cells.upperBound - 1]).value
            for i in cells { r += d.mesh.cellVolume[i] / et.conductivity(theta[i]).value }
            #expect(abs(s.conductance - device.area / r) <= 1e-12 * s.conductance)
            // Kirchhoff: what enters at the top leaves at the bottom, through every cut of the film.
            #expect(abs(s.terminals[top].current + s.terminals[bottom].current) <= 1e-9 * peak)
            #expect(s.currentSpreadAbsolute <= 1e-9 * peak)
            #expect(s.inventoryError <= 1e-9)
        }
        // The potentiation pulses draw Li out of the Au-side cell (θ falls below 0.6), and
        // with ln R_c rising in θ the conductance rises from pulse to pulse.
        #expect(thetas.min()! < 0.6 - 1e-3)
        let potentiation = rec.pulses.prefix(3)
        #expect(potentiation.allSatisfy { $0.conductanceAfter > $0.conductanceBefore })
    }

    @Test("a contact law is read with units and checked by key")
    func refusedByKey() throws {
        let text = try String(contentsOfFile: repositoryRoot() + "/configs/devices/li-licoo2-au-baek2023.json", encoding: .utf8)
        func paths(_ contact: String) -> [String] {
            buildProblems(text, overrides: [#"layers[1].electron_transport={"contact_resistance": {"top": \#(contact)}}"#]).map(\.path)
        }
        #expect(paths(Self.law).isEmpty, "\(paths(Self.law))")
        let key = "layers[1].electron_transport.contact_resistance.top"
        #expect(paths(#"{"filling": [0.3, 0.7], "value": ["1e-7 ohm m^2", "0 ohm m^2"]}"#).contains(key + ".value"))
        #expect(paths(#"{"filling": [0.3, 0.7], "value": ["1e-7 ohm", "1e-5 ohm"]}"#).contains { $0.hasPrefix(key + ".value") })
        #expect(paths(#"{"filling": [0.7, 0.3], "value": ["1e-7 ohm m^2", "1e-5 ohm m^2"]}"#).contains(key + ".filling"))
        #expect(paths(#"{"filling": [0.3, 1.2], "value": ["1e-7 ohm m^2", "1e-5 ohm m^2"]}"#).contains(key + ".filling"))
        #expect(paths(#"{"filling": [0.3, 0.7]}"#).contains(key + ".value"))
    }
}
