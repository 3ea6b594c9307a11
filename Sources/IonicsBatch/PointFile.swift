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
