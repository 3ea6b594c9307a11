import Foundation
import IonicsConfig
import IonicsDevice
import IonicsPhysics
import IonicsTestSupport
import Testing

/// What happens to a vertical (two-terminal) conductance after programming (referee
/// finding 3, docs/devices.md "Readout after programming"). Baek 2023's Au | LixCoO2 | Pt
/// is read in series through the film, G = A / Σ Δy_i/σ(θ_i), with σ = σ0·exp(k(θ − θ0)).
/// A write leaves a depleted layer at the Au; during an open-circuit rest almost no Li
/// crosses a contact (only the Au's double layer discharges, ~1e-4 of the film's Li), so
/// the mean filling θ̄ stays put while the profile flattens. Since
/// 1/σ(θ) is convex, Σ Δy/σ(θ_i) ≥ L/σ(θ̄) (Jensen), and for diffusion with no-flux ends
/// Σ Δy f(θ_i) falls monotonically for every convex f: G must rise monotonically towards,
/// and never pass, A·σ(θ̄)/L. The rise is a property of the readout form, not of ion loss.
@Suite("Readout after programming")
struct ReadoutAfterProgrammingTests {
    final class ReadStates: SimulationObserver {
        var reads: [(reading: Reading, state: [Double])] = []
        func readTaken(_ reading: Reading, state: [Double]) throws { reads.append((reading, state)) }
    }

    @Test("Au | LixCoO2 | Pt write pulses: the read (electronic) energy is ∫V²G dt, between V²·t·min G and V²·t·max G of the pulse's own steps")
    func verticalReadEnergy() throws {
        let path = repositoryRoot() + "/configs/devices/li-licoo2-au-baek2023.json"
        let config = try DeviceConfig.parse(try String(contentsOfFile: path, encoding: .utf8), source: path)
        let device = try DeviceBuilder.build(config, materials: MaterialLibrary(folders: [repositoryRoot() + "/configs/materials"]), source: path)
        let simulation = try Simulation(device: device)
        let recorder = Recorder()
        _ = try simulation.run(observer: recorder)
        #expect(recorder.pulses.count == 50)
        for p in recorder.pulses {
            let v = p.kind == .potentiation ? -1.5 : 1.1
            let g = recorder.steps.filter { $0.time > p.start && $0.time <= p.end + 1e-15 }.map(\.conductance)
            let gBefore = p.conductanceBefore
            let lo = min(g.min()!, gBefore), hi = max(g.max()!, gBefore)
            let t = p.end - p.start
            #expect(p.readEnergy >= v * v * t * lo * (1 - 1e-9) && p.readEnergy <= v * v * t * hi * (1 + 1e-9),
                    "pulse \(p.index): \(p.readEnergy) J outside [\(v * v * t * lo), \(v * v * t * hi)]")
            // The electronic energy dominates the ionic work of the same pulse by orders.
            #expect(p.readEnergy > 10 * p.writeEnergy && abs(p.totalEnergy - p.readEnergy - p.writeEnergy) <= 1e-15 * p.totalEnergy)
        }
    }

    @Test("Au | LixCoO2 | Pt after a 25-pulse LTP train, open-circuit rest: the film's Li nearly fixed, G rises monotonically towards A·σ(θ̄)/L and stays below it")
    func verticalRiseAtFixedInventory() throws {
        let path = repositoryRoot() + "/configs/devices/li-licoo2-au-baek2023.json"
        var config = try DeviceConfig.parse(try String(contentsOfFile: path, encoding: .utf8), source: path)
        config.protocolConfig = config.plasticity["ltp"]
        #expect(config.protocolConfig != nil)
        let device = try DeviceBuilder.build(config, materials: MaterialLibrary(folders: [repositoryRoot() + "/configs/materials"]), source: path)
        #expect(device.readout.mode == .vertical)
        let simulation = try Simulation(device: device)
        let recorder = ReadStates()
        _ = try simulation.run(observer: recorder)
        let c = try #require(device.readout.channelLayer)
        let layer = device.problem.layers[c]
        let host = try #require(layer.host)
        let logSigma = try #require(device.readout.logConductivity)
        let rest = recorder.reads.filter { $0.reading.label == "retention" }
        #expect(rest.count >= 10)
        let inventories = rest.map { simulation.discretisation.inventory($0.state, layer: c).reduce(0, +) }
        let g = rest.map(\.reading.conductance)
        // At open circuit only the Au contact's double layer can still discharge through the
        // transfer: the film's Li changes by ~1e-4 of its content, far too little to move G
        // by the tens of per cent it rises.
        for q in inventories { #expect(abs(q / inventories[0] - 1) < 1e-3, "inventory \(q) vs \(inventories[0])") }
        let uniform = inventories.map { device.area * exp(logSigma.value($0 / (host.maximumConcentration * layer.thickness))) / layer.thickness }
        let drift = uniform.map { abs($0 / uniform[0] - 1) }.max()!
        for (a, b) in zip(g, g.dropFirst()) { #expect(b >= a * (1 - 1e-9), "G fell during the rest: \(a) → \(b)") }
        for (x, bound) in zip(g, uniform) { #expect(x <= bound * (1 + 1e-6), "G \(x) above the uniform-filling bound \(bound)") }
        // It does rise — by far more than the inventory drift can explain — and closes
        // part of the gap to the uniform-filling value.
        #expect(g.last! / g.first! - 1 > 10 * drift, "G \(g.first!) → \(g.last!), σ(θ̄) drift \(drift)")
        #expect(uniform.last! - g.last! < 0.9 * (uniform.first! - g.first!))
    }

    @Test("Au | LixCoO2 | Pt with its electrons solved (electron_transport on the preset's law from x = 0.97): every write polarises the film (−1.5 V piles Li at the Au, +1.1 V at the Pt), so G falls after each pulse of either sign (the paper's potentiation raises it)")
    func electronsSolvedPotentiationLowersG() throws {
        let path = repositoryRoot() + "/configs/devices/li-licoo2-au-baek2023.json"
        // 2 ms writes: with the preset's 10 ms the Au-side cell reaches θ = 1 − 4.5e-13 and
        // the run stops (Hebb–Wagner polarisation, docs/devices.md, ref. 92 recomputed, 4.).
        // Why G must fall: the film keeps nearly all its Li (the Au takes a small share), a
        // bias piles it against one contact, and with 1/σ(θ) convex the series readout of a
        // non-uniform film is below that of the same Li spread uniformly (Jensen).
        let config = try DeviceConfig.parse(try String(contentsOfFile: path, encoding: .utf8), source: path,
                                            overrides: ["layers[1].electron_transport={}", "protocol.potentiation.width=\"2 ms\"",
                                                        "protocol.pulses=2"])
        let device = try DeviceBuilder.build(config, materials: MaterialLibrary(folders: [repositoryRoot() + "/configs/materials"]), source: path)
        // The law falls with x at the insulating end, the direction the argument needs.
        let logSigma = try #require(device.readout.logConductivity)
        #expect(logSigma.value(0.99) < logSigma.value(0.97))
        let simulation = try Simulation(device: device)
        let outcome = try #require(try simulation.run().first)
        #expect(outcome.pulses.filter { $0.kind == .potentiation }.count == 2)
        #expect(outcome.pulses.filter { $0.kind == .depression }.count == 2)
        var before = outcome.baseline
        for p in outcome.pulses {
            let after = try #require(outcome.readings.first { $0.afterPulse == p.index }).conductance
            #expect(after < before * (1 - 1e-3), "pulse \(p.index): G \(before) → \(after) S")
            before = after
        }
    }
}
