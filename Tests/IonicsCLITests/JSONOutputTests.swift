import Foundation
import IonicsTestSupport
import Testing

/// Parses a command's whole stdout as one JSON object and checks its `schema` member.
func jsonDocument(_ r: CommandResult, schema: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
    let document = try #require(object as? [String: Any], "stdout is not a JSON object: \(r.stdout.prefix(200))")
    let s = try #require(document["schema"] as? [String: Any], "no schema member")
    #expect(s["name"] as? String == schema)
    #expect(s["version"] as? Int == 1)
    return document
}

/// The keys of the documented `metrics` object (docs/cli.md).
let metricKeys = [
    "gmin", "gmax", "ratio", "nonlinearity_potentiation_A", "nonlinearity_potentiation_A_over_N", "nonlinearity_depression_A",
    "nonlinearity_depression_A_over_N", "asymmetric_nonlinearity", "states", "charge_per_pulse", "energy_per_pulse",
    "net_energy_per_pulse", "energy_per_area", "coulombic_efficiency", "faradaic_efficiency", "retention_drift",
]

@Suite("--json output", .serialized)
struct JSONOutputTests {
    @Test("run --json: the documented members, the run file and its XDMF, and nothing else on stdout")
    func run() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let out = dir.file("r.h5")
        let r = try runIonics(["run", "configs/default.json", "-o", out, "--set", "protocol.pulses=2", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let d = try jsonDocument(r, schema: "ionics.run")
        #expect(d["status"] as? String == "completed")
        #expect(d["failure"] is NSNull)
        #expect(d["output"] as? String == out)
        #expect(d["xdmf"] as? String == dir.file("r.xmf"))
        #expect(FileManager.default.fileExists(atPath: dir.file("r.xmf")))
        let device = try #require(d["device"] as? [String: Any])
        #expect(device["terminals"] as? [String] == ["gate", "source"])
        #expect(device["dimension"] as? Int == 1)
        let proto = try #require(d["protocol"] as? [String: Any])
        #expect(proto["pulses"] as? Int == 4)
        let metrics = try #require(d["metrics"] as? [String: Any])
        for key in metricKeys { #expect(metrics[key] != nil, "metrics.\(key) missing") }
        #expect((metrics["gmax"] as? Double ?? 0) > (metrics["gmin"] as? Double ?? 1))
        let solver = try #require(d["solver"] as? [String: Any])
        #expect((solver["steps"] as? Int ?? 0) > 0)
    }

    @Test("validate --json: valid configs describe the device; bad ones list every problem and exit 1")
    func validate() throws {
        let ok = try runIonics(["validate", "configs/default.json", "--json"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let d = try jsonDocument(ok, schema: "ionics.validate")
        #expect(d["valid"] as? Bool == true)
        #expect((d["problems"] as? [Any])?.isEmpty == true)
        let device = try #require(d["device"] as? [String: Any])
        #expect((device["layers"] as? [[String: Any]])?.map { $0["material"] as? String } == ["PdHx", "nafion", "WO3"])
        #expect((device["cells"] as? Int ?? 0) > 10)

        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let bad = dir.file("bad.json")
        try #"{"name": "x", "temprature": 300, "layers": [{"name": "a", "material": "m", "thickness": "-1 nm"}]}"#
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let r = try runIonics(["validate", bad, "--json"])
        #expect(r.status == 1)
        let b = try jsonDocument(r, schema: "ionics.validate")
        #expect(b["valid"] as? Bool == false)
        #expect(b["device"] is NSNull)
        let problems = try #require(b["problems"] as? [[String: Any]])
        #expect(problems.count >= 2)
        #expect(problems.contains { $0["path"] as? String == "layers[0].thickness" })
        #expect(problems.allSatisfy { $0["message"] is String })
    }

    @Test("inspect --json: groups, datasets with shape, type, dimensions and attributes")
    func inspect() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let out = dir.file("i.h5")
        #expect(try runIonics(["run", "configs/default.json", "-o", out, "--set", "protocol.pulses=1"]).status == 0)
        let r = try runIonics(["inspect", out, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let d = try jsonDocument(r, schema: "ionics.inspect")
        let root = try #require(d["root"] as? [String: Any])
        #expect((root["attributes"] as? [String: Any])?["schema_version"] as? String == "2.4")
        let groups = try #require(root["groups"] as? [[String: Any]])
        let fields = try #require(groups.first { $0["path"] as? String == "/fields" })
        let potential = try #require((fields["datasets"] as? [[String: Any]])?.first { $0["name"] as? String == "potential" })
        #expect(potential["dimensions"] as? [String] == ["time", "y"])
        #expect(potential["type"] as? String == "float")
        #expect((potential["attributes"] as? [String: Any])?["units"] as? String == "V")
        #expect((potential["shape"] as? [Int])?.last == 126)
        let pulses = try #require(groups.first { $0["path"] as? String == "/pulses" })
        let kind = try #require((pulses["datasets"] as? [[String: Any]])?.first { $0["name"] as? String == "kind" })
        #expect(kind["type"] as? String == "integer")
        #expect(kind["dimensions"] as? [String] == ["pulse"])
    }

    @Test("verify --json: one row per checked quantity with its threshold and verdict")
    func verify() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let r = try runIonics(["verify", "--quick", "--only", "bernoulli", "-o", dir.file("v.h5"), "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let d = try jsonDocument(r, schema: "ionics.verify")
        #expect(d["passed"] as? Bool == true)
        #expect((d["errors"] as? [Any])?.isEmpty == true)
        let rows = try #require(d["rows"] as? [[String: Any]])
        #expect(!rows.isEmpty)
        for row in rows {
            for key in ["case", "quantity", "kind", "value", "threshold", "comparison", "passed"] {
                #expect(row[key] != nil, "row member \(key) missing")
            }
            #expect(["at_most", "at_least"].contains(row["comparison"] as? String ?? ""))
        }
    }

    @Test("table --json: one preset entry with reported and simulated values")
    func table() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let r = try runIonics(["table", "--only", "yao2020", "-o", dir.path, "--jobs", "1", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let d = try jsonDocument(r, schema: "ionics.table")
        #expect(d["count"] as? Int == 1)
        #expect(d["failed"] as? Int == 0)
        let presets = try #require(d["presets"] as? [[String: Any]])
        #expect(presets.count == 1)
        let p = try #require(presets.first)
        #expect(p["name"] as? String == "h-wo3-nafion-yao2020")
        #expect(p["failure"] is NSNull)
        let reported = try #require(p["reported"] as? [String: Any])
        #expect((reported["gmax"] as? Double ?? 0) > 0)
        let metrics = try #require(p["metrics"] as? [String: Any])
        for key in metricKeys { #expect(metrics[key] != nil, "metrics.\(key) missing") }
        #expect(FileManager.default.fileExists(atPath: dir.file("table.md")))
    }
}
