import Foundation
import IonicsConfig
import IonicsDevice
import IonicsTestSupport
import Testing

/// Runs a device and returns its output-time samples.
func samples(_ device: Device) throws -> [BoundarySample] {
    try Simulation(device: device).run().flatMap(\.samples)
}

@Suite("Cells: output times and the boundary series")
struct CellRunTests {
    /// The instantaneous current of a sample must be the rate of change of the boundary's
    /// charge plus the conduction current through it: i = dσ/dt + F Σ z J.
    func checkCurrent(_ s: [BoundarySample], charges: [Double], tolerance: Double) {
        let (a, m, b) = (s[0], s[1], s[2])
        for side in 0..<2 {
            let rate = (b.charge[side] - a.charge[side]) / (b.time - a.time)
            let conduction = 96485.33212 * zip(charges, m.flux[side]).reduce(0) { $0 + $1.0 * $1.1 }
            let expected = rate + conduction
            #expect(!m.currentIsStepMean)
            #expect(relativeError(m.current[side], expected) < tolerance, "side \(side): i = \(m.current[side]), dσ/dt + FΣzJ = \(expected)")
        }
    }

    @Test("output times are landed on, and the current is the charge's rate plus conduction (blocking cell)")
    func blockingCellCurrent() throws {
        let device = try DeviceLoader.load(example("bta-charging"), overrides: [
            #"protocol.segments[0].duration="22 us""#, #"output.times=["19.5 us", "20 us", "20.5 us"]"#,
        ])
        let s = try samples(device)
        #expect(s.map(\.time) == device.config.output.times && device.config.output.times.count == 3)
        checkCurrent(s, charges: [1, -1], tolerance: 2e-3)
    }

    @Test("the same holds at a reservoir, where ions cross the boundary (Gouy–Chapman transient)")
    func reservoirCurrent() throws {
        let device = try DeviceLoader.load(example("gouy-chapman"), overrides: [
            #"protocol.segments[0].duration="100 ns""#, #"output.times=["48 ns", "50 ns", "52 ns"]"#, "solver.relative_tolerance=1e-7",
        ])
        let s = try samples(device)
        #expect(s.map(\.time) == device.config.output.times && device.config.output.times.count == 3)
        #expect(s[1].flux[1].allSatisfy { $0 != 0 } && s[1].flux[0] == [0, 0])
        checkCurrent(s, charges: [1, -1], tolerance: 2e-3)
    }

    @Test("a stack with hosts samples too, with the step-mean current")
    func hostStack() throws {
        let device = try makeDevice(symmetricStack, overrides: [#"output={"times": [0, "1 ms", "3 ms"]}"#])
        let s = try samples(device)
        #expect(s.map(\.time) == device.config.output.times && device.config.output.times.count == 3)
        #expect(s.allSatisfy { $0.currentIsStepMean })
        #expect(s[1].current[0].isFinite && s[0].current[0].isNaN)
        #expect(device.boundaryLabels == ["blocking", "blocking"])
    }
}
