import Foundation
import IonicsExport
import IonicsTestSupport
import Testing

@Suite("ionics export on a real run", .serialized)
struct ExportCommandTests {
    @Test("a short default run exports to every format; each replays the simulated branches within 1 % of the range")
    func shortRun() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let run = dir.file("short.h5")
        let r = try runIonics(["run", "configs/default.json", "-o", run, "--set", "protocol.pulses=8"])
        try #require(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("potentiation: ν = N/A = "), "the summary names the nonlinearity in words: \(r.stdout)")
        #expect(r.stdout.contains("NeuroSim A = "))
        let b = try PulseBranches.read(runFile: run)
        #expect(b.potentiation.count == 9 && b.depression.count == 9)
        let range = b.gMax - b.gMin
        #expect(range > 0)

        let out = try runIonics(["export", "aihwkit", run, "-o", dir.file("aihwkit")])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("replay error"))
        let doc = try readJSON(dir.file("aihwkit/aihwkit_device.json"))
        let raises = b.potentiation.last! > b.potentiation.first!
        let eA = max(
            maxError(try aihwkitReplay(doc, from: b.potentiation[0], pulses: 8, up: raises), b.potentiation, range: range),
            maxError(try aihwkitReplay(doc, from: b.depression[0], pulses: 8, up: !raises), b.depression, range: range))
        #expect(eA < 0.01, "aihwkit replay error \(eA)")

        #expect(try runIonics(["export", "crosssim", run, "-o", dir.file("crosssim")]).status == 0)
        let inc = raises ? b.potentiation : b.depression
        let dec = raises ? b.depression : b.potentiation
        let eC = max(
            maxError(tableReplay(try readCSV(dir.file("crosssim/dG_increasing.csv")), from: inc[0], pulses: 8, lo: b.gMin, hi: b.gMax), inc, range: range),
            maxError(tableReplay(try readCSV(dir.file("crosssim/dG_decreasing.csv")), from: dec[0], pulses: 8, lo: b.gMin, hi: b.gMax), dec, range: range))
        #expect(eC < 0.01, "CrossSim replay error \(eC)")

        #expect(try runIonics(["export", "neurosim", run, "-o", dir.file("neurosim")]).status == 0)
        let ns = try readJSON(dir.file("neurosim/neurosim_device.json"))
        let ltp = try #require(ns["LTP"] as? [String: Any])
        #expect((ltp["write_pulse_width_s"] as? Double).map { abs($0 - 5e-3) < 1e-9 } == true, "the default device's pulses are 5 ms")
        #expect((ltp["write_energy_per_pulse_J"] as? Double).map { $0 > 0 } == true)

        // Never overwrite without --force; unknown formats are refused.
        let again = try runIonics(["export", "neurosim", run, "-o", dir.file("neurosim")])
        #expect(again.status != 0 && again.stderr.contains("exists"))
        #expect(try runIonics(["export", "neurosim", run, "-o", dir.file("neurosim"), "--force"]).status == 0)
        let bogus = try runIonics(["export", "spice", run])
        #expect(bogus.status != 0 && bogus.stderr.contains("aihwkit"))
    }
}
