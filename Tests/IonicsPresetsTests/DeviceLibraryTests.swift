import Foundation
import IonicsConfig
import IonicsDevice
import IonicsPresets
import IonicsTestSupport
import Testing

/// The review's Table 1 as presets: every row has one, it validates, and `ionics table`
/// reproduces the reported conductance range (and energy where Table 1's is consistent).
@Suite("Device library")
struct DeviceLibraryTests {
    static let references: Set<Int> = [66, 70, 73, 74, 75, 41, 83, 86, 87, 88, 92, 100, 101, 111, 113, 116]
    let folder = repositoryRoot() + "/configs/devices"

    @Test("every Table 1 row has a preset that validates, with reported values and provenance")
    func presets() throws {
        let paths = PresetTable.presets(in: folder)
        var seen: Set<Int> = []
        for path in paths {
            let device = try PresetTable.device(at: path)
            let config = device.config
            let reported = try #require(config.reported, "\(path): no reported block")
            #expect(Self.references.contains(reported.reference), "\(path): reference \(reported.reference) is not in Table 1")
            #expect(!seen.contains(reported.reference), "\(path): a second preset for reference \(reported.reference)")
            seen.insert(reported.reference)
            #expect(reported.gmax > reported.gmin && reported.gmin > 0)
            #expect(!reported.citation.isEmpty && !reported.pulse.isEmpty)
            #expect(config.provenance.count >= 3, "\(path): provenance is thin")
            // The file name carries the ion and the reference's first author and year.
            let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            let ion = reported.ion.lowercased().filter(\.isLetter)
            #expect(name.hasPrefix(ion + "-"), "\(name) should start with the ion \(ion)")
        }
        #expect(seen == Self.references, "missing: \(Self.references.subtracting(seen).sorted())")
    }

    /// Splits one CSV line (fields may be quoted, with "" for a quote).
    static func fields(_ line: String) -> [String] {
        var out: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(line)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                out.append(field)
                field = ""
            } else {
                field.append(c)
            }
            i += 1
        }
        out.append(field)
        chars.removeAll()
        return out
    }

    @Test("ionics table runs every preset and each meets the calibration bounds or says why it cannot")
    func table() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ionics-table-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let jobs = max(2, ProcessInfo.processInfo.activeProcessorCount)
        let result = try runIonics(["table", "--jobs", "\(jobs)", "-o", out])
        #expect(result.status == 0, "\(result.stderr.suffix(3000))")
        let csv = try String(contentsOfFile: out + "/table.csv", encoding: .utf8)
        let lines = csv.split(separator: "\n").map(String.init)
        let header = Self.fields(lines[0])
        let column = { (name: String) -> Int in header.firstIndex(of: name)! }
        let rows = lines.dropFirst().map(Self.fields)
        #expect(rows.count == Self.references.count)
        for row in rows {
            let name = row[column("device")]
            #expect(row[column("failure")].isEmpty, "\(name) failed: \(row[column("failure")])")
            let meets = row[column("meets_calibration")] == "true"
            let impossible = !row[column("impossible")].isEmpty
            #expect(meets || impossible, "\(name) is outside the bounds: \(row)")
            // Every device also has its HDF5 file.
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(name).h5"))
            // The bounds themselves, from the numbers in the row.
            if meets {
                let gmin = Double(row[column("gmin_simulated_S")])!, gminRep = Double(row[column("gmin_reported_S")])!
                let gmax = Double(row[column("gmax_simulated_S")])!, gmaxRep = Double(row[column("gmax_reported_S")])!
                #expect(abs(gmin - gminRep) <= 0.2 * gminRep && abs(gmax - gmaxRep) <= 0.2 * gmaxRep, "\(name)")
                if row[column("energy_consistent")] == "true" {
                    let pairs = [("energy_reported_J_per_m2", "energy_per_area_simulated_J_per_m2"), ("energy_reported_J", "energy_per_pulse_simulated_J")]
                    for (rep, sim) in pairs {
                        guard let e = Double(row[column(rep)]), let s = Double(row[column(sim)]) else { continue }
                        #expect(s / e <= 3 && e / s <= 3, "\(name): energy \(s) vs reported \(e)")
                    }
                }
            }
        }
        let markdown = try String(contentsOfFile: out + "/table.md", encoding: .utf8)
        #expect(markdown.contains("| ref |") && markdown.split(separator: "\n").count >= Self.references.count + 2)
    }

    @Test("ionics table refuses to replace an existing table or device file without --force, before running anything")
    func tableKeepsExistingOutput() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ionics-table-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try "mine\n".write(toFile: out + "/table.md", atomically: true, encoding: .utf8)
        let result = try runIonics(["table", "--only", "yao2020", "-o", out])
        #expect(result.status == 2)
        #expect(result.stderr.contains("table.md") && result.stderr.contains("--force"), "\(result.stderr)")
        #expect(try String(contentsOfFile: out + "/table.md", encoding: .utf8) == "mine\n")
        #expect(!FileManager.default.fileExists(atPath: out + "/h-wo3-nafion-yao2020.h5"))
    }
}

/// Records the first terminal's current at every accepted step.
final class CurrentRecorder: SimulationObserver {
    var samples: [(time: Double, current: Double)] = []
    func stepAccepted(_ step: StepSummary, state: [Double]) throws {
        if !step.reinitialisation { samples.append((step.time, step.terminals[0].current)) }
    }
}

@Suite("Purely ionic two-terminal cell (Hu 2021)")
struct IonicCellTests {
    @Test("a 1 mV spike gives a biphasic current, and the ion-mediated part grows along a train (A10/A1 ≈ 2)")
    func biphasic() throws {
        let device = try PresetTable.device(at: repositoryRoot() + "/configs/devices/na-pvanaac-mo-hu2021.json")
        let simulation = try Simulation(device: device)
        let recorder = CurrentRecorder()
        let outcomes = try simulation.run(observer: recorder)
        // First spike: 0 < t < 100 ms at +1 mV, then 500 ms at 0 V.
        let during = recorder.samples.filter { $0.time > 0.001 && $0.time < 0.1 }.map(\.current)
        let after = recorder.samples.filter { $0.time > 0.101 && $0.time < 0.6 }.map(\.current)
        #expect(!during.isEmpty && during.allSatisfy { $0 > 0 })
        #expect(!after.isEmpty && after.allSatisfy { $0 < 0 })
        let reads = outcomes[0].readings.map(\.conductance).filter(\.isFinite)
        #expect(reads.count == 10)
        #expect(zip(reads, reads.dropFirst()).allSatisfy { $1 > $0 })
        #expect(reads.last! / reads.first! > 1.6 && reads.last! / reads.first! < 2.5)
    }
}
