import Foundation
import IonicsBatch

/// The output folder of `ionics sweep`: checked and locked before anything runs, so
/// that a sweep never mixes its points with another sweep's, never replaces files
/// without --resume or --force, and two processes never run the same shard into it.
struct SweepFolder {
    let path: String
    let shard: SweepManifest.Shard?

    var manifestPath: String { (path as NSString).appendingPathComponent(SweepManifest.fileName(shard: shard)) }

    func file(_ point: SweepPoint) -> String { (path as NSString).appendingPathComponent(point.fileName) }

    /// Makes the folder if needed, takes the lock of this shard's manifest and checks
    /// what the folder holds: the manifests of another sweep are refused (replaced with
    /// `force`); this sweep's manifest or point files need `resume` or `force`.
    func prepare(plan: SweepPlan, points: [SweepPoint], resume: Bool, force: Bool) throws -> FolderLock {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw fail("\(path) is a file; -o takes a folder", Exit.file)
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw fail("cannot make the folder \(path): \(error.localizedDescription)", Exit.file)
        }
        let lock = try FolderLock(manifestPath + ".lock")
        var others: [(String, SweepManifest?)] = []
        for p in SweepManifest.paths(in: path) {
            do {
                let m = try SweepManifest.load(p)
                if m.sweepID != plan.sweepID { others.append((p, m)) }
            } catch {
                others.append((p, nil))
            }
        }
        if !others.isEmpty {
            let (p, m) = others[0]
            let what = m.map { "the manifest of another sweep (\($0.sweepFile), base \($0.base), id \($0.sweepID); this sweep is \(plan.sweepID))" }
                ?? "a manifest that cannot be read"
            guard force else {
                lock.release()
                throw fail("\(p) is \(what); use --force to replace it, or -o for another folder", Exit.file)
            }
            for (p, _) in others {
                printError("sweep: removing \(p) (\(what)); its point files stay")
                try? FileManager.default.removeItem(atPath: p)
            }
        }
        let own = FileManager.default.fileExists(atPath: manifestPath)
        let existing = points.filter { FileManager.default.fileExists(atPath: file($0)) || !PointFile.leftovers(file($0)).isEmpty }
        if (own || !existing.isEmpty) && !resume && !force {
            lock.release()
            throw fail("\(path) already holds this sweep (\(own ? (manifestPath as NSString).lastPathComponent + ", " : "")\(existing.count) of \(points.count) point files); "
                       + "use --resume to complete it or --force to run every point again", Exit.file)
        }
        return lock
    }

    /// How many times each point ran according to this shard's manifest, if it belongs
    /// to sweep `sweepID`.
    func previousRuns(sweepID: String) -> [Int: Int] {
        guard let m = try? SweepManifest.load(manifestPath), m.sweepID == sweepID else { return [:] }
        return Dictionary(m.points.map { ($0.index, $0.runs) }, uniquingKeysWith: max)
    }

    /// Waits (up to a minute each) for runs still writing a point's file — the runs of
    /// a sweep process that was killed stop by themselves within a time step and save
    /// their results — so that their files are judged once they are final.
    func waitForRunningPoints(_ points: [SweepPoint]) {
        for p in points {
            let lockPath = file(p) + ".lock"
            guard FileManager.default.fileExists(atPath: lockPath) else { continue }
            let fd = open(lockPath, O_RDWR | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var told = false
            for _ in 0..<300 {
                if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                    flock(fd, LOCK_UN)
                    break
                }
                if !told {
                    printError("sweep: waiting for the run still writing \(file(p)) (started by an earlier sweep process)")
                    told = true
                }
                usleep(200_000)
            }
        }
    }
}

/// An exclusive `flock` on a file holding the owner's pid, released on `release()` or
/// when the process ends (however it ends).
final class FolderLock {
    let path: String
    private var fd: Int32

    init(_ path: String) throws {
        self.path = path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw fail("cannot write \(path): \(String(cString: strerror(errno)))", Exit.file) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, 31, 0)
            let holder = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            close(fd)
            fd = -1
            throw fail("another ionics sweep (pid \(holder)) is running this shard into \((path as NSString).deletingLastPathComponent); wait for it or use another -o", Exit.file)
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    func release() {
        guard fd >= 0 else { return }
        unlink(path)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
