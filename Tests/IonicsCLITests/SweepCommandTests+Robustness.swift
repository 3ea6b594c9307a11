import Foundation
import IonicsBatch
import IonicsHDF5
import IonicsTestSupport
import Testing

/// Failure modes found in review: a failed rerun, a changed base config, two shard
/// layouts in one folder, a stray IONICS_SWEEP_PID.
extension SweepCommandTests {
    static let onePoint = "{\"path\": \"layers[1].thickness\", \"values\": [\"1 um\"]}"

    @Test("a rerun that dies before writing its file is FAILED, not COMPLETED on the earlier run's file")
    func failedRerunIsNotCompleted() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let sweep = try sweepFile(dir, pulses: 1, axes: Self.onePoint)
        let out = dir.file("out")
        let first = try runIonics(["sweep", sweep, "-o", out, "--jobs", "1"])
        #expect(first.status == 0, "\(first.stderr)")
        let point = try #require(try SweepManifest.load(out + "/manifest.json").points.first)
        let file = out + "/" + point.file
        let before = identity(file)
        // A folder where the run's lock file goes: the child fails before writing anything.
        try FileManager.default.createDirectory(atPath: file + ".lock", withIntermediateDirectories: false)
        let rerun = try runIonics(["sweep", sweep, "-o", out, "--jobs", "1", "--force"])
        #expect(rerun.status == 1, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("FAILED"), "\(rerun.stderr)")
        #expect(try SweepManifest.load(out + "/manifest.json").points.map(\.status) == [.failed])
        #expect(identity(file) == before, "the earlier file is kept as it was")
    }

    @Test("a complete point file computed from an earlier base config is stale: collect flags it, --resume runs it again")
    func staleBase() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let base = dir.file("base.json")
        let original = try String(contentsOfFile: repositoryRoot() + "/configs/default.json", encoding: .utf8)
        try original.write(toFile: base, atomically: true, encoding: .utf8)
        let sweep = dir.file("sweep.json")
        try "{\"base\": \"base.json\", \"set\": {\"protocol.pulses\": 1}, \"axes\": [\(Self.onePoint)]}"
            .write(toFile: sweep, atomically: true, encoding: .utf8)
        let materials = ["--materials", repositoryRoot() + "/configs/materials"]
        #expect(try runIonics(["sweep", sweep, "-o", dir.file("old"), "--jobs", "1"] + materials).status == 0)
        // The base changes (its description): the same overrides now make another config.
        try original.replacingOccurrences(of: "\"description\": \"", with: "\"description\": \"edited. ")
            .write(toFile: base, atomically: true, encoding: .utf8)
        let new = dir.file("new")
        let fresh = try runIonics(["sweep", sweep, "-o", new, "--jobs", "1"] + materials)
        #expect(fresh.status == 0, "\(fresh.stderr)")
        let name = try #require(try SweepManifest.load(new + "/manifest.json").points.first?.file)
        #expect(FileManager.default.fileExists(atPath: dir.file("old/" + name)), "the point has the same file name in both sweeps")
        // The old base's result takes the place of the new one's (an interrupted --force over an old folder).
        try FileManager.default.removeItem(atPath: new + "/" + name)
        try FileManager.default.copyItem(atPath: dir.file("old/" + name), toPath: new + "/" + name)
        let c = try runIonics(["collect", new, "-o", dir.file("t")])
        #expect(c.status == 0, "\(c.stderr)")
        #expect(c.stdout.contains("1 stale") && !c.stdout.contains("completed"), "\(c.stdout)")
        let resumed = try runIonics(["sweep", sweep, "-o", new, "--resume", "--jobs", "1"] + materials)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("1 to run") && resumed.stderr.contains("another config"), "\(resumed.stderr)")
        let again = try runIonics(["collect", new, "-o", dir.file("t"), "--force"])
        #expect(again.stdout.contains("1 points (1 completed)"), "\(again.stdout)")
    }

    @Test("a second shard layout is refused while another runs into the same folder")
    func otherLayoutRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let sweep = try sweepFile(dir, pulses: 12, axes: "{\"path\": \"layers[1].thickness\", \"values\": [\"0.5 um\", \"1 um\", \"1.5 um\", \"2 um\"]}")
        let out = dir.file("out")
        let (process, _) = try startSweep([sweep, "-o", out, "--jobs", "1", "--shard", "0/2"])
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        var running = false
        for _ in 0..<1200 {
            if let m = try? SweepManifest.load(out + "/manifest-shard-0-of-2.json"), m.points.contains(where: { $0.status == .running }) {
                running = true
                break
            }
            usleep(25_000)
        }
        #expect(running, "the first shard never started a point")
        let other = try runIonics(["sweep", sweep, "-o", out, "--jobs", "1", "--shard", "1/3"])
        #expect(other.status == 2 && other.stderr.contains("another shard layout (manifest-shard-0-of-2.json)"), "\(other.stderr)")
        let unsharded = try runIonics(["sweep", sweep, "-o", out, "--jobs", "1", "--resume"])
        #expect(unsharded.status == 2 && unsharded.stderr.contains("another shard layout"), "\(unsharded.stderr)")
    }

    @Test("a shard checks only its own points' configs: another shard's invalid point does not stop it")
    func shardChecksItsOwnPoints() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let sweep = try sweepFile(dir, pulses: 1, axes: "{\"path\": \"layers[1].thickness\", \"values\": [\"1 um\", \"50 mm/s\"]}")
        let mine = try runIonics(["sweep", sweep, "-o", dir.file("out"), "--shard", "0/2", "--dry-run"])
        #expect(mine.status == 0 && mine.stderr.contains("1 points, every config valid"), "\(mine.stderr)")
        let other = try runIonics(["sweep", sweep, "-o", dir.file("out"), "--shard", "1/2", "--dry-run"])
        #expect(other.status == 1 && other.stderr.contains("1 of 1 points have an invalid config"), "\(other.stderr)")
    }

    @Test("a stray IONICS_SWEEP_PID (not the run's parent) does not interrupt an ordinary run")
    func strayParentVariable() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let r = try runIonics(["run", "configs/default.json", "--set", "protocol.pulses=1", "-o", dir.file("r.h5")],
                              environment: ["IONICS_SWEEP_PID": "999999"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(PointFile.state(dir.file("r.h5")) == .completed)
    }

    @Test("-o under a file is refused as not a folder, for sweep and collect, before anything runs")
    func outputUnderAFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let sweep = try sweepFile(dir, pulses: 1, axes: Self.onePoint)
        try "x".write(toFile: dir.file("afile"), atomically: true, encoding: .utf8)
        let s = try runIonics(["sweep", sweep, "-o", dir.file("afile/sub")])
        #expect(s.status == 2 && s.stderr.contains("is a file, not a folder"), "\(s.stderr)")
        try FileManager.default.createDirectory(atPath: dir.file("empty"), withIntermediateDirectories: true)
        let c = try runIonics(["collect", dir.file("empty"), "-o", dir.file("afile/t")])
        #expect(c.status == 2 && c.stderr.contains("is a file, not a folder"), "\(c.stderr)")
    }
}
