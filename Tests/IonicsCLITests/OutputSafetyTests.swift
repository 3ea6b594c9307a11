import Foundation
import IonicsHDF5
import IonicsTestSupport
import Testing

/// `ionics run`'s output: checked before simulating, locked, written under a unique
/// temporary name, plain errors for full or unwritable places, no HDF5 crash.
@Suite("ionics run output safety", .serialized)
struct OutputSafetyTests {
    let short = ["--set", "protocol.pulses=1"]

    @Test("-o an existing folder (with --force) and -o \"\" fail at once with exit 2, leaving nothing behind")
    func badPaths() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let folder = try runIonics(["run", "configs/default.json", "-o", dir.path, "--force"] + short)
        #expect(folder.status == 2)
        #expect(folder.stderr.contains("is a folder"))
        #expect(!folder.stdout.contains("solver"), "nothing was simulated")
        let empty = try runIonics(["run", repositoryRoot() + "/configs/default.json", "-o", ""] + short, in: dir.path)
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("output path is empty"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test("a second writer of the same file stops at once, saying which pid holds it")
    func locked() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let out = dir.file("run.h5")
        // Hold the lock as a running ionics would: flock on run.h5.lock with our pid in it.
        let fd = open(out + ".lock", O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(fd, $0, strlen($0)) }
        let r = try runIonics(["run", "configs/default.json", "-o", out, "--force"] + short)
        #expect(r.status == 2)
        #expect(r.stderr.contains("another ionics run (pid \(getpid()))"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("the lock is released after a run: the next run of the same file succeeds and leaves no lock file")
    func released() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let out = dir.file("run.h5")
        let first = try runIonics(["run", "configs/default.json", "-o", out] + short)
        #expect(first.status == 0, "\(first.stderr)")
        let second = try runIonics(["run", "configs/default.json", "-o", out, "--force"] + short)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["run.h5", "run.xmf"])
        #expect(try HDF5File.open(at: out).root().stringAttribute("status") == "completed")
    }

    @Test("a temporary file left by a killed run is reported and kept, never overwritten")
    func stale() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let out = dir.file("run.h5")
        let leftover = out + ".4242-dead.partial"
        try "half a run".write(toFile: leftover, atomically: true, encoding: .utf8)
        let r = try runIonics(["run", "configs/default.json", "-o", out] + short)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning: \(leftover) was left by a run that did not finish"))
        #expect(try String(contentsOfFile: leftover, encoding: .utf8) == "half a run")
    }

    @Test("a folder that cannot be written is a plain error with the OS reason, before simulating")
    func unwritable() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        var target = dir.file("ro/run.h5")
        if geteuid() == 0 {
            target = "/sys/ionics-test-run.h5"  // root ignores permissions; sysfs refuses new files
        } else {
            try FileManager.default.createDirectory(atPath: dir.file("ro"), withIntermediateDirectories: true)
            chmod(dir.file("ro"), 0o555)
        }
        defer { chmod(dir.file("ro"), 0o755) }
        let r = try runIonics(["run", "configs/default.json", "-o", target] + short)
        #expect(r.status == 2)
        #expect(r.stderr.contains("cannot write in") && (r.stderr.contains("Permission denied") || r.stderr.contains("not permitted")
                                                        || r.stderr.contains("Read-only")), "\(r.stderr)")
        #expect(!r.stderr.contains("HDF5"))
    }

    @Test("a full disk (a 100 kB file-size limit, SIGXFSZ ignored) is exit 3 with the OS reason, no segfault; --verbose adds HDF5's stack")
    func diskFull() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let out = dir.file("run.h5")
        let script = "trap '' XFSZ; ulimit -f 100; exec \"$0\" \"$@\""
        let r = try runCommand("/bin/sh", ["-c", script, ionicsExecutable(), "run", "configs/default.json", "-o", out, "--verbose"])
        #expect(r.status == 3, "\(r.status): \(r.stderr.suffix(2000))")
        #expect(r.stderr.contains("cannot write the file: File too large"))
        #expect(r.stderr.contains("HDF5 error stack"))
        #expect(!r.stderr.contains("Program crashed"))
        #expect(!FileManager.default.fileExists(atPath: out + ".lock"))
        let quiet = try runCommand("/bin/sh", ["-c", script, ionicsExecutable(), "run", "configs/default.json", "-o", dir.file("q.h5")])
        #expect(quiet.status == 3)
        #expect(!quiet.stderr.contains("HDF5 error stack"))
    }
}
