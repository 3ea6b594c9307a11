import Foundation
import IonicsBatch
import IonicsConfig
import Testing

/// The problems of a sweep file that does not parse, as "path: message" lines.
func problems(_ text: String) -> [String] {
    do {
        _ = try SweepSpec.parse(text, source: "test.json")
        return []
    } catch let e as ConfigError {
        return e.problems.map(\.description)
    } catch {
        return ["\(error)"]
    }
}

@Suite("Sweep files: reading, ranges and errors that name the key")
struct SweepSpecTests {
    @Test("values, linear and log axes: the log range is 50·10^(i/3) nm, the ends exact, units kept")
    func ranges() throws {
        let spec = try SweepSpec.parse("""
            {"base": "default.json", "set": {"protocol.pulses": 2},
             "axes": [{"path": "layers[1].thickness", "log": {"from": "50 nm", "to": "500 nm", "count": 4}},
                      {"path": "protocol.potentiation.current", "linear": {"from": "0.25 uA", "to": "1 uA", "count": 4}},
                      {"path": "readout.mode", "values": ["lateral", "vertical"], "name": "mode"}]}
            """, source: "t.json")
        #expect(spec.fixed == [Assignment(path: "protocol.pulses", value: .number(2))])
        #expect(spec.axes.map(\.name) == ["layers_1_thickness", "protocol_potentiation_current", "mode"])
        #expect(spec.pointCount == 32)
        let thickness = spec.axes[0].coordinates[0]
        #expect(thickness.units == "m")
        let expected = (0..<4).map { 50e-9 * pow(10, Double($0) / 3) }
        for (x, e) in zip(try #require(thickness.numbers), expected) { #expect(abs(x / e - 1) < 1e-11) }
        #expect(spec.axes[0].values.first == [.string("5e-08 m")])
        #expect(spec.axes[0].values.last == [.string("5e-07 m")])
        let current = try #require(spec.axes[1].coordinates[0].numbers)
        #expect(current == [2.5e-7, 5e-7, 7.5e-7, 1e-6])
        #expect(spec.axes[1].coordinates[0].units == "A")
        #expect(spec.axes[2].coordinates[0].labels == ["lateral", "vertical"])
    }

    @Test("every bad key is reported at once, each with its path")
    func errors() {
        let found = problems("""
            {"base": "d.json", "colour": 1,
             "axes": [{"path": "layers[1].thickness", "values": ["1 um"]},
                      {"path": "layers[2].thickness", "log": {"from": "50 nm", "to": "500 nm", "count": -2}},
                      {"path": "layers[1].thickness", "values": [1, 2]},
                      {"path": "a.b", "linear": {"from": "1 V", "to": "2 A", "count": 3}},
                      {"zip": [{"path": "x", "values": [1, 2]}, {"path": "y", "values": [1]}]},
                      {"path": "p", "values": []},
                      {"path": "q", "log": {"from": "-1 V", "to": "2 V", "count": 3}},
                      {"path": "r..s", "values": [1]},
                      {"sample": {"method": "lhs", "count": 4, "parameters": [{"path": "t", "from": 0, "to": 1}]}}]}
            """)
        let expected = [
            "colour: unknown key",
            "axes[1].log.count: expected a positive integer, got -2",
            "axes[2].path: layers[1].thickness is already varied by axes[0]",
            "axes[3].linear.to: is in A, from is in V",
            "axes[4].zip[1]: has 1 values, axes[4].zip[0] has 2",
            "axes[5].values: needs at least one value",
            "axes[6].log: from and to of a log range must be non-zero and of the same sign",
            "axes[7].path: \"r..s\": empty key before \".\"",
            "axes[8].sample.seed: missing",
        ]
        for e in expected { #expect(found.contains { $0.hasPrefix(e) }, "missing \"\(e)\" in \(found)") }
        #expect(problems("{\"axes\": [{\"path\": \"x\", \"values\": [1]}]}").contains { $0.hasPrefix("base: missing") })
        #expect(problems("{\"base\": \"b\", \"axes\": []}").contains { $0.hasPrefix("axes: needs at least one axis") })
        #expect(problems("{\"base\": \"b\", \"axes\": [{\"path\": \"x\", \"values\": [1, 1]}]}").contains { $0.hasPrefix("axes[0].values: lists a value twice") })
        #expect(problems("{\"base\": \"b\", \"axes\": [{\"path\": \"x\", \"values\": [1], \"name\": \"gmin\"}]}").contains { $0.hasPrefix("axes[0]: the name \"gmin\"") })
    }

    @Test("a sweep larger than the limit is refused before enumeration")
    func tooLarge() {
        let axis = "{\"path\": \"p%d\", \"linear\": {\"from\": 0, \"to\": 1, \"count\": 1000}}"
        let text = "{\"base\": \"b\", \"axes\": [" + (0..<3).map { String(format: axis, $0) }.joined(separator: ",") + "]}"
        // The product is checked after each axis: the axis that goes over the limit is named.
        #expect(problems(text).contains { $0.hasPrefix("axes[2]: makes the sweep 1000000000 points") }, "\(problems(text))")
    }

    @Test("an explicit point list (ragged) and a zip: one dimension each, several coordinates on it")
    func multiPath() throws {
        let spec = try SweepSpec.parse("""
            {"base": "b.json",
             "axes": [{"zip": [{"path": "protocol.potentiation.current", "values": ["0.5 uA", "1 uA"]},
                               {"path": "protocol.depression.current", "values": ["-0.5 uA", "-1 uA"]}], "name": "amplitude"},
                      {"points": [{"layers[1].thickness": "1 um", "temperature": "25 degC"},
                                  {"temperature": "50 degC", "layers[1].thickness": "2 um"}]}]}
            """, source: "t.json")
        #expect(spec.axes.map(\.name) == ["amplitude", "point"])
        #expect(spec.axes[0].coordinates.map(\.name) == ["amplitude", "protocol_potentiation_current", "protocol_depression_current"])
        #expect(spec.axes[0].coordinates[2].numbers == [-5e-7, -1e-6])
        #expect(spec.axes[1].paths == ["layers[1].thickness", "temperature"])
        #expect(spec.axes[1].values[1] == [.string("2 um"), .string("50 degC")])
        #expect(abs((spec.axes[1].coordinates[2].numbers?[1] ?? 0) - 323.15) < 1e-9)
        #expect(spec.pointCount == 4)
    }
}
