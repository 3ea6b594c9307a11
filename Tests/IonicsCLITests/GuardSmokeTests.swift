import Foundation
import IonicsTestSupport
import Testing

/// The inputs of issue 11 that crashed, hung or were accepted, through the release
/// binary: each ends in exit 0 or a clear error naming its key, in validate and run.
@Suite("ionics: the worst inputs end cleanly", .serialized)
struct GuardSmokeTests {
    static let cases: [(set: String, key: String?)] = [
        (#"layers[1].thickness="1e9 m""#, nil),
        (#"layers[1]={"name":"m","material":"Au"}"#, "layers[1].material"),
        (#"layers[1].mesh={"max_cell":"1e-15 m"}"#, "layers[1].mesh.max_cell"),
        ("protocol.pulses=1000000000000", "protocol.pulses"),
        (#"solver.maximum_step="1e-15 s""#, "solver.maximum_step"),
        (#"protocol.interval="-5 ms""#, "protocol.interval"),
        (#"interfaces[0].between=["electrolyte","chanel"]"#, "interfaces[0].between[1]"),
        (#"terminals.source.initial="open""#, "terminals"),
        (#"name="../outside""#, "name"),
        // Found by the fuzzer: two unknown terminals in one segment trapped on a duplicate key.
        (#"protocol={"type":"segments","segments":[{"duration":"1 ms","terminals":{"x":"open","y":"open"}}]}"#, "protocol"),
        // Found by the fuzzer: faces that vanish at the layer's thickness failed a precondition.
        (#"layers[1].mesh={"grading":"tanh","cells":100000,"stretch":30}"#, "layers[1].mesh.stretch"),
        (#"protocol={"type":"stdp","pre":"gate","post":"gate","pre_spike":{"voltage":"1 V","width":"1 ms"},"post_spike":{"voltage":"1 V","width":"1 ms"},"delays":["1 ms"]}"#, "protocol.post"),
    ]

    @Test("validate and run: exit 0 or 1 with the key path, never a crash", arguments: 0..<cases.count)
    func worst(_ k: Int) throws {
        let c = Self.cases[k]
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        for command in ["validate", "run"] {
            var args = [command, "configs/default.json", "--set", c.set]
            if command == "run" { args += ["-o", dir.file("r.h5"), "--force", "--max-steps", "50"] }
            let r = try runIonics(args)
            #expect(r.status == 0 || r.status == 1, "\(command) --set \(c.set): status \(r.status)\n\(r.stderr.suffix(1500))")
            #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Program crashed"))
            if let key = c.key {
                #expect(r.status == 1)
                #expect(r.stderr.contains("  \(key): "), "\(command) --set \(c.set): \(r.stderr)")
            }
        }
    }

    @Test("--set errors point at the user's file: line and column of the file, or the --set itself")
    func setPositions() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        var text = try String(contentsOfFile: repositoryRoot() + "/configs/default.json", encoding: .utf8)
        text = text.replacingOccurrences(of: #""thickness": "1 um""#, with: #""thickness": "1 um/s""#)
        let path = dir.file("c.json")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try runIonics(["validate", path, "--set", "protocol.pulses=3", "--set", #"temperature="hot""#])
        #expect(r.status == 1)
        #expect(r.stderr.contains("layers[1].thickness") && r.stderr.contains("(line 21, column 7)"), "\(r.stderr)")
        #expect(r.stderr.contains(#"temperature: "#) && r.stderr.contains(#"(from --set temperature="hot")"#))
    }

    @Test("materials: --materials DIR and $IONICS_MATERIALS find them for a config kept elsewhere; the error says how")
    func materialsPath() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("default.json")
        try FileManager.default.copyItem(atPath: repositoryRoot() + "/configs/default.json", toPath: path)
        let materials = repositoryRoot() + "/configs/materials"
        let missing = try runIonics(["validate", path], in: dir.path)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("--materials DIR") && missing.stderr.contains("IONICS_MATERIALS"))
        #expect(try runIonics(["validate", path, "--materials", materials], in: dir.path).status == 0)
        #expect(try runIonics(["validate", path], in: dir.path, environment: ["IONICS_MATERIALS": "/nonexistent:" + materials]).status == 0)
    }

    @Test("docs/cli.md documents every exit code the tool uses")
    func exitCodesDocumented() throws {
        let text = try String(contentsOfFile: repositoryRoot() + "/docs/cli.md", encoding: .utf8)
        #expect(text.contains("## Exit codes"))
        for code in ["0", "1", "2", "3", "64", "130", "143"] { #expect(text.contains("\n| \(code) |"), "exit code \(code)") }
    }

    @Test("resource limits are options: a tight --max-cells refuses the default config, naming the key")
    func limitOptions() throws {
        let r = try runIonics(["validate", "configs/default.json", "--max-cells", "10"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("limit of 10 (--max-cells)"))
        let bad = try runIonics(["validate", "configs/default.json", "--max-memory", "lots"])
        #expect(bad.status == 64)
    }
}
