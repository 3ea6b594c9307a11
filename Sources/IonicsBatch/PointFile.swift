import Foundation
import IonicsHDF5

/// What a point's run file says about itself: its root attribute `status`, written by
/// `ionics run` when the run ended (completed, failed or interrupted) just before the
/// file was renamed from its temporary name. A resume trusts this, not the manifest.
public enum PointFile {
    public enum State: Sendable, Equatable {
        /// No file at the path.
        case missing
        case completed
        /// The run ended with status "failed" or "interrupted" (`status`), and why.
        case ended(status: String, failure: String?)
        /// The file exists but cannot be read as a run file.
        case unreadable(String)
    }

    /// The state of the run file at `path`.
    public static func state(_ path: String) -> State {
        guard FileManager.default.fileExists(atPath: path) else { return .missing }
        do {
            let root = try HDF5File.open(at: path).root()
            let status = try root.stringAttribute("status")
            if status == "completed" { return .completed }
            return .ended(status: status, failure: try? root.stringAttribute("failure"))
        } catch {
            return .unreadable("\(error)")
        }
    }

    /// Which file is at a path: device, inode, modification time (ns) and size. A run
    /// writes a temporary file and renames it over the path, so a file with the same
    /// identity after a run is not that run's result.
    public struct Identity: Sendable, Equatable {
        public let device: UInt64
        public let inode: UInt64
        public let modified: Int64
        public let size: Int64
    }

    /// The identity of the file at `path`, nil when there is none.
    public static func identity(_ path: String) -> Identity? {
        var s = stat()
        guard stat(path, &s) == 0 else { return nil }
        return Identity(device: UInt64(s.st_dev), inode: UInt64(s.st_ino),
                        modified: Int64(s.st_mtim.tv_sec) * 1_000_000_000 + Int64(s.st_mtim.tv_nsec), size: Int64(s.st_size))
    }

    /// FNV-1a 64 of the run file's root attribute `config` — the effective config text
    /// the run computed (base config with its overrides applied) — or nil when the file
    /// or the attribute cannot be read.
    public static func configHash(_ path: String) -> String? {
        guard let root = try? HDF5File.open(at: path).root(), let text = try? root.stringAttribute("config") else { return nil }
        return FNV1a64.hex(text)
    }

    /// Temporary files left beside `path` by runs that did not finish
    /// (`<file>.<pid>-<random>.partial`, `<file>.partial`).
    public static func leftovers(_ path: String) -> [String] {
        let folder = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        return names.filter { $0.hasPrefix(base + ".") && $0.hasSuffix(".partial") }.sorted()
            .map { (folder as NSString).appendingPathComponent($0) }
    }

    /// The numeric scalar attributes of the run's `metrics` group (integers as Doubles),
    /// or nil when the file or the group cannot be read.
    public static func metrics(_ path: String) -> [String: Double]? {
        guard let file = try? HDF5File.open(at: path), let g = try? file.root().openGroup("metrics"),
              let names = try? g.attributeNames() else { return nil }
        var values: [String: Double] = [:]
        for name in names {
            switch try? g.attribute(name) {
            case .double(let x): values[name] = x
            case .int(let n): values[name] = Double(n)
            default: continue
            }
        }
        return values
    }
}
