import Foundation
import IonicsHDF5
import IonicsTestSupport
import Testing

/// SIGINT and SIGTERM finish the step, save with status "interrupted" and exit 130/143.
@Suite("ionics run signals", .serialized)
struct SignalTests {
    /// Starts a long run, waits until its temporary file exists (the simulation is
    /// running), sends `signal` and returns the exit status and stderr.
    func interrupt(with signal: Int32, output: String) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ionicsExecutable())
        // 4000 pulses take minutes: the signal always arrives during the run.
        process.arguments = ["run", "configs/default.json", "-o", output, "--set", "protocol.pulses=4000"]
        process.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot())
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_NUM_THREADS"] = "1"
        process.environment = env
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let dir = (output as NSString).deletingLastPathComponent
        let base = (output as NSString).lastPathComponent
        for _ in 0..<600 {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            if names.contains(where: { $0.hasPrefix(base + ".") && $0.hasSuffix(".partial") }) { break }
            usleep(50_000)
        }
        usleep(300_000)
        kill(process.processIdentifier, signal)
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test("SIGINT: exit 130, the file committed with status interrupted and the steps computed")
    func sigint() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let out = dir.file("int.h5")
        let r = try interrupt(with: SIGINT, output: out)
        #expect(r.status == 130, "\(r.stderr.suffix(1500))")
        let root = try HDF5File.open(at: out).root()
        #expect(try root.stringAttribute("status") == "interrupted")
        #expect(try root.read("series/time").values.count > 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["int.h5", "int.xmf"], "no temporary or lock file left")
    }

    @Test("SIGTERM: exit 143 with status interrupted")
    func sigterm() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let out = dir.file("term.h5")
        let r = try interrupt(with: SIGTERM, output: out)
        #expect(r.status == 143, "\(r.stderr.suffix(1500))")
        #expect(try HDF5File.open(at: out).root().stringAttribute("status") == "interrupted")
    }
}
