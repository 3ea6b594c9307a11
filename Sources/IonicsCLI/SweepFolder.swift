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
        var ancestor = (path as NSString).deletingLastPathComponent
        while !ancestor.isEmpty && ancestor != "/" && ancestor != "." {
            if FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDirectory) {
                if !isDirectory.boolValue { throw fail("-o \(path): \(ancestor) is a file, not a folder", Exit.file) }
                break
            }
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw fail("cannot make the folder \(path): \(error.localizedDescription)", Exit.file)
        }
        // The folder's guard serialises the start of the sweep processes sharing the
        // folder, so that each sees the others' locks as they are.
        let guardFD = try FolderLock.guardFolder(path)
        defer { close(guardFD) }
        let lock = try FolderLock(manifestPath + ".lock")
        if let (other, holder) = activeOtherLayout() {
            lock.release()
            let mine = shard.map { "shard \($0.index)/\($0.count)" } ?? "unsharded"
            throw fail("\(path) is being run by another ionics sweep (pid \(holder)) with another shard layout (\(other)); this one is \(mine). "
                       + "Shards of one folder must use the same --shard …/N: wait for it, use its layout, or use another -o", Exit.file)
        }
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

    /// The manifest and pid of a running sweep process of this folder whose shard
    /// count differs from this one's (their points overlap), if any.
    func activeOtherLayout() -> (String, String)? {
        let mine = shard?.count ?? 1
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names.sorted() where name.hasSuffix(".json.lock") && name.hasPrefix("manifest") {
            let manifest = String(name.dropLast(".lock".count))
            let count: Int
            if manifest == "manifest.json" {
                count = 1
            } else if let of = manifest.range(of: "-of-"), let n = Int(manifest[of.upperBound...].dropLast(".json".count)) {
                count = n
            } else {
                continue
            }
            guard count != mine else { continue }
            let fd = open((path as NSString).appendingPathComponent(name), O_RDWR | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                flock(fd, LOCK_UN)
                continue
            }
            if errno == EWOULDBLOCK { return (manifest, FolderLock.holder(fd)) }
        }
        return nil
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
        fd = -1
        let folder = (path as NSString).deletingLastPathComponent
        for _ in 0..<20 {
            let f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            if f < 0 { throw fail("cannot write \(path): \(String(cString: strerror(errno)))", Exit.file) }
            if flock(f, LOCK_EX | LOCK_NB) != 0 {
                let code = errno
                let holder = Self.holder(f)
                close(f)
                if code == EWOULDBLOCK {
                    throw fail("another ionics sweep (pid \(holder)) is running this shard into \(folder); wait for it or use another -o", Exit.file)
                }
                throw fail(Self.lockFailure(path, code), Exit.file)
            }
            // The holder before us may have released (and removed) the lock file between
            // our open and our flock: then the lock taken is on a file no one else sees.
            var a = stat(), b = stat()
            if fstat(f, &a) == 0, stat(path, &b) == 0, a.st_ino == b.st_ino, a.st_dev == b.st_dev {
                fd = f
                break
            }
            close(f)
        }
        if fd < 0 { throw fail("cannot take the lock \(path): it keeps being replaced", Exit.file) }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    /// The pid written in a lock file, "?" when there is none.
    static func holder(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = pread(fd, &buffer, 31, 0)
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
    }

    /// Why `flock` failed with `code` other than EWOULDBLOCK, and what to do.
    static func lockFailure(_ path: String, _ code: Int32) -> String {
        let why = String(cString: strerror(code))
        if code == ENOLCK || code == ENOSYS || code == EOPNOTSUPP || code == EINVAL {
            return "cannot lock \(path): the file system of \((path as NSString).deletingLastPathComponent) does not support file locks (\(why)); "
                + "without them two sweeps could write the same points. Use an output folder on a file system with locks "
                + "(a local disk, or NFS mounted with lock support), e.g. -o /scratch/…"
        }
        return "cannot lock \(path): \(why)"
    }

    /// Takes (waiting for it) the exclusive lock of the folder's guard file
    /// `.ionics-sweep-guard`, never removed, and returns its descriptor; closing it
    /// releases the lock.
    static func guardFolder(_ folder: String) throws -> Int32 {
        let path = (folder as NSString).appendingPathComponent(".ionics-sweep-guard")
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw fail("cannot write \(path): \(String(cString: strerror(errno)))", Exit.file) }
        while flock(fd, LOCK_EX) != 0 {
            let code = errno
            if code == EINTR { continue }
            close(fd)
            throw fail(lockFailure(path, code), Exit.file)
        }
        return fd
    }

    func release() {
        guard fd >= 0 else { return }
        unlink(path)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
