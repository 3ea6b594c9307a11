import Foundation
import IonicsDevice
import IonicsDiscretisation
import Testing

/// Circuit unknowns follow the schedule: a terminal held at a voltage in every segment has
/// none, one that some segment leaves open (or drives by current) keeps them, and the
/// open terminal then carries no current (Kirchhoff).
@Suite("Circuit unknowns follow the schedule")
struct CircuitScheduleTests {
    @Test("voltage-held terminals get no circuit unknowns; a terminal switched from voltage to open keeps its own")
    func layoutFollowsSchedule() throws {
        let held = try Simulation(device: try makeDevice(symmetricStack))
        #expect(held.discretisation.layout.circuit == [false, false])
        #expect(held.discretisation.layout.globalCount == 0 && held.discretisation.sparsity.borderCount == 0)

        let device = try makeDevice(symmetricStack, overrides: ["protocol.segments[1].terminals.left=\"open\""])
        let left = try #require(device.terminalIndex("left")), right = try #require(device.terminalIndex("right"))
        let sim = try Simulation(device: device)
        #expect(sim.discretisation.layout.circuit[left] && !sim.discretisation.layout.circuit[right])
        #expect(sim.discretisation.layout.globalCount == 2)
        let rec = Recorder()
        _ = try sim.run(observer: rec)
        // The first segment (left at 0.1 V) moves charge; the open one must not through the
        // floating terminal, and the cell holds no net charge, so none through the right either.
        let driven = rec.steps.filter { $0.time <= 2e-3 }.map { abs($0.terminals[left].charge) }.reduce(0, +)
        #expect(driven > 0)
        let open = rec.steps.filter { $0.time > 2e-3 }
        #expect(!open.isEmpty)
        for s in open {
            #expect(abs(s.terminals[left].charge) <= 1e-6 * driven)
            #expect(abs(s.terminals[left].charge + s.terminals[right].charge) <= 1e-6 * driven)
        }
    }
}
