import Foundation
import IonicsHDF5

/// A problem with an output file, in plain words with the operating system's reason
/// (`detail` keeps HDF5's own error stack for `--verbose`).
public struct OutputError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable { case path, exists, locked, io }
    public var kind: Kind
    public var path: String
    public var message: String
    public var detail: String?

    public init(_ kind: Kind, path: String, _ message: String, detail: String? = nil) {
        self.kind = kind
        self.path = path
        self.message = message
        self.detail = detail
    }

    public var description: String { "\(path): \(message)" }

    /// An error from writing `path`, in plain words: the OS reason HDF5 recorded
    /// (`errno = 28` → "No space left on device") when there is one.
    public static func writing(_ error: any Error, path: String) -> OutputError {
        if let e = error as? OutputError { return e }
        guard let h = error as? HDF5Error else { return OutputError(.io, path: path, "cannot write the file: \(error)") }
        var reason = h.message.isEmpty ? nil : h.message
        for line in h.stack {
            if let r = line.range(of: "errno = ") {
                let digits = line[r.upperBound...].prefix { $0.isNumber }
                if let n = Int32(digits), n > 0 { reason = String(cString: strerror(n)); break }
            }
        }
        if reason == nil, let free = freeBytes(atDirectoryOf: path), free < 65536 { reason = String(cString: strerror(ENOSPC)) }
        return OutputError(.io, path: path, "cannot write the file: \(reason ?? "the HDF5 library failed in \(h.function)")",
                           detail: h.description)
    }

    /// Free bytes for an unprivileged user on the file system holding `path`'s folder.
    static func freeBytes(atDirectoryOf path: String) -> Double? {
        var s = statvfs()
        let dir = (path as NSString).deletingLastPathComponent
        guard statvfs(dir.isEmpty ? "." : dir, &s) == 0 else { return nil }
        return Double(s.f_bavail) * Double(s.f_frsize)
    }
}

/// Exclusive use of an output path while a run writes it: checked before anything is
/// simulated (a folder that exists or can be made, writable, a file name that is not a
/// folder), locked with `flock` on `<path>.lock` (holding the writer's pid, so a second
/// writer stops at once and says who holds it), and written under a unique temporary
/// name that the writer renames into place. Temporary files left by runs that were
/// killed are reported in ``staleFiles`` and never overwritten.
public final class OutputTarget {
    public let path: String
    /// Where the file is written until it is finished: `<path>.<pid>-<random>.partial`.
    public let workingPath: String
    public let lockPath: String
    /// Temporary files of earlier runs of this path that never finished.
    public let staleFiles: [String]
    private var lockDescriptor: Int32

    private init(path: String, workingPath: String, lockPath: String, staleFiles: [String], lockDescriptor: Int32) {
        self.path = path
        self.workingPath = workingPath
        self.lockPath = lockPath
        self.staleFiles = staleFiles
        self.lockDescriptor = lockDescriptor
    }

    static func reason(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

    /// Checks `path` and takes its lock; throws an ``OutputError`` saying what is wrong.
    public static func acquire(_ path: String, overwrite: Bool) throws(OutputError) -> OutputTarget {
        let fm = FileManager.default
        if path.trimmingCharacters(in: .whitespaces).isEmpty { throw OutputError(.path, path: "-o", "the output path is empty") }
        var isDirectory: ObjCBool = false
        if path.hasSuffix("/") || (fm.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw OutputError(.path, path: path, "is a folder; give a file name, e.g. \((path as NSString).appendingPathComponent("run.h5"))")
        }
        if ["", ".", ".."].contains((path as NSString).lastPathComponent) { throw OutputError(.path, path: path, "is not a file name") }
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty {
            if fm.fileExists(atPath: dir, isDirectory: &isDirectory) {
                if !isDirectory.boolValue { throw OutputError(.path, path: path, "\(dir) is not a folder") }
            } else if mkdirs(dir) != 0 {
                throw OutputError(.path, path: path, "cannot make the folder \(dir): \(reason())")
            }
        }
        if !overwrite && fm.fileExists(atPath: path) {
            throw OutputError(.exists, path: path, "exists; use --force to replace it or -o to write elsewhere")
        }
        let lockPath = path + ".lock"
        var fd: Int32 = -1
        for _ in 0..<20 {
            fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            if fd < 0 { throw OutputError(.io, path: path, "cannot write in \(dir.isEmpty ? "." : dir): \(reason())") }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let code = errno
                let holder = readPID(fd)
                close(fd)
                if code == EWOULDBLOCK {
                    throw OutputError(.locked, path: path,
                                      "is being written by another ionics run\(holder.map { " (pid \($0))" } ?? "") holding \(lockPath); wait for it to finish or write elsewhere with -o")
                }
                throw OutputError(.io, path: path, "cannot lock \(lockPath): \(reason(code))")
            }
            // The holder before us may have removed the lock file while we waited to open it.
            var a = stat(), b = stat()
            if fstat(fd, &a) == 0, stat(lockPath, &b) == 0, a.st_ino == b.st_ino, a.st_dev == b.st_dev { break }
            close(fd)
            fd = -1
        }
        if fd < 0 { throw OutputError(.locked, path: path, "cannot take the lock \(lockPath): it keeps being replaced") }
        let pid = "\(getpid())\n"
        if ftruncate(fd, 0) != 0 || pid.withCString({ write(fd, $0, strlen($0)) }) < 0 {
            let r = reason()
            unlink(lockPath)
            close(fd)
            throw OutputError(.io, path: path, "cannot write in \(dir.isEmpty ? "." : dir): \(r)")
        }
        if let free = OutputError.freeBytes(atDirectoryOf: path), free < 1e6 {
            unlink(lockPath)
            close(fd)
            throw OutputError(.io, path: path, "cannot write the file: \(reason(ENOSPC)) (\(Int(free)) bytes free)")
        }
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return OutputTarget(path: path, workingPath: "\(path).\(getpid())-\(suffix).partial", lockPath: lockPath,
                            staleFiles: stale(path), lockDescriptor: fd)
    }

    /// Temporary files of `path` left by runs that did not finish (this one holds the lock,
    /// so no other run is writing them).
    static func stale(_ path: String) -> [String] {
        let dir = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir) else { return [] }
        return names.filter { $0.hasPrefix(base + ".") && $0.hasSuffix(".partial") }.sorted()
            .map { dir.isEmpty ? $0 : (dir as NSString).appendingPathComponent($0) }
    }

    /// The pid written in a lock file, if any.
    static func readPID(_ fd: Int32) -> Int? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = pread(fd, &buffer, 31, 0)
        guard n > 0 else { return nil }
        return Int(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `mkdir -p`, leaving errno set on failure.
    static func mkdirs(_ dir: String) -> Int32 {
        var current = dir.hasPrefix("/") ? "/" : ""
        for part in dir.split(separator: "/") {
            current += (current.isEmpty || current.hasSuffix("/") ? "" : "/") + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST { return -1 }
        }
        return 0
    }

    /// Removes the lock file and releases the lock (also on deinit).
    public func release() {
        guard lockDescriptor >= 0 else { return }
        unlink(lockPath)
        close(lockDescriptor)
        lockDescriptor = -1
    }

    deinit { release() }
}
