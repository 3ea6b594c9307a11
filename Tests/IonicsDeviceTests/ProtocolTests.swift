import Foundation
import IonicsConfig
import IonicsDevice
import Testing

@Suite("Named protocols")
struct ProtocolTests {
    /// The default device with a shorter channel diffusion time for quick sweeps.
    func device(_ protocolJSON: String) throws -> Device {
        try makeDevice(try defaultConfigText(), overrides: ["protocol=" + protocolJSON])
    }

    @Test("every named protocol expands and runs; sweeps give one response per point")
    func sweeps() throws {
        let pulse = #"{"current": "0.5 uA", "width": "2 ms"}"#
        let cases: [(String, Int)] = [
            (#"{"type": "ppf", "terminal": "gate", "pulse": \#(pulse), "intervals": ["1 ms", "3 ms", "10 ms", "30 ms"]}"#, 4),
            (#"{"type": "stdp", "pre": "gate", "post": "source", "pre_spike": {"voltage": "0.2 V", "width": "2 ms"}, "post_spike": {"voltage": "-0.2 V", "width": "2 ms"}, "delays": ["-4 ms", "-1 ms", "1 ms", "4 ms"], "rest": {"voltage": "0 V"}, "settle": "2 ms"}"#, 4),
            (#"{"type": "srdp", "terminal": "gate", "pulse": \#(pulse), "pulses": 3, "interval": "2 ms", "rates": ["50 Hz", "200 Hz"]}"#, 2),
            (#"{"type": "svdp", "terminal": "gate", "pulse": \#(pulse), "pulses": 2, "interval": "2 ms", "amplitudes": ["0.2 uA", "0.5 uA", "1 uA"]}"#, 3),
            (#"{"type": "sndp", "terminal": "gate", "pulse": \#(pulse), "interval": "2 ms", "counts": [1, 3, 6]}"#, 3),
            (#"{"type": "swdp", "terminal": "gate", "pulse": \#(pulse), "pulses": 2, "interval": "2 ms", "widths": ["1 ms", "2 ms", "4 ms"]}"#, 3),
        ]
        for (json, points) in cases {
            let d = try device(json)
            let sim = try Simulation(device: d)
            #expect(sim.schedule.experiments.count == points, "\(json)")
            let outcomes = try sim.run()
            let m = SynapticMetrics.compute(type: sim.schedule.type, outcomes: outcomes, area: d.area, ionCharge: 1)
            #expect(m.sweep.count == points, "\(sim.schedule.type): \(m.sweep)")
            #expect(m.sweep.allSatisfy { $0.response.isFinite })
        }
    }

    @Test("SVDP, SWDP and SNDP responses grow with amplitude, width and number")
    func monotoneSweeps() throws {
        let pulse = #"{"current": "0.5 uA", "width": "2 ms"}"#
        for json in [
            #"{"type": "svdp", "terminal": "gate", "pulse": \#(pulse), "pulses": 2, "interval": "2 ms", "amplitudes": ["0.2 uA", "0.5 uA", "1 uA"]}"#,
            #"{"type": "swdp", "terminal": "gate", "pulse": \#(pulse), "pulses": 2, "interval": "2 ms", "widths": ["1 ms", "2 ms", "4 ms"]}"#,
            #"{"type": "sndp", "terminal": "gate", "pulse": \#(pulse), "interval": "2 ms", "counts": [1, 3, 6]}"#,
        ] {
            let d = try device(json)
            let sim = try Simulation(device: d)
            let m = SynapticMetrics.compute(type: sim.schedule.type, outcomes: try sim.run(), area: d.area, ionCharge: 1)
            let r = m.sweep.map(\.response)
            #expect(zip(r, r.dropFirst()).allSatisfy { $0 < $1 }, "\(sim.schedule.type): \(r)")
            #expect(r[0] > 0)
        }
    }

    @Test("explicit segments and retention schedules have the durations and reads asked for")
    func schedules() throws {
        let seg = ProtocolConfig.segments([
            SegmentConfig(duration: 1e-3, terminals: ["gate": .voltage(0.1)], read: true, label: "a"),
            SegmentConfig(duration: 2e-3, terminals: [:], read: false, label: "b"),
        ])
        let s = Schedule.make(seg, terminals: ["gate", "source"])
        #expect(s.experiments.count == 1 && abs(s.totalDuration - 3e-3) < 1e-15)
        #expect(s.experiments[0].segments.map(\.read) == [true, false])
        let d = try device(#"{"type": "retention", "terminal": "gate", "pulse": {"current": "0.5 uA", "width": "1 ms"}, "pulses": 2, "interval": "1 ms", "settle": "0 s", "duration": "1 s", "reads": 5}"#)
        let sched = Schedule.make(d.config.protocolConfig!, terminals: d.terminalNames)
        let reads = sched.experiments[0].segments.filter { $0.label == "retention" }
        #expect(reads.count == 5)
        #expect(abs(reads.map(\.duration).reduce(0, +) - 1) < 1e-12)
    }

    @Test("STDP spikes of several levels: each segment holds the level each spike has then")
    func multiLevelSpikes() throws {
        let spike = [PulseConfig(control: .voltage(0.3), width: 2e-3), PulseConfig(control: .voltage(-0.1), width: 4e-3)]
        let p = ProtocolConfig.stdp(pre: "gate", post: "source", preSpike: spike, postSpike: spike, delays: [3e-3, -3e-3],
                                    rest: .voltage(0), settle: 1e-3)
        let s = Schedule.make(p, terminals: ["gate", "source"])
        // Δt = +3 ms: edges at 0, 2, 3, 5, 6, 9 ms, then the settle.
        let seg = s.experiments[0].segments
        #expect(seg.map(\.duration).dropLast().map { ($0 * 1e4).rounded() / 10 } == [2, 1, 2, 1, 3])
        func volts(_ c: ControlConfig?) -> Double? { if case .voltage(let v) = c { return v }; return nil }
        #expect(seg.dropLast().map { volts($0.controls[0]) } == [0.3, -0.1, -0.1, -0.1, 0])
        #expect(seg.dropLast().map { volts($0.controls[1]) } == [0, 0, 0.3, -0.1, -0.1])
        // Δt = −3 ms: the post spike leads by 3 ms.
        let back = s.experiments[1].segments
        #expect(volts(back[0].controls[1]) == 0.3 && volts(back[0].controls[0]) == 0)
        #expect(abs(back.map(\.duration).reduce(0, +) - 10e-3) < 1e-12)
    }
}
