import Foundation
import IonicsTestSupport
import Testing

@Suite("ionics table failures", .serialized)
struct TableGuardTests {
    @Test("--jobs 0 is a usage error")
    func jobsZero() throws {
        let r = try runIonics(["table", "--jobs", "0"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--jobs must be at least 1"))
    }

    @Test("a failing preset is one FAILED row with a one-line reason; the others complete; full reasons in the log")
    func failedRow() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let devices = dir.file("devices")
        try FileManager.default.createDirectory(atPath: devices, withIntermediateDirectories: true)
        let good = repositoryRoot() + "/configs/devices/h-wo3-nafion-yao2020.json"
        try FileManager.default.copyItem(atPath: good, toPath: devices + "/h-wo3-nafion-yao2020.json")
        var text = try String(contentsOfFile: good, encoding: .utf8)
        // Two problems: a metal mid-stack (a crash before issue 11) and a misspelt interface.
        text = text.replacingOccurrences(of: #""material": "nafion""#, with: #""material": "Au""#)
        try text.write(toFile: devices + "/zz-broken.json", atomically: true, encoding: .utf8)
        let out = dir.file("table")
        let r = try runIonics(["table", "--devices", devices, "-o", out, "--jobs", "2"])
        #expect(r.status == 1)
        let md = try String(contentsOfFile: out + "/table.md", encoding: .utf8)
        let rows = md.split(separator: "\n").filter { $0.hasPrefix("| 66 |") }
        #expect(rows.count == 2, "one row per preset, each on one line")
        #expect(rows.contains { $0.contains("zz-broken") && $0.contains("FAILED: ") })
        #expect(rows.contains { $0.contains("h-wo3-nafion-yao2020") && !$0.contains("FAILED") })
        let log = try String(contentsOfFile: out + "/table-failures.log", encoding: .utf8)
        #expect(log.contains("== zz-broken") && log.contains("layers[1].material"))
        #expect(FileManager.default.fileExists(atPath: out + "/h-wo3-nafion-yao2020.h5"))
    }
}
