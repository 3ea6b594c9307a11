import Foundation
import IonicsBatch
import IonicsHDF5
import IonicsTestSupport
import Testing

/// `ionics sweep` and `ionics collect` end to end on the default device cut to a few
/// pulses (a point takes 0.3–1.5 s).
@Suite("ionics sweep and collect", .serialized)
struct SweepCommandTests {
    /// Writes a sweep file over configs/default.json into `dir` and returns its path.
    func sweepFile(_ dir: TemporaryDirectory, _ name: String = "sweep.json", pulses: Int, axes: String) throws -> String {
        let path = dir.file(name)
        let text = "{\"base\": \"\(repositoryRoot())/configs/default.json\", \"set\": {\"protocol.pulses\": \(pulses)}, \"axes\": [\(axes)]}"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let grid = """
        {"path": "layers[1].thickness", "values": ["0.5 um", "1 um"]},
        {"name": "current", "zip": [{"path": "protocol.potentiation.current", "values": ["0.25 uA", "0.5 uA"]},
                                    {"path": "protocol.depression.current", "values": ["-0.25 uA", "-0.5 uA"]}]}
        """

    func startSweep(_ arguments: [String]) throws -> (Process, Pipe) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ionicsExecutable())
        p.arguments = ["sweep"] + arguments
        p.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot())
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_NUM_THREADS"] = "1"
        p.environment = env
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        return (p, err)
    }

    @Test("two shards run concurrently in two processes, collected, equal the unsharded sweep collected, bit for bit")
    func shards() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let sweep = try sweepFile(dir, pulses: 2, axes: Self.grid)
        let whole = try runIonics(["sweep", sweep, "-o", dir.file("whole"), "--jobs", "2"])
        #expect(whole.status == 0, "\(whole.stderr)")
        let shards = try (0..<2).map { try startSweep([sweep, "-o", dir.file("sharded"), "--jobs", "1", "--shard", "\($0)/2"]) }
        for (p, err) in shards {
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "\(text)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.file("sharded")).filter { $0.hasPrefix("manifest") && $0.hasSuffix(".json") }
        #expect(names.sorted() == ["manifest-shard-0-of-2.json", "manifest-shard-1-of-2.json"])
        for (folder, table) in [("whole", "a"), ("sharded", "b")] {
            let r = try runIonics(["collect", dir.file(folder), "-o", dir.file(table)])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("4 points (4 completed)"))
        }
        #expect(try String(contentsOfFile: dir.file("a.csv"), encoding: .utf8) == String(contentsOfFile: dir.file("b.csv"), encoding: .utf8))
        let a = try HDF5File.open(at: dir.file("a.h5")).root(), b = try HDF5File.open(at: dir.file("b.h5")).root()
        let metrics = ["gmin", "gmax", "ratio", "energy_per_pulse", "charge_per_pulse", "states", "faradaic_efficiency"]
        for name in metrics {
            let x = try a.read(name), y = try b.read(name)
            #expect(x.shape == [2, 2] && y.shape == x.shape, "\(name)")
            #expect(x.values.map(\.bitPattern) == y.values.map(\.bitPattern), "\(name) differs")
            let finite = x.values.allSatisfy { $0.isFinite }
            #expect(finite, "\(name) of a completed point is not a number")
        }
        #expect(try a.read("status").values == [0, 0, 0, 0])
    }

    @Test("the collected HDF5 has the axes as dimensions: scales attached, coordinates equal to the axis values")
    func dimensions() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let sweep = try sweepFile(dir, pulses: 1, axes: Self.grid)
        #expect(try runIonics(["sweep", sweep, "-o", dir.file("out"), "--jobs", "2"]).status == 0)
        let r = try runIonics(["collect", dir.file("out"), "-o", dir.file("table.h5")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.file("table.csv")))
        let root = try HDF5File.open(at: dir.file("table.h5")).root()
        let thickness = try root.openDataset("layers_1_thickness"), current = try root.openDataset("current")
        #expect(try thickness.isDimensionScale() && thickness.dimensionScaleName() == "layers_1_thickness")
        #expect(try current.isDimensionScale() && current.dimensionScaleName() == "current")
        #expect(try thickness.read().values == [5e-7, 1e-6])
        #expect(try thickness.stringAttribute("units") == "m" && thickness.stringAttribute("long_name") == "layers[1].thickness")
        #expect(try current.read().values == [0, 1])
        let up = try root.openDataset("protocol_potentiation_current")
        #expect(try up.read().values == [2.5e-7, 5e-7] && up.stringAttribute("units") == "A")
        #expect(try up.attachedScales(axis: 0) == ["/current"])
        #expect(try root.read("protocol_depression_current").values == [-2.5e-7, -5e-7])
        for name in ["gmax", "status", "point_index"] {
            let d = try root.openDataset(name)
            #expect(try d.shape() == [2, 2])
            #expect(try d.attachedScales(axis: 0) == ["/layers_1_thickness"], "\(name)")
            #expect(try d.attachedScales(axis: 1) == ["/current"], "\(name)")
        }
        #expect(try root.openDataset("gmax").stringAttribute("coordinates") == "protocol_potentiation_current protocol_depression_current")
        #expect(try root.read("point_index").values == [0, 1, 2, 3])
    }

    /// Inode and modification time (ns) of a file.
    func identity(_ path: String) -> (UInt, Int) {
        var s = stat()
        guard stat(path, &s) == 0 else { return (0, 0) }
        return (UInt(s.st_ino), s.st_mtim.tv_sec * 1_000_000_000 + s.st_mtim.tv_nsec)
    }

    @Test("a sweep killed with SIGKILL mid-way, resumed, completes without rewriting the points that had completed")
    func killAndResume() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let sweep = try sweepFile(dir, pulses: 12, axes: "{\"path\": \"layers[1].thickness\", \"values\": [\"0.5 um\", \"1 um\", \"1.5 um\", \"2 um\"]}")
        let out = dir.file("out"), manifestPath = dir.file("out/manifest.json")
        let (process, _) = try startSweep([sweep, "-o", out, "--jobs", "1"])
        var before: SweepManifest?
        for _ in 0..<1200 {
            if let m = try? SweepManifest.load(manifestPath), m.points.contains(where: { $0.status == .completed }),
               m.points.contains(where: { $0.status == .running }) {
                before = m
                break
            }
            usleep(25_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let m = try #require(before, "the sweep never had a completed and a running point at once")
        let done = m.points.filter { $0.status == .completed }
        let identities = done.map { identity(dir.file("out/" + $0.file)) }
        #expect(done.count < 4)

        let r = try runIonics(["sweep", sweep, "-o", out, "--resume", "--jobs", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("\(4 - done.count) to run, \(done.count) complete (skipped)"), "\(r.stderr)")
        let after = try SweepManifest.load(manifestPath)
        #expect(after.points.allSatisfy { $0.status == .completed })
        for (p, id) in zip(done, identities) {
            #expect(identity(dir.file("out/" + p.file)) == id, "\(p.file) was rewritten")
            #expect(after.points.first { $0.index == p.index }?.runs == 1)
        }
        let rerun = after.points.filter { q in !done.contains { $0.index == q.index } }
        #expect(rerun.map(\.runs).max() == 2, "the point killed while running ran twice")
        let left = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".partial") || $0.hasSuffix(".lock") }
        #expect(left.isEmpty, "\(left)")
    }

    @Test("a point that fails while running does not stop the others; it is FAILED in the manifest and the table")
    func failingPoint() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        // A minimum step above what the pulse edges need makes the integrator give up at run time.
        let sweep = try sweepFile(dir, pulses: 1, axes: """
            {"points": [{"solver.minimum_step": "1e-15 s", "solver.initial_step": "1 us"},
                        {"solver.minimum_step": "1 ms", "solver.initial_step": "1 ms"},
                        {"solver.minimum_step": "1e-14 s", "solver.initial_step": "1 us"}]}
            """)
        let r = try runIonics(["sweep", sweep, "-o", dir.file("out"), "--jobs", "2"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("FAILED") && r.stdout.contains("2 completed, 1 failed"), "\(r.stdout)\(r.stderr)")
        let m = try SweepManifest.load(dir.file("out/manifest.json"))
        #expect(m.points.map(\.status) == [.completed, .failed, .completed])
        #expect(m.points[1].failure?.contains("minimum step") == true, "\(m.points[1].failure ?? "")")
        let c = try runIonics(["collect", dir.file("out"), "-o", dir.file("t")])
        #expect(c.status == 0, "\(c.stderr)")
        let rows = try String(contentsOfFile: dir.file("t.csv"), encoding: .utf8).split(separator: "\n")
        #expect(rows[2].contains(",failed,") && rows[1].contains(",completed,") && rows[3].contains(",completed,"))
        let root = try HDF5File.open(at: dir.file("t.h5")).root()
        #expect(try root.read("status").values == [0, 1, 0])
        let gmin = try root.read("gmin").values
        #expect(gmin[0].isFinite && gmin[1].isNaN && gmin[2].isFinite)
        #expect(try root.openDataset("gmin").attachedScales(axis: 0) == ["/point"])
        #expect(try root.read("solver_minimum_step").values == [1e-15, 1e-3, 1e-14])
    }

    @Test("bad input is refused before anything runs, naming the key; a folder of another sweep needs --force")
    func refusals() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let badValue = try sweepFile(dir, "bad.json", pulses: 1, axes: "{\"path\": \"layers[1].thickness\", \"values\": [\"1 um\", \"50 mm/s\"]}")
        let r = try runIonics(["sweep", badValue, "-o", dir.file("bad")])
        #expect(r.status == 1)
        #expect(r.stderr.contains("1 of 2 points have an invalid config") && r.stderr.contains("layers[1].thickness: expected a length"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("bad")), "nothing ran, no folder was made")
        let badSpec = try sweepFile(dir, "spec.json", pulses: 1, axes: "{\"path\": \"layers[1].thickness\", \"log\": {\"from\": \"50 nm\", \"to\": \"500 nm\", \"count\": -2}}")
        let s = try runIonics(["sweep", badSpec, "-o", dir.file("bad")])
        #expect(s.status == 1 && s.stderr.contains("axes[0].log.count: expected a positive integer, got -2"), "\(s.stderr)")
        #expect(try runIonics(["sweep", badSpec, "-o", dir.file("x"), "--shard", "2/2"]).status == 64)

        let one = try sweepFile(dir, "one.json", pulses: 1, axes: "{\"path\": \"layers[1].thickness\", \"values\": [\"1 um\"]}")
        let other = try sweepFile(dir, "other.json", pulses: 1, axes: "{\"path\": \"layers[1].thickness\", \"values\": [\"2 um\"]}")
        #expect(try runIonics(["sweep", one, "-o", dir.file("out")]).status == 0)
        let again = try runIonics(["sweep", one, "-o", dir.file("out")])
        #expect(again.status == 2 && again.stderr.contains("--resume"), "\(again.stderr)")
        let foreign = try runIonics(["sweep", other, "-o", dir.file("out")])
        #expect(foreign.status == 2 && foreign.stderr.contains("manifest of another sweep"), "\(foreign.stderr)")
        let resumed = try runIonics(["sweep", one, "-o", dir.file("out"), "--resume"])
        #expect(resumed.status == 0 && resumed.stderr.contains("0 to run, 1 complete (skipped)"), "\(resumed.stderr)")
        #expect(try runIonics(["collect", dir.file("out"), "-o", dir.file("out/t")]).status == 0)
        let existing = try runIonics(["collect", dir.file("out"), "-o", dir.file("out/t.csv")])
        #expect(existing.status == 2 && existing.stderr.contains("--force"))
    }
}
