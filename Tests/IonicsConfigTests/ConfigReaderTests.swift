import Foundation
import IonicsConfig
import IonicsUnits
import Testing

/// Reads `text` as a device config and returns the problems (empty when valid).
func problems(_ text: String) -> [ConfigProblem] {
    do {
        _ = try DeviceConfig.parse(text, source: "test.json")
        return []
    } catch let e as ConfigError {
        return e.problems
    } catch {
        return [ConfigProblem(path: "?", message: "\(error)")]
    }
}

let validConfig = """
    {
      "name": "demo",
      "temperature": "25 degC",
      "geometry": {"width": "500 um", "length": "100 um"},
      "mesh": {"cells": 30, "growth": 1.1},
      "layers": [
        {"name": "gate", "material": "PdHx", "thickness": "100 nm"},
        {"name": "electrolyte", "material": "nafion", "thickness": 1e-6, "mesh": {"max_cell": "20 nm", "smallest": "0.1 nm"}},
        {"name": "channel", "material": "WO3", "thickness": "50 nm", "mesh": {"cells": 25}}
      ]
    }
    """

@Suite("Config reading")
struct ConfigReaderTests {
    @Test("a valid config reads into SI units")
    func valid() throws {
        let c = try DeviceConfig.parse(validConfig, source: "demo.json")
        #expect(c.name == "demo")
        #expect(abs(c.temperature - 298.15) < 1e-12)
        #expect(abs(c.geometry!.area - 5e-8) < 1e-20)
        #expect(c.layers.map(\.name) == ["gate", "electrolyte", "channel"])
        #expect(abs(c.layers[0].thickness! - 1e-7) < 1e-20)
        #expect(c.layers[1].mesh.maxCell == 20e-9)
        #expect(c.layers[1].mesh.cells == nil)
        #expect(c.layers[1].mesh.growth == 1.1)
        #expect(c.layers[2].mesh.cells == 25)
        #expect(c.layers[0].mesh.cells == 30)
        #expect(c.sourceText == validConfig)
    }

    @Test("a value of the wrong dimension names its key path and what was expected")
    func wrongDimension() {
        let p = problems(validConfig.replacingOccurrences(of: "\"thickness\": 1e-6", with: "\"thickness\": \"50 mm/s\""))
        #expect(p.count == 1)
        #expect(p.first?.path == "layers[1].thickness")
        #expect(p.first?.message.hasPrefix("expected a length") == true)
        #expect(p.first?.description.contains("layers[1].thickness: expected a length") == true)
        #expect(p.first?.message.contains("\"50 mm/s\"") == true)
    }

    @Test("an unknown key is an error that suggests the nearest valid key")
    func unknownKey() {
        let p = problems(validConfig.replacingOccurrences(of: "\"thickness\": \"50 nm\"", with: "\"thicknes\": \"50 nm\""))
        #expect(p.contains { $0.path == "layers[2].thicknes" && $0.message.contains("did you mean \"thickness\"") })
        let q = problems(validConfig.replacingOccurrences(of: "\"temperature\"", with: "\"temprature\""))
        #expect(q.map(\.path) == ["temprature"])
        #expect(q.first?.message.contains("\"temperature\"") == true)
    }

    @Test("every problem is reported, not only the first")
    func allProblems() {
        let text = """
            {
              "name": 5,
              "temperature": "-300 K",
              "layers": [
                {"name": "a", "material": "x", "thickness": "-5 nm"},
                {"name": "a", "material": "y", "thickness": "5 V", "mesh": {"cells": 0, "growth": 7}},
                {"material": "z", "thickness": "1 nm", "colour": "red"}
              ]
            }
            """
        let p = problems(text)
        let paths = Set(p.map(\.path))
        #expect(paths.isSuperset(of: [
            "name", "temperature", "layers[0].thickness", "layers[1].name", "layers[1].thickness",
            "layers[1].mesh.cells", "layers[1].mesh.growth", "layers[2].name", "layers[2].colour",
        ]))
        #expect(p.first { $0.path == "layers[0].thickness" }?.message.contains("positive") == true)
        #expect(p.first { $0.path == "layers[1].name" }?.message.contains("duplicate") == true)
    }

    @Test("bad unit strings and wrong JSON types name the key")
    func badTypes() {
        let p = problems(validConfig.replacingOccurrences(of: "\"25 degC\"", with: "\"25 degrees\""))
        #expect(p.first?.path == "temperature")
        #expect(p.first?.message.contains("unknown unit") == true)
        let q = problems(validConfig.replacingOccurrences(of: "\"cells\": 25", with: "\"cells\": \"many\""))
        #expect(q.first?.path == "layers[2].mesh.cells")
        let r = problems(#"{"name": "x", "layers": {"a": 1}}"#)
        #expect(r.first?.path == "layers")
        #expect(r.first?.message.contains("expected an array") == true)
    }

    @Test("solver.chord_verification: on by default, false reads, a non-boolean names the key")
    func chordVerification() throws {
        let on = try DeviceConfig.parse(validConfig, source: "test.json")
        #expect(on.solver.chordVerification)
        let withSolver = { (v: String) in
            validConfig.replacingOccurrences(of: "\"name\": \"demo\",", with: "\"name\": \"demo\", \"solver\": {\"chord_verification\": \(v)},")
        }
        let off = try DeviceConfig.parse(withSolver("false"), source: "test.json")
        #expect(!off.solver.chordVerification)
        let bad = problems(withSolver("\"yes\""))
        #expect(bad.first?.path == "solver.chord_verification")
    }

    @Test("a temperature outside 1–2000 K is refused at its key (1e-300 K once reached the builder and overflowed the laws)")
    func temperatureRange() throws {
        let at = { (v: String) in
            validConfig.replacingOccurrences(of: "\"temperature\": \"25 degC\"", with: "\"temperature\": \"\(v)\"")
        }
        #expect(try DeviceConfig.parse(at("1 K"), source: "test.json").temperature == 1)
        for v in ["1e-300 K", "0.5 K", "0 K", "-300 degC", "2001 K"] {
            #expect(problems(at(v)).map(\.path) == ["temperature"], "\(v)")
        }
    }

    @Test("a syntax error is reported with its position")
    func syntax() {
        let p = problems("{\n \"name\": \"x\",\n}")
        #expect(p.count == 1)
        #expect(p.first?.position?.line == 3)
    }

    @Test("missing required keys are reported")
    func missing() {
        let p = problems("{}")
        #expect(Set(p.map(\.path)) == ["name", "layers"])
    }

    @Test("suggestions come from edit distance and stay plausible")
    func suggestions() {
        #expect(editDistance("kitten", "sitting") == 3)
        #expect(nearest("thicknes", among: ["thickness", "material"]) == "thickness")
        #expect(nearest("zzzzzz", among: ["thickness", "material"]) == nil)
    }
}
