import IonicsConfig
import IonicsTestSupport
import Testing

@Suite("--set keeps positions; semantic checks of names and protocol times")
struct OverridePositionTests {
    let text = """
        {
          "name": "x",
          "temperature": "25 degC",
          "layers": [{"name": "a", "material": "m", "thickness": "50 mm/s"}],
          "protocol": {"type": "ltp-ltd", "terminal": "gate", "pulses": 2,
                       "potentiation": {"voltage": "1 V", "width": "1 ms"},
                       "depression": {"voltage": "-1 V", "width": "1 ms"}}
        }
        """

    func problems(_ overrides: [String]) -> [ConfigProblem] {
        do {
            _ = try DeviceConfig.parse(text, source: "user.json", overrides: overrides)
            return []
        } catch let e as ConfigError {
            return e.problems
        } catch {
            return [ConfigProblem(path: "?", message: "\(error)")]
        }
    }

    @Test("a problem in the user's file keeps its line and column when --set changes something else")
    func filePositionsSurvive() throws {
        let p = problems(["temperature=300"])
        let thickness = try #require(p.first { $0.path == "layers[0].thickness" })
        #expect(thickness.position?.line == 4)
        #expect(thickness.position?.assignment == nil)
    }

    @Test("a problem in an overridden value names the --set instead of a position in rewritten text")
    func overridePositions() throws {
        let p = problems([#"layers[0].thickness="50 nm""#, #"temperature="hot""#])
        let t = try #require(p.first { $0.path == "temperature" })
        #expect(t.position?.assignment == #"temperature="hot""#)
        #expect(!p.contains { $0.path == "layers[0].thickness" })
        let whole = problems([#"layers[0]={"name":"a","material":"m","thickness":-1}"#])
        let w = try #require(whole.first { $0.path == "layers[0].thickness" })
        #expect(w.position?.description.hasPrefix("from --set layers[0]=") == true)
    }

    @Test("the stored config text has the overrides applied")
    func storedText() throws {
        let c = try DeviceConfig.parse(text.replacingOccurrences(of: "50 mm/s", with: "50 nm"), source: "u.json",
                                       overrides: ["protocol.pulses=3"])
        #expect(c.sourceText.contains("\"pulses\": 3"))
    }

    @Test("empty and path-like names are refused; the default output stem is always a plain file name")
    func names() {
        let fixed = [#"layers[0].thickness="50 nm""#]
        for bad in ["\"\"", "\"  \"", "\"../x\"", "\"a/b\"", "\".hidden\"", "\"a\\\\b\""] {
            #expect(problems(fixed + ["name=\(bad)"]).contains { $0.path == "name" }, "name=\(bad)")
        }
        #expect(problems(fixed + [#"name="my run (2)""#]).isEmpty)
        var c = try? DeviceConfig.parse(text, source: "u.json", overrides: fixed + [#"name="my run (2)""#])
        #expect(c?.outputFileStem == "my_run__2_")
        c?.name = "..//"
        #expect(c?.outputFileStem == "__")
        c?.name = ""
        #expect(c?.outputFileStem == "run")
    }

    @Test("negative protocol intervals, settle times, PPF intervals and SWDP widths are refused")
    func negativeTimes() {
        let fixed = [#"layers[0].thickness="50 nm""#]
        #expect(problems(fixed + [#"protocol.interval="-5 ms""#]).contains { $0.path == "protocol.interval" })
        #expect(problems(fixed + [#"protocol.settle="-1 s""#]).contains { $0.path == "protocol.settle" })
        let ppf = #"protocol={"type":"ppf","terminal":"gate","pulse":{"voltage":"1 V","width":"1 ms"},"intervals":["1 ms","-2 ms"]}"#
        #expect(problems(fixed + [ppf]).contains { $0.path == "protocol.intervals" })
        let swdp = #"protocol={"type":"swdp","terminal":"gate","pulses":2,"pulse":{"voltage":"1 V","width":"1 ms"},"widths":["1 ms",0]}"#
        #expect(problems(fixed + [swdp]).contains { $0.path == "protocol.widths" })
        #expect(problems(fixed + [#"protocol.potentiation.width="-1 ms""#]).contains { $0.path == "protocol.potentiation.width" })
    }
}
