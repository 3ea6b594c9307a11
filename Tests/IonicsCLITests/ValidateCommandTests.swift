import Foundation
import IonicsTestSupport
import Testing

@Suite("ionics validate")
struct ValidateCommandTests {
    @Test("the default config validates and exits 0")
    func defaultConfig() throws {
        let r = try runIonics(["validate", "configs/default.json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("OK"))
    }

    @Test("a bad config lists every problem with its key path and exits non-zero")
    func badConfig() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.file("bad.json")
        let text = """
            {"name": "x", "temprature": 300,
             "layers": [{"name": "a", "material": "m", "thickness": "50 mm/s"},
                        {"name": "b", "material": "m", "thickness": "-1 nm"}]}
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try runIonics(["validate", path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("3 problems"))
        #expect(r.stderr.contains("layers[0].thickness: expected a length"))
        #expect(r.stderr.contains("layers[1].thickness: must be positive"))
        #expect(r.stderr.contains("did you mean \"temperature\""))
    }

    @Test("a missing file is a clear error")
    func missingFile() throws {
        let r = try runIonics(["validate", "no/such/config.json"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("no such file"))
    }
}
