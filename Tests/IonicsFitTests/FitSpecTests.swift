import Foundation
import IonicsConfig
import IonicsFit
import IonicsTestSupport
import Testing

@Suite("Fit files and data files: errors name the key")
struct FitSpecTests {
    static let good = #"{"path": "layers[2].thickness", "initial": "50 nm", "lower": "10 nm", "upper": "100 nm", "scale": "log"}"#

    /// The problems of a fit file, as text.
    static func problems(_ parameters: String, data: String = #"[{"file": "g.csv"}]"#, extra: String = "") -> String {
        let text = #"{"base": "\#(CheapDevice.base)", "parameters": \#(parameters), "data": \#(data)\#(extra)}"#
        do {
            _ = try FitSpec.parse(text, source: "/tmp/fit.json")
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test("a bound in the wrong unit names parameters[1].lower and the expected kind")
    func wrongUnit() {
        let bad = #"{"path": "layers[1].thickness", "initial": "1 um", "lower": "5 s", "upper": "2 um"}"#
        #expect(Self.problems("[\(Self.good), \(bad)]").contains(#"parameters[1].lower: expected a length, got "5 s""#))
    }

    @Test("bounds out of order, an initial value outside them, a non-positive log bound, a missing key")
    func bounds() {
        #expect(Self.problems(#"[{"path": "a", "initial": "5 nm", "lower": "10 nm", "upper": "1 nm"}]"#).contains("parameters[0].upper: must be above lower"))
        #expect(Self.problems(#"[{"path": "a", "initial": "500 nm", "lower": "10 nm", "upper": "100 nm"}]"#).contains("parameters[0].initial:"))
        #expect(Self.problems(#"[{"path": "a", "initial": 0.5, "lower": 0, "upper": 1, "scale": "log"}]"#).contains("parameters[0].lower: a log-scale parameter needs a positive lower bound"))
        #expect(Self.problems(#"[{"path": "a", "initial": 0.5, "upper": 1}]"#).contains("parameters[0].lower: missing"))
        #expect(Self.problems(#"[{"path": "a", "initial": 0.5, "lower": 0, "upper": 1, "scale": "cubic"}]"#).contains("parameters[0].scale:"))
    }

    @Test("unknown keys, a bad solver option and a missing base file are named")
    func otherKeys() {
        #expect(Self.problems("[\(Self.good)]", extra: #", "sovler": {}"#).contains(#"sovler: unknown key "sovler"; did you mean "solver"?"#))
        #expect(Self.problems("[\(Self.good)]", extra: #", "solver": {"finite_difference_step": -1}"#).contains("solver.finite_difference_step: must be a positive number"))
        #expect(Self.problems("[\(Self.good)]", data: #"[{"file": "g.csv", "weight": 0}]"#).contains("data[0].weight: must be a positive number"))
        let text = #"{"base": "nowhere.json", "parameters": [\#(Self.good)], "data": [{"file": "g.csv"}]}"#
        #expect(throws: ConfigError.self) { try FitSpec.parse(text, source: "/tmp/fit.json") }
    }

    @Test("data files: units checked against the column, pulses counted from 1, one data column, σ positive")
    func dataFiles() {
        let entry = DatasetEntry(file: "g.csv", resolved: "/nonexistent", weight: 1, experiment: 0, keyPath: "data[0]")
        func message(_ csv: String) -> String {
            do { _ = try Dataset.parse(csv, entry: entry); return "" } catch { return "\(error)" }
        }
        #expect(message("pulse,G (V)\n1,2").contains("data[0].file: g.csv, line 1: column \"G (V)\": expected a conductance, but V is a voltage"))
        #expect(message("pulse,G\n1,2").contains("needs a unit of conductance"))
        #expect(message("t (ms),G (uS)\n1,2").contains("its x column must be \"pulse\""))
        #expect(message("pulse,G (uS)\n0,2").contains("line 2: pulse: expected a pulse number"))
        #expect(message("t (m),V_gate (V)\n1,2").contains("expected a time"))
        #expect(message("pulse,G (uS),sigma_G (uS)\n1,2,-1").contains("must be positive"))
        #expect(message("pulse,G (uS),H (uS)\n1,2,3").contains("unknown column \"H\""))
        #expect(message("pulse,G (uS)\n1,abc").contains("not a number"))
        #expect(message("# only a comment\n").contains("no header"))
        #expect(message("t (ms),V_gate (mV),sigma_V_gate (mV)\n1,2,0.1\n").isEmpty)
    }

    @Test("pulses and times past the protocol and unknown terminals are refused before any run")
    func protocolCoverage() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let text = CheapDevice.fitText(parameters: "[\(Self.good)]", data: #"[{"file": "g.csv"}, {"file": "v.csv"}]"#)
        let spec = try FitSpec.parse(text, source: dir.file("fit.json"))
        let model = try FitModel(spec: spec)
        let g = try Dataset.parse("pulse,G (uS)\n1,1\n7,1", entry: spec.data[0])
        let v = try Dataset.parse("t (ms),V_drain (V)\n1,1\n500,1", entry: spec.data[1])
        var message = ""
        do { try model.check([g, v], at: [50e-9]) } catch { message = "\(error)" }
        #expect(message.contains("data[0].file (g.csv): pulse 7 is past the protocol's 4 pulse(s)"))
        #expect(message.contains("data[1].file (v.csv): column V_drain: no terminal \"drain\""))
        #expect(message.contains("data[1].file (v.csv): t = 500 ms lies outside the protocol"))
    }

    @Test("a parameter path the config does not accept names parameters[i].path")
    func badPath() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let p = #"[{"path": "layers[2].thicknes", "initial": "50 nm", "lower": "10 nm", "upper": "100 nm"}]"#
        let spec = try FitSpec.parse(CheapDevice.fitText(parameters: p, data: #"[{"file": "g.csv"}]"#), source: dir.file("fit.json"))
        let model = try FitModel(spec: spec)
        var message = ""
        do { _ = try model.device([50e-9]) } catch { message = "\(error)" }
        #expect(message.contains("parameters[0].path (layers[2].thicknes)"), "\(message)")
    }
}
