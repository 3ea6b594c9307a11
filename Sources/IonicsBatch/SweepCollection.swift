import Foundation

/// Every point of a sweep with what its run file says: the merge of all the manifests
/// in a sweep's folder (unsharded and every shard's) with the point files, which
/// `ionics collect` writes as a CSV table and an N-dimensional HDF5 file.
public struct SweepCollection: Sendable {
    public struct Point: Sendable {
        public var index: Int
        public var axisIndices: [Int]
        /// Empty for a point no manifest lists (a shard that never ran).
        public var hash: String
        /// One of ``SweepTableNames/statuses``.
        public var status: String
        public var failure: String?
        /// The run's metrics; empty unless the run completed.
        public var metrics: [String: Double]
    }

    public var sweepID: String
    public var sweepFile: String
    public var base: String
    public var axes: [SweepManifest.AxisRecord]
    /// All the sweep's points, by index.
    public var points: [Point]
    /// The metrics found in any completed run, in the table's order.
    public var metricNames: [String]
    /// The manifests merged.
    public var manifests: [String]

    /// Reads the manifests and point files of `folder`. Throws when the folder holds no
    /// manifest, or manifests of different sweeps.
    public static func read(folder: String) throws(BatchError) -> SweepCollection {
        let paths = SweepManifest.paths(in: folder)
        guard !paths.isEmpty else {
            throw BatchError(.manifest, path: folder, "no manifest.json or manifest-shard-*.json: not the folder of an `ionics sweep`")
        }
        var manifests: [SweepManifest] = []
        for p in paths { manifests.append(try SweepManifest.load(p)) }
        let first = manifests[0]
        for (m, p) in zip(manifests, paths) where m.sweepID != first.sweepID {
            throw BatchError(.manifest, path: folder,
                             "\((paths[0] as NSString).lastPathComponent) and \((p as NSString).lastPathComponent) belong to different sweeps (\(first.sweepID), \(m.sweepID)); collect one sweep per folder")
        }
        // A point listed by several manifests (an unsharded run and shards): the record
        // that completed wins, then the one written last.
        var records: [Int: SweepManifest.PointRecord] = [:]
        for m in manifests.sorted(by: { $0.updated < $1.updated }) {
            for r in m.points {
                if let old = records[r.index], old.status == .completed, r.status != .completed { continue }
                records[r.index] = r
            }
        }
        let lengths = first.axes.map(\.length)
        var points: [Point] = []
        points.reserveCapacity(first.pointCount)
        var names: Set<String> = []
        for index in 0..<first.pointCount {
            guard let r = records[index] else {
                points.append(Point(index: index, axisIndices: Self.position(index, lengths), hash: "", status: "missing",
                                    failure: "no manifest lists this point (did every shard run?)", metrics: [:]))
                continue
            }
            var point = Point(index: index, axisIndices: r.axisIndices, hash: r.hash, status: r.status.rawValue, failure: r.failure, metrics: [:])
            let file = (folder as NSString).appendingPathComponent(r.file)
            switch PointFile.state(file) {
            case .completed where r.configHash != nil && PointFile.configHash(file) != r.configHash:
                point.status = "stale"
                point.failure = "\(r.file) was computed from another config (the base config changed since); run the sweep with --resume"
            case .completed:
                point.status = "completed"
                point.failure = nil
                point.metrics = PointFile.metrics(file) ?? [:]
                names.formUnion(point.metrics.keys)
            case .ended(let status, let failure):
                point.status = SweepTableNames.statuses.contains(status) ? status : "failed"
                point.failure = failure ?? r.failure
            case .unreadable(let why):
                point.status = "failed"
                point.failure = "\(r.file) cannot be read: \(why)"
            case .missing:
                if r.status == .completed { point.status = "missing"; point.failure = "\(r.file) is missing" }
            }
            points.append(point)
        }
        return SweepCollection(sweepID: first.sweepID, sweepFile: first.sweepFile, base: first.base, axes: first.axes, points: points,
                               metricNames: SweepTableNames.ordered(names), manifests: paths)
    }

    /// The position on each axis of point `index` (row-major, the last axis fastest).
    public static func position(_ index: Int, _ lengths: [Int]) -> [Int] {
        var rest = index
        var out = [Int](repeating: 0, count: lengths.count)
        for a in lengths.indices.reversed() {
            out[a] = rest % max(lengths[a], 1)
            rest /= max(lengths[a], 1)
        }
        return out
    }

    /// Counts of points by status, in the order of ``SweepTableNames/statuses``.
    public var statusCounts: [(String, Int)] {
        SweepTableNames.statuses.map { s in (s, points.filter { $0.status == s }.count) }.filter { $0.1 > 0 }
    }
}
