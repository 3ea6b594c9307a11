import Foundation
import IonicsConfig
import IonicsDevice
import IonicsDiscretisation
import IonicsTestSupport
import Testing

/// 2D cross-sections built from JSON (`"dimension": 2`): the laterally uniform device
/// equals the 1D device, a partial gate restricts the electrode, and what cannot be
/// done in 2D is refused with the key.
@Suite("2D device cross-sections")
struct TwoDimensionalDeviceTests {
    /// The default device, optionally as a 2D cross-section.
    func config(twoD: Bool, extra: [String: String] = [:]) throws -> String {
        var text = try defaultConfigText()
        if twoD {
            let lateral = extra["lateral"] ?? #"{"cells": 3}"#
            text = text.replacingOccurrences(of: "\"layers\": [", with: "\"dimension\": 2, \"lateral\": \(lateral), \"layers\": [")
        }
        if let gate = extra["gate"] {
            text = text.replacingOccurrences(of: "\"material\": \"PdHx\",", with: "\"material\": \"PdHx\", \"lateral\": \(gate),")
        }
        return text
    }

    func run(_ device: Device) throws -> (outcomes: [ExperimentOutcome], recorder: Recorder, sim: Simulation) {
        let sim = try Simulation(device: device)
        let recorder = Recorder()
        recorder.keepStates = true
        let outcomes = try sim.run(observer: recorder)
        return (outcomes, recorder, sim)
    }

    @Test("a laterally uniform 2D default device equals the 1D device: every read G and the final φ and c in every column to 1e-8")
    func uniformEqualsOneD() throws {
        // The same Newton (2D reuses factorisations by default, 1D does not).
        let overrides = ["protocol.pulses=2", "solver.reuse_jacobian=false"]
        let d1 = try makeDevice(try config(twoD: false), overrides: overrides)
        let d2 = try makeDevice(try config(twoD: true), overrides: overrides)
        #expect(d2.mesh.dimension == 2 && d2.mesh.cellCount == 3 * d1.mesh.cellCount)
        #expect(d2.extent == d2.config.geometry!.width)
        let (o1, r1, s1) = try run(d1)
        let (o2, r2, s2) = try run(d2)
        let g1 = o1.flatMap(\.readings).map(\.conductance)
        let g2 = o2.flatMap(\.readings).map(\.conductance)
        #expect(g1.count == g2.count && g1.count > 4)
        for (a, b) in zip(g1, g2) { #expect(abs(a - b) <= 1e-8 * abs(a), "G: 1D \(a) S, 2D \(b) S") }
        #expect(r1.steps.count == r2.steps.count, "the same steps (identical columns give the same error norm)")
        let spread1 = r1.steps.map(\.currentSpread).max()!
        let spread2 = r2.steps.map(\.currentSpread).max()!
        #expect(spread2 <= max(2 * spread1, 1e-9), "current continuity: 1D \(spread1), 2D \(spread2)")
        let (u1, u2) = (r1.states.last!, r2.states.last!)
        let (p1, p2) = (s1.discretisation.potential(u1), s2.discretisation.potential(u2))
        let (t1, t2) = (s1.discretisation.filling(u1), s2.discretisation.filling(u2))
        let phiScale = p1.filter(\.isFinite).map(abs).max()!
        var worstPhi = 0.0, worstTheta = 0.0
        for c in 0..<d2.mesh.cellCount {
            let j = c / 3
            if p1[j].isFinite { worstPhi = max(worstPhi, abs(p2[c] - p1[j]) / phiScale) }
            if t1[j].isFinite { worstTheta = max(worstTheta, abs(t2[c] - t1[j]) / t1[j]) }
        }
        #expect(worstPhi <= 1e-8, "φ differs by \(worstPhi) of its scale")
        #expect(worstTheta <= 1e-8, "θ differs by \(worstTheta) relative")
        // The per-pulse gate charges are device totals in both.
        let q1 = o1.flatMap(\.pulses).map(\.charge)
        let q2 = o2.flatMap(\.pulses).map(\.charge)
        for (a, b) in zip(q1, q2) { #expect(abs(a - b) <= 1e-8 * abs(a)) }
    }

    @Test("a gate over half the channel: the electrode is the first side below it, the rest is closed; ions are conserved and enter the channel fastest under the gate")
    func partialGate() throws {
        // The example's device, coarser and with two pulses.
        let text = try String(contentsOfFile: repositoryRoot() + "/configs/examples/wo3-2d-partial-gate.json", encoding: .utf8)
        let device = try makeDevice(text, overrides: [
            "protocol.pulses=2", "lateral.smallest=\"2 um\"", "lateral.max_cell=\"10 um\"", "lateral.growth=1.5",
            // Full Newton: with reused factorisations the stages are solved only to the Newton
            // tolerance, and step-level currents carry that noise (docs/configs.md).
            "solver.reuse_jacobian=false",
        ])
        let mesh = device.mesh
        let gate = mesh.faces(tagged: "first")
        let closed = mesh.faces(tagged: "first-closed")
        #expect(!gate.isEmpty && !closed.isEmpty)
        #expect(gate.allSatisfy { mesh.faceCentroid[$0].x < 50e-6 } && closed.allSatisfy { mesh.faceCentroid[$0].x > 50e-6 })
        #expect(abs(gate.reduce(0) { $0 + mesh.faceArea[$1] } - 50e-6) < 1e-15, "the gate's faces cover exactly 50 µm")
        #expect(mesh.lateralFaces.contains { abs($0 - 50e-6) < 1e-15 }, "a face on the gate's edge")
        let (outcomes, recorder, sim) = try run(device)
        let steps = recorder.steps.filter { !$0.reinitialisation }
        #expect(steps.map(\.inventoryError).max()! < 1e-10, "inventory conserved step by step")
        // The same total current through every cut across the stack, to the Newton
        // tolerance: within 1e-4 of the 0.5 µA pulse current (the 1D device: 5e-12 A).
        #expect(steps.map(\.currentSpreadAbsolute).max()! < 1e-4 * 0.5e-6)
        // After the first potentiation pulse, the channel under the gate holds more ions than far from it.
        let theta = sim.discretisation.filling(recorder.states.last!)
        let channel = device.readout.channelLayer!
        let (nx, _) = mesh.gridShape
        let columns = (0..<nx).map { i in
            mesh.cellIndices(inRegion: channel).filter { $0 % nx == i }.map { theta[$0] }.reduce(0, +)
        }
        #expect(columns.first! > columns.last!, "more ions under the gate (x = 0) than at the far end")
        #expect(outcomes[0].readings.allSatisfy { $0.conductance.isFinite && $0.conductance > 0 })

        // The default path (reused factorisations): what a pulse integrates is unchanged.
        let fast = try makeDevice(text, overrides: [
            "protocol.pulses=2", "lateral.smallest=\"2 um\"", "lateral.max_cell=\"10 um\"", "lateral.growth=1.5",
        ])
        let (reused, _, _) = try run(fast)
        let g = outcomes[0].readings.map(\.conductance), gr = reused[0].readings.map(\.conductance)
        #expect(g.count == gr.count)
        for (a, b) in zip(g, gr) { #expect(abs(a - b) <= 1e-6 * a) }
        for (a, b) in zip(outcomes[0].pulses, reused[0].pulses) {
            #expect(abs(a.charge - b.charge) <= 1e-6 * abs(a.charge))
            #expect(abs(a.energy - b.energy) <= 1e-4 * abs(a.energy))
        }
    }

    @Test("uniform lateral cells keep a partial gate's edges as faces; an electrode too small to mesh is refused")
    func uniformCellsKeepEdges() throws {
        let text = try String(contentsOfFile: repositoryRoot() + "/configs/examples/wo3-2d-partial-gate.json", encoding: .utf8)
        for (cells, offset, length) in [(3, 0.0, 50.0), (1, 0.0, 50.0), (7, 12.5, 31.0)] {
            let device = try makeDevice(text, overrides: [
                "lateral={\"cells\": \(cells)}", "layers[0].lateral={\"offset\": \"\(offset) um\", \"length\": \"\(length) um\"}",
            ])
            let m = device.mesh
            let covered = m.faces(tagged: "first").reduce(0) { $0 + m.faceArea[$1] }
            #expect(abs(covered - length * 1e-6) < 1e-12 * 1e-4, "\(cells) cells: the gate covers \(covered) m")
            #expect(m.faces(tagged: "first").allSatisfy { (offset * 1e-6...(offset + length) * 1e-6).contains(m.faceCentroid[$0].x) })
        }
        let tiny = buildProblems(text, overrides: ["layers[0].lateral={\"length\": \"1e-14 m\"}"]).map(\.path)
        #expect(tiny == ["layers[0].lateral"])
    }

    @Test("2D-only keys in 1D, placements of meshed layers, electrodes beyond the channel and a vertical readout are refused by key")
    func refusals() throws {
        func problems(_ text: String) -> [String] { buildProblems(text).map(\.path) }
        func parseProblems(_ text: String) -> [String] {
            do { _ = try DeviceConfig.parse(text, source: "t.json"); return [] } catch let e as ConfigError { return e.problems.map(\.path) } catch { return ["?"] }
        }
        let base = try defaultConfigText()
        #expect(parseProblems(base.replacingOccurrences(of: "\"layers\": [", with: "\"lateral\": {\"cells\": 4}, \"layers\": [")) == ["lateral"])
        #expect(parseProblems(base.replacingOccurrences(of: "\"layers\": [", with: "\"dimension\": 3, \"layers\": [")) == ["dimension"])
        #expect(parseProblems(try config(twoD: false, extra: ["gate": #"{"length": "1 um"}"#])) == ["layers[0].lateral"])
        #expect(parseProblems(try config(twoD: true, extra: ["lateral": #"{"cells": 4, "growth": 1.2}"#])) == ["lateral.growth"])
        let meshed = try config(twoD: true).replacingOccurrences(
            of: "\"thickness\": \"1 um\"", with: "\"thickness\": \"1 um\", \"lateral\": {\"offset\": \"10 um\", \"length\": \"20 um\"}")
        #expect(problems(meshed) == ["layers[1].lateral"])
        #expect(problems(try config(twoD: true, extra: ["gate": #"{"offset": "60 um", "length": "50 um"}"#])) == ["layers[0].lateral"])
        // Starting past the channel's end (found by the config fuzzer: a crash before).
        #expect(problems(try config(twoD: true, extra: ["gate": #"{"offset": "500 um", "length": "50 um"}"#])) == ["layers[0].lateral"])
        let vertical = try config(twoD: true).replacingOccurrences(of: "\"mode\": \"lateral\"", with: "\"mode\": \"vertical\"")
        #expect(problems(vertical).contains("readout.mode"))
    }
}
