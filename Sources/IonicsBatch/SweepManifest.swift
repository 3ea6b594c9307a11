public import Foundation

/// What a sweep's folder says about its points: `manifest.json` (or
/// `manifest-shard-I-of-N.json` for shard I of N), rewritten atomically after every
/// point. It records what was asked and what happened; whether a point's file is
/// complete is read from the file itself (``PointFile``), never trusted from here.
public struct SweepManifest: Codable, Sendable {
    public struct Schema: Codable, Sendable, Equatable {
        public var name = "ionics.sweep-manifest"
        public var version = 1
    }

    public struct Shard: Codable, Sendable, Equatable {
        public var index: Int
        public var count: Int

        public init(index: Int, count: Int) {
            self.index = index
            self.count = count
        }
    }

    public struct AxisRecord: Codable, Sendable {
        public var name: String
        public var kind: SweepAxis.Kind
        public var paths: [String]
        public var length: Int
        public var coordinates: [CoordinateRecord]
    }

    public enum Status: String, Codable, Sendable, CaseIterable {
        case pending, running, completed, failed, interrupted
    }

    public struct PointRecord: Codable, Sendable {
        public var index: Int
        public var hash: String
        /// The run file, relative to the sweep's folder.
        public var file: String
        public var axisIndices: [Int]
        /// The `--set` arguments of the point's run.
        public var overrides: [String]
        public var status: Status
        public var failure: String?
        /// How many times this point's run was started in this folder (kept across resumes).
        public var runs: Int
        /// Wall time of the last run (s).
        public var elapsed: Double?
        /// FNV-1a 64 of the point's effective config text (the base config with the
        /// overrides applied, as the run stores it in its attribute `config`): a file
        /// whose config differs was computed from another base and is stale.
        public var configHash: String?

        enum CodingKeys: String, CodingKey {
            case index, hash, file, overrides, status, failure, runs, elapsed
            case axisIndices = "axis_indices", configHash = "config_hash"
        }
    }

    public var schema = Schema()
    public var sweepID: String
    /// The sweep file and base config as given on the command line and in the sweep.
    public var sweepFile: String
    public var base: String
    public var baseHash: String
    public var shard: Shard?
    /// Points in the whole sweep (all shards).
    public var pointCount: Int
    public var axes: [AxisRecord]
    public var updated: String
    /// This manifest's points (a shard's share), by index.
    public var points: [PointRecord]

    enum CodingKeys: String, CodingKey {
        case schema, shard, axes, updated, points, base
        case sweepID = "sweep_id", sweepFile = "sweep_file", baseHash = "base_hash", pointCount = "point_count"
    }

    /// A manifest of `points` of `plan`, every point pending.
    public init(plan: SweepPlan, sweepFile: String, shard: Shard?, points: [SweepPoint]) {
        sweepID = plan.sweepID
        self.sweepFile = sweepFile
        base = plan.spec.base
        baseHash = plan.baseHash
        self.shard = shard
        pointCount = plan.points.count
        axes = plan.spec.axes.map { AxisRecord(name: $0.name, kind: $0.kind, paths: $0.paths, length: $0.length, coordinates: $0.coordinates) }
        updated = ""
        self.points = points.map {
            PointRecord(index: $0.index, hash: $0.hash, file: $0.fileName, axisIndices: $0.axisIndices, overrides: $0.overrides,
                        status: .pending, failure: nil, runs: 0, elapsed: nil)
        }
    }

    /// The manifest's file name: `manifest.json`, or `manifest-shard-I-of-N.json`.
    public static func fileName(shard: Shard?) -> String {
        shard.map { "manifest-shard-\($0.index)-of-\($0.count).json" } ?? "manifest.json"
    }

    /// Paths of the manifests in `folder` (unsharded and every shard's), sorted.
    public static func paths(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0 == "manifest.json" || ($0.hasPrefix("manifest-shard-") && $0.hasSuffix(".json")) }
            .sorted().map { (folder as NSString).appendingPathComponent($0) }
    }

    public static func load(_ path: String) throws(BatchError) -> SweepManifest {
        guard let data = FileManager.default.contents(atPath: path) else { throw BatchError(.manifest, path: path, "cannot read the file") }
        do {
            let m = try JSONDecoder().decode(SweepManifest.self, from: data)
            guard m.schema.name == Schema().name else { throw BatchError(.manifest, path: path, "not a sweep manifest (schema \(m.schema.name))") }
            guard m.schema.version <= Schema().version else {
                throw BatchError(.manifest, path: path, "manifest version \(m.schema.version) is newer than this ionics reads (\(Schema().version))")
            }
            return m
        } catch let e as BatchError {
            throw e
        } catch {
            throw BatchError(.manifest, path: path, "not a sweep manifest: \(error)")
        }
    }

    /// Writes the manifest to `path` atomically: a temporary file in the same folder,
    /// flushed, then renamed over `path`, so a reader (or a crash) never sees half of it.
    public mutating func write(to path: String) throws(BatchError) {
        updated = ISO8601DateFormatter().string(from: Date())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(self) } catch { throw BatchError(.manifest, path: path, "cannot encode: \(error)") }
        try AtomicFile.write(data + Data("\n".utf8), to: path)
    }
}

/// Writing files whole or not at all: a temporary file beside the destination, then
/// `rename(2)`, which replaces the destination atomically on a POSIX file system.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws(BatchError) {
        let temporary = "\(path).\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw BatchError(.file, path: path, "cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        if let handle = FileHandle(forWritingAtPath: temporary) {
            try? handle.synchronize()
            try? handle.close()
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw BatchError(.file, path: path, "cannot rename \(temporary) into place: \(reason)")
        }
    }
}
