import Foundation
import IonicsHDF5
import IonicsTestSupport
import Testing

/// Dataset paths listed in docs/output.md (first column of the dataset table).
/// `twoDOnly`: the rows docs/output.md marks "2D only" instead of the others.
func documentedDatasets(twoDOnly: Bool = false) throws -> [String] {
    let text = try String(contentsOfFile: repositoryRoot() + "/docs/output.md", encoding: .utf8)
    var paths: [String] = []
    var inTable = false
    for line in text.split(separator: "\n") {
        if line.hasPrefix("| path |") { inTable = true; continue }
        if inTable && !line.hasPrefix("|") { inTable = false }
        guard inTable, line.hasPrefix("| `"), line.contains("2D only") == twoDOnly else { continue }
        let cell = line.split(separator: "|")[0]
        for part in cell.components(separatedBy: "`") where part.contains("/") { paths.append(part) }
    }
    return paths
}

@Suite("ionics run", .serialized)
struct RunCommandTests {
    @Test("the default run: G rises then falls, energy is positive, charge balances, every documented dataset exists")
    func defaultRun() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let out = dir.file("default.h5")
        let r = try runIonics(["run", "configs/default.json", "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Gmin") && r.stdout.contains("energy/pulse"))
        let root = try HDF5File.open(at: out).root()
        #expect(try root.stringAttribute("status") == "completed")
        #expect(try root.stringAttribute("config").contains("h-wo3-nafion-yao2020"))
        // Every dataset of docs/output.md.
        let species = try root.attribute("species")
        let terminals = try root.attribute("terminals")
        guard case .strings(let sp) = species, case .strings(let ts) = terminals else {
            Issue.record("species/terminals attributes missing")
            return
        }
        let documented = try documentedDatasets()
        #expect(documented.count > 40)
        for path in documented {
            let concrete = path.contains("<species>") ? sp.map { path.replacingOccurrences(of: "<species>", with: $0) }
                : path.contains("<name>") ? ts.map { path.replacingOccurrences(of: "<name>", with: $0) } : [path]
            for p in concrete { #expect((try? root.openDataset(p)) != nil, "missing dataset \(p)") }
        }
        for key in ["gmin", "gmax", "energy_per_pulse", "nonlinearity_potentiation_A", "faradaic_efficiency"] {
            #expect((try? root.openGroup("metrics").doubleAttribute(key)) != nil, "missing metric \(key)")
        }
        // LTP then LTD: 50 + 50 pulses, monotone.
        let kind = try root.read("pulses/kind").values
        let after = try root.read("pulses/conductance_after").values
        let before = try root.read("pulses/conductance_before").values
        #expect(kind.count == 100)
        for i in 0..<100 {
            if kind[i] == 0 { #expect(after[i] > before[i], "pulse \(i) did not potentiate") }
            if kind[i] == 1 { #expect(after[i] < before[i], "pulse \(i) did not depress") }
        }
        // Energy per pulse positive.
        let write = try root.read("pulses/write_energy").values
        #expect(write.allSatisfy { $0 > 0 })
        #expect(try root.openGroup("metrics").doubleAttribute("energy_per_pulse") > 0)
        // Charge balance: gate charge = F·(channel ions) − Δ(source electrode charge),
        // from the per-step terminal series over the whole run.
        let gate = try root.read("terminals/gate/cumulative_charge").values.last!
        let source = try root.read("terminals/source/cumulative_charge").values.last!
        #expect(abs(gate + source) / abs(try root.read("pulses/charge").values.map(abs).reduce(0, +)) < 1e-6,
                "gate and source charges must cancel (1D current conservation)")
        let ions = try root.read("pulses/channel_ions").values
        let charge = try root.read("pulses/charge").values
        for (n, q) in zip(ions, charge) { #expect(abs(96485.33212 * n / q - 1) < 0.01) }
    }

    @Test("an existing output is not overwritten without --force")
    func noOverwrite() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let out = dir.file("keep.h5")
        try "precious".write(toFile: out, atomically: true, encoding: .utf8)
        let r = try runIonics(["run", "configs/default.json", "-o", out, "--set", "protocol.pulses=1"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--force"))
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "precious")
    }

    @Test("a failing run keeps its results, marked as failed, and exits non-zero")
    func failure() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let out = dir.file("failed.h5")
        // A minimum step larger than the steps the pulse edges need makes the solver give up.
        let r = try runIonics(["run", "configs/default.json", "-o", out, "--set", "protocol.pulses=2",
                               "--set", "solver.minimum_step=\"1 ms\"", "--set", "solver.initial_step=\"1 ms\""])
        #expect(r.status != 0)
        #expect(r.stderr.contains("failed"))
        let root = try HDF5File.open(at: out).root()
        #expect(try root.stringAttribute("status") == "failed")
        #expect(!(try root.stringAttribute("failure")).isEmpty)
        #expect(try root.read("series/time").shape[0] > 0)
    }

    @Test("--set overrides config values; a bad override names its key")
    func overrides() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let r = try runIonics(["validate", "configs/default.json", "--set", "layers[1].thickness=\"50 mm/s\""])
        #expect(r.status == 1)
        #expect(r.stderr.contains("layers[1].thickness: expected a length"))
        let ok = try runIonics(["run", "configs/default.json", "-o", dir.file("short.h5"), "--set", "protocol.pulses=2"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("4 pulses"))
    }

    @Test("materials list and show print the values and their provenance")
    func materials() throws {
        let list = try runIonics(["materials", "list"])
        #expect(list.status == 0)
        for name in ["WO3", "nafion", "PdHx"] { #expect(list.stdout.contains(name)) }
        let show = try runIonics(["materials", "show", "WO3"])
        #expect(show.status == 0)
        #expect(show.stdout.contains("provenance:"))
        #expect(show.stdout.contains("Vértes"))
        let bad = try runIonics(["materials", "show", "WO4"])
        #expect(bad.status != 0 && bad.stderr.contains("did you mean \"WO3\""))
    }

    @Test("ionics plasticity: a summary line and HDF5, clear errors for unknown behaviours, devices without one, bad temperatures")
    func plasticity() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let ok = try runIonics(["plasticity", "na-mos2-sio2na-wang2021", "stp", "-o", dir.file("stp.h5")])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.hasPrefix("STP: G0"))
        #expect(FileManager.default.fileExists(atPath: dir.file("stp.h5")))
        let unknown = try runIonics(["plasticity", "na-mos2-sio2na-wang2021", "ltd"])
        #expect(unknown.status != 0 && unknown.stderr.contains("unknown behaviour \"ltd\""))
        let none = try runIonics(["plasticity", "na-pvanaac-mo-hu2021", "stdp"])
        #expect(none.status != 0 && none.stderr.contains("has no \"stdp\" protocol"))
        // --set reaches the behaviour's protocol (Wang's STP is {protocol, temperature}).
        let set = try runIonics(["plasticity", "na-mos2-sio2na-wang2021", "stp", "--set", "plasticity.stp.pulse.voltage=\"1 V\""])
        #expect(set.status == 1 && set.stderr.contains("plasticity.stp.pulse: unknown key \"pulse\"; valid keys: protocol, temperature"), "\(set.stderr)")
        let hot = try runIonics(["plasticity", "na-mos2-sio2na-wang2021", "stp", "--temperature", "350 m"])
        #expect(hot.status != 0 && hot.stderr.contains("--temperature"))
        // A temperature the laws cannot take is refused at `temperature`, not a trap (exit 1).
        for t in ["-5 K", "1e-300 K", "3000 K"] {
            let bad = try runIonics(["plasticity", "na-mos2-sio2na-wang2021", "ltp", "--temperature=\(t)", "-o", dir.file("bad.h5")])
            #expect(bad.status == 1 && bad.stderr.contains("temperature: must be between 1 and 2000 K"), "\(t): \(bad.status) \(bad.stderr.suffix(500))")
        }
    }
}
