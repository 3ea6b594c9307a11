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

    @Test("every preset says what its energy integrates, which quantities are fitted and which predicted, and flags parameters far from its materials")
    func validationBlocks() throws {
        let library = MaterialLibrary(folders: [repositoryRoot() + "/configs/materials"])
        for path in PresetTable.presets(in: folder) {
            let device = try PresetTable.device(at: path)
            let config = device.config
            let r = try #require(config.reported)
            #expect(!r.fitted.isEmpty && !r.predicted.isEmpty, "\(config.name)")
            #expect(Set(r.fitted).isDisjoint(with: r.predicted), "\(config.name)")
            // Gmin, Gmax and the energy are each either fitted or predicted: nothing is left unsaid.
            for q in ["gmin", "gmax", "energy"] { #expect(r.fitted.contains(q) || r.predicted.contains(q), "\(config.name): \(q)") }
            #expect((config.provenance["energy_definition"] ?? "").hasPrefix(r.energyDefinition), "\(config.name)")
            let flags = try #require(config.provenance["flags"], "\(config.name): no flags entry")
            // A transport or kinetic override ≥ 10× away from its material's value must be flagged.
            for l in config.layers {
                // So must a conductivity_scale 10× or more from 1 (a material law read at a
                // tenth or ten times its values).
                if let scale = l.conductivityScale, scale >= 10 * (1 - 1e-9) || scale <= 0.1 * (1 + 1e-9) {
                    #expect(flags.contains("conductivity_scale") && flags.contains("outside"), "\(config.name): \(l.name).conductivity_scale \(scale) not flagged")
                }
                guard let m = library[l.material] else { continue }
                var material: [String: Double] = [:]
                if let d = m.species.map(\.diffusivity).max() { material["diffusivity"] = d }
                if case .constant(let d) = m.diffusivity, d > 0 { material["diffusivity"] = d }
                if let k = m.kinetics { material["exchange_current"] = k.exchangeCurrent }
                for (key, value) in l.overrides {
                    guard let base = material[key] else { continue }
                    let ratio = value / base
                    if ratio >= 10 * (1 - 1e-9) || ratio <= 0.1 * (1 + 1e-9) {
                        #expect(flags.contains(key) && flags.contains("outside"), "\(config.name): \(l.name).\(key) is ×\(ratio) its material's, not flagged")
                    }
                }
            }
            for i in config.interfaces {
                // The interface's kinetics are the host's.
                let pair = config.layers.filter { $0.name == i.first || $0.name == i.second }
                guard let i0 = i.exchangeCurrent,
                      let k = pair.compactMap({ library[$0.material] }).first(where: { $0.kind == .host })?.kinetics else { continue }
                let ratio = i0 / k.exchangeCurrent
                if ratio >= 10 * (1 - 1e-9) || ratio <= 0.1 * (1 + 1e-9) {
                    #expect(flags.contains("exchange_current"), "\(config.name): interface exchange current ×\(ratio), not flagged")
                }
            }
        }
    }

    @Test("ionics table: every preset runs; fitted quantities meet their bounds; energies, prediction errors and the fitted/predicted lists are what the rows' own numbers say")
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
        #expect(!header.contains("impossible"))
        for row in rows {
            let name = row[column("device")]
            let value = { (c: String) -> Double? in Double(row[column(c)]) }
            #expect(row[column("failure")].isEmpty, "\(name) failed: \(row[column("failure")])")
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(name).h5"))
            let preset = try PresetTable.device(at: folder + "/" + name + ".json").config
            let reported = try #require(preset.reported)
            let fitted = row[column("fitted")].split(separator: ";").map(String.init)
            let predicted = row[column("predicted")].split(separator: ";").map(String.init)
            #expect(fitted == reported.fitted && predicted == reported.predicted, "\(name)")
            // Fitted quantities within the calibration bounds (no exception, no skip).
            #expect(row[column("meets_calibration")] == "true", "\(name) misses its fitted quantities: \(row)")
            let gmin = try #require(value("gmin_simulated_S")), gminRep = try #require(value("gmin_reported_S"))
            let gmax = try #require(value("gmax_simulated_S")), gmaxRep = try #require(value("gmax_reported_S"))
            if fitted.contains("gmin") { #expect(abs(gmin - gminRep) <= 0.2 * gminRep, "\(name)") }
            if fitted.contains("gmax") { #expect(abs(gmax - gmaxRep) <= 0.2 * gmaxRep, "\(name)") }
            // Energies: total = gate + read, read ≥ 0, and the compared one is the paper's definition.
            let gate = try #require(value("gate_energy_per_pulse_J")), read = try #require(value("read_energy_per_pulse_J"))
            let total = try #require(value("total_energy_per_pulse_J"))
            #expect(gate > 0 && read >= 0 && abs(total - gate - read) <= 1e-12 * total, "\(name)")
            let shown = try #require(value("energy_simulated_as_reported"))
            let perArea = value("energy_reported_J") == nil
            let expected = reported.energyDefinition == "total"
                ? (perArea ? try #require(value("total_energy_per_area_J_per_m2")) : total)
                : (perArea ? try #require(value("energy_per_area_simulated_J_per_m2")) : gate)
            #expect(shown == expected, "\(name)")
            let reportedEnergy = value("energy_reported_J_per_m2") ?? value("energy_reported_J")
            if fitted.contains("energy") {
                let e = try #require(reportedEnergy, "\(name): a fitted energy needs a reported one")
                #expect(row[column("energy_consistent")] == "true" && shown / e <= 3 && e / shown <= 3, "\(name): energy \(shown) vs reported \(e)")
            }
            // Prediction errors: one per predicted quantity with a usable reported value, (sim − rep)/rep.
            var errors: [String: Double] = [:]
            for pair in row[column("prediction_errors")].split(separator: ";") {
                let kv = pair.split(separator: ":")
                errors[String(kv[0])] = Double(kv[1])
            }
            #expect(Set(errors.keys).isSubset(of: Set(predicted)), "\(name)")
            if predicted.contains("gmax") { #expect(abs(try #require(errors["gmax"]) - (gmax - gmaxRep) / gmaxRep) < 1e-9, "\(name)") }
            if predicted.contains("energy"), row[column("energy_consistent")] == "true", let e = reportedEnergy {
                #expect(abs(try #require(errors["energy"]) - (shown - e) / e) < 1e-9, "\(name)")
            } else {
                #expect(errors["energy"] == nil, "\(name)")
            }
        }
        let markdown = try String(contentsOfFile: out + "/table.md", encoding: .utf8)
        #expect(markdown.contains("| fitted | predicted (error) |") && markdown.split(separator: "\n").count >= Self.references.count + 2)
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
