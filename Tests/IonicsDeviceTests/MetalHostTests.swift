import Foundation
import IonicsConfig
import IonicsDevice
import IonicsDiscretisation
import IonicsTestSupport
import Testing

/// Ion transfer between a metal electrode and a neutral host with a contact double layer
/// (the two-terminal vertical cell Au | LixCoO2 | Pt of Baek 2023): conservation laws.
@Suite("Metal | host transfer")
struct MetalHostTests {
    @Test("Every charge that enters the metal's terminal leaves the host's; zF·Δ(host ions) = terminal charge − Δ(contact charge), to 1e-6")
    func faradayAtMetalHost() throws {
        let text = try String(contentsOfFile: repositoryRoot() + "/configs/devices/li-licoo2-au-baek2023.json", encoding: .utf8)
        let device = try makeDevice(text, overrides: ["protocol.pulses=3"])
        let sim = try Simulation(device: device)
        let rec = Recorder()
        rec.keepStates = true
        _ = try sim.run(observer: rec)
        let d = sim.discretisation
        let top = try #require(device.terminalIndex("top")), bottom = try #require(device.terminalIndex("bottom"))
        let film = try #require(device.readout.channelLayer)
        let qTop = rec.steps.reduce(0) { $0 + $1.terminals[top].charge }
        let qBottom = rec.steps.reduce(0) { $0 + $1.terminals[bottom].charge }
        let scale = rec.pulses.map { abs($0.charge) }.reduce(0, +)
        #expect(rec.pulses.count == 6 && scale > 0)
        // Kirchhoff: the cell holds no net charge.
        #expect(abs(qTop + qBottom) / scale < 1e-6, "top \(qTop), bottom \(qBottom)")
        // The charge that flows into the cell through the metal's terminal is the contact
        // double layer's change plus the Li that enters the host: zF·ΔN = Q_top − Δσ_top·A
        // (a negative top electrode draws Li out of the film: both sides negative).
        let initial = Drives(controls: device.initialControls.map { device.control($0) })
        let sigma0 = d.terminalState(sim.initialState, top, drives: initial).charge * device.area
        let sigma1 = d.terminalState(rec.states.last!, top, drives: sim.lastDrives).charge * device.area
        let ions0 = d.inventory(sim.initialState, layer: film)[0] * device.area
        let ions1 = d.inventory(rec.states.last!, layer: film)[0] * device.area
        let faradaic = qTop - (sigma1 - sigma0)
        let transferred = 96485.33212 * (ions1 - ions0)
        #expect(abs(transferred) > 0.01 * scale, "the pulses moved Li: \(transferred) C")
        #expect(abs(transferred - faradaic) / scale < 1e-6, "zFΔN \(transferred) vs faradaic \(faradaic)")
        // Every step's inventory check against the boundary fluxes held.
        #expect(rec.steps.map(\.inventoryError).max()! < 1e-9)
    }
}
