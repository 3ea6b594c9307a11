import Foundation
import IonicsTestSupport
import Testing

@Suite("ionics table failures", .serialized)
struct TableGuardTests {
    /// A devices folder in `dir` holding a copy of the Yao 2020 preset, and that preset's path.
    func devicesWithYao(in dir: TemporaryDirectory) throws -> (devices: String, preset: String) {
        let devices = dir.file("devices")
        try FileManager.default.createDirectory(atPath: devices, withIntermediateDirectories: true)
        let good = repositoryRoot() + "/configs/devices/h-wo3-nafion-yao2020.json"
        try FileManager.default.copyItem(atPath: good, toPath: devices + "/h-wo3-nafion-yao2020.json")
        return (devices, good)
    }

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
        let (devices, good) = try devicesWithYao(in: dir)
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
        // The energy cell gives the paper's definition (gate, for Yao) and the total beside it.
        #expect(rows.contains { $0.contains("h-wo3-nafion-yao2020") && $0.contains("fJ/µm² (gate); ") && $0.contains("fJ/µm² total") })
        let log = try String(contentsOfFile: out + "/table-failures.log", encoding: .utf8)
        #expect(log.contains("== zz-broken") && log.contains("layers[1].material"))
        #expect(FileManager.default.fileExists(atPath: out + "/h-wo3-nafion-yao2020.h5"))
    }

    @Test("a preset whose run is killed by a signal (a crash) is a FAILED row; the other preset completes")
    func crashedRow() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let (devices, good) = try devicesWithYao(in: dir)
        // A copy with 4000 pulses runs for minutes: it is still running when killed.
        let long = try String(contentsOfFile: good, encoding: .utf8).replacingOccurrences(of: #""pulses": 50,"#, with: #""pulses": 4000,"#)
        #expect(long.contains(#""pulses": 4000,"#))
        try long.write(toFile: devices + "/zz-killed.json", atomically: true, encoding: .utf8)
        let out = dir.file("table")
        let table = Process()
        table.executableURL = URL(fileURLWithPath: ionicsExecutable())
        table.arguments = ["table", "--devices", devices, "-o", out, "--jobs", "2"]
        table.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot())
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_NUM_THREADS"] = "1"
        table.environment = env
        table.standardOutput = FileHandle.nullDevice
        table.standardError = FileHandle.nullDevice
        try table.run()
        // Find the child `ionics run` of the long preset once its output is being written.
        var victim: Int32?
        for _ in 0..<1200 where victim == nil {
            usleep(50_000)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
            guard names.contains(where: { $0.hasPrefix("zz-killed.h5.") && $0.hasSuffix(".partial") }) else { continue }
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
                guard let pid = Int32(entry),
                      let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                      let cmd = try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8) else { continue }
                // Field 4 of /proc/PID/stat (after the parenthesised name) is the parent's pid.
                let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
                if fields.count > 1, Int32(fields[1]) == table.processIdentifier, cmd.contains("zz-killed") { victim = pid }
            }
        }
        let pid = try #require(victim, "the long preset's child process was not found")
        kill(pid, SIGKILL)
        table.waitUntilExit()
        #expect(table.terminationStatus == 1)
        let md = try String(contentsOfFile: out + "/table.md", encoding: .utf8)
        let rows = md.split(separator: "\n").filter { $0.hasPrefix("| 66 |") }
        #expect(rows.contains { $0.contains("zz-killed") && $0.contains("FAILED") && $0.contains("signal") }, "\(rows)")
        #expect(rows.contains { $0.contains("h-wo3-nafion-yao2020") && !$0.contains("FAILED") })
        #expect(FileManager.default.fileExists(atPath: out + "/h-wo3-nafion-yao2020.h5"))
    }
}
