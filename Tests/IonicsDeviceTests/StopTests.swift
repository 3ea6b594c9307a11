import Foundation
import IonicsConfig
import IonicsDevice
import IonicsTestSupport
import Testing

@Suite("stopping a run")
struct StopTests {
    func device() throws -> Device {
        try makeDevice(try defaultConfigText(), overrides: ["protocol.pulses=3"])
    }

    @Test("shouldStop stops after the current step with what was computed and an interrupted reason")
    func interrupted() throws {
        let simulation = try Simulation(device: try device())
        let recorder = Recorder()
        var asked = 0
        do {
            _ = try simulation.run(observer: recorder) {
                asked += 1
                return asked >= 5
            }
            Issue.record("the run was not stopped")
        } catch let e as SimulationError {
            #expect(e.stop == .interrupted)
            #expect(recorder.steps.count == 5, "stopped after the step that saw the request")
            #expect(e.partial.count == 1)
            #expect(e.description.contains("interrupted"))
        }
    }

    @Test("the step limit stops a run at that many steps")
    func stepLimit() throws {
        let simulation = try Simulation(device: try device())
        simulation.stepLimit = 7
        let recorder = Recorder()
        do {
            _ = try simulation.run(observer: recorder)
            Issue.record("the run was not stopped")
        } catch let e as SimulationError {
            #expect(e.stop == .stepLimit(7))
            #expect(recorder.steps.count == 7)
        }
    }

    @Test("without a request the run completes")
    func completes() throws {
        let simulation = try Simulation(device: try device())
        let outcomes = try simulation.run(observer: nil) { false }
        #expect(outcomes.first?.pulses.count == 6)
    }
}
