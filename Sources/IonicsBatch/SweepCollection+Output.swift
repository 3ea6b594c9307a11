import Foundation
import IonicsHDF5

extension SweepCollection {
    /// One row per point, in index order: `point_index`, `point_hash`, the axes' coordinates
    /// (a column per coordinate, named by its key path, or by the axis name for the
    /// position of a multi-path axis), `status`, `failure`, then the metrics. Numbers
    /// are SI (units in the HDF5 table), empty when not a number.
    public func csv() -> String {
        let coordinates = axes.enumerated().flatMap { a, axis in axis.coordinates.map { (a, $0) } }
        var header = [SweepTableNames.pointIndex, SweepTableNames.pointHash] + coordinates.map { $0.1.path ?? $0.1.name } + ["status", "failure"]
        header += metricNames
        var lines = [header.map(Self.field).joined(separator: ",")]
        for p in points {
            var row = [String(p.index), p.hash]
            row += coordinates.map { a, c in c.text(p.axisIndices[a]) }
            row += [p.status, p.failure ?? ""]
            row += metricNames.map { name in p.metrics[name].map { $0.isFinite ? CanonicalJSON.number($0) : "" } ?? "" }
            lines.append(row.map(Self.field).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Writes the table as HDF5 at `path` (as `path.partial`, renamed when complete),
    /// laid out for netCDF readers (xarray with h5netcdf): one dimension per axis,
    /// named after it, whose coordinate is a dimension scale (`units`, `long_name` = the
    /// key path); a multi-path axis (zip, sample, points) has its position as the
    /// dimension coordinate and one coordinate variable per path on that dimension
    /// (listed in each data variable's `coordinates` attribute); every metric, the
    /// `status` code, `point_index`, `point_hash` and `failure` are arrays over all the
    /// dimensions, NaN where a point did not complete.
    public func writeHDF5(to path: String, overwrite: Bool) throws(BatchError) {
        do {
            let file = try HDF5File.create(at: path, overwrite: overwrite)
            let root = try file.root()
            try root.setAttribute("title", "ionics sweep table")
            try root.setAttribute("schema", "ionics.sweep-table")
            try root.setAttribute("schema_version", "1")
            try root.setAttribute("sweep_id", sweepID)
            try root.setAttribute("sweep_file", sweepFile)
            try root.setAttribute("base", base)
            try root.setAttribute("manifests", manifests.map { ($0 as NSString).lastPathComponent })
            try root.setAttribute("point_count", points.count)
            var scales: [HDF5Dataset] = []
            var auxiliary: [String] = []
            for axis in axes {
                var scale: HDF5Dataset?
                for c in axis.coordinates {
                    let d: HDF5Dataset
                    if let numbers = c.numbers {
                        d = try root.writeArray(c.name, numbers, shape: [numbers.count], type: c.path == nil ? .int64 : .float64)
                        try d.setAttribute("units", c.units ?? "1")
                    } else {
                        d = try root.writeStrings(c.name, c.labels ?? [])
                    }
                    try d.setAttribute("long_name", c.path ?? "position along the \(axis.kind.rawValue) axis \(axis.name)")
                    try d.setAttribute("axis_kind", axis.kind.rawValue)
                    if let p = c.path { try d.setAttribute("key_path", p) }
                    if let scale {
                        try d.attachScale(scale, axis: 0)
                        auxiliary.append(c.name)
                    } else {
                        try d.makeDimensionScale(axis.name)
                        scale = d
                    }
                }
                if let scale { scales.append(scale) }
            }
            let shape = axes.map(\.length)
            func attach(_ d: HDF5Dataset, units: String?, longName: String) throws {
                for (k, s) in scales.enumerated() { try d.attachScale(s, axis: k) }
                if let units { try d.setAttribute("units", units) }
                try d.setAttribute("long_name", longName)
                if !auxiliary.isEmpty { try d.setAttribute("coordinates", auxiliary.joined(separator: " ")) }
            }
            for name in metricNames {
                let (units, longName) = SweepTableNames.describe(name)
                let d = try root.writeArray(name, points.map { $0.metrics[name] ?? .nan }, shape: shape)
                try attach(d, units: units, longName: longName)
            }
            let codes = points.map { Double(SweepTableNames.statuses.firstIndex(of: $0.status) ?? SweepTableNames.statuses.firstIndex(of: "missing") ?? 0) }
            let status = try root.writeArray(SweepTableNames.status, codes, shape: shape, type: .int64)
            try attach(status, units: "1", longName: "status of the point's run")
            try status.setAttribute("flag_values", Array(SweepTableNames.statuses.indices))
            try status.setAttribute("flag_meanings", SweepTableNames.statuses.joined(separator: " "))
            let index = try root.writeArray(SweepTableNames.pointIndex, points.map { Double($0.index) }, shape: shape, type: .int64)
            try attach(index, units: "1", longName: "index of the point in the sweep")
            try attach(try root.writeStrings(SweepTableNames.pointHash, points.map(\.hash), shape: shape), units: nil,
                       longName: "hash of the point's overrides (its run file is point-<hash>.h5)")
            try attach(try root.writeStrings(SweepTableNames.failure, points.map { $0.failure ?? "" }, shape: shape), units: nil,
                       longName: "why the point did not complete")
            try file.commit()
        } catch let e as HDF5Error {
            throw BatchError(.output, path: path, "cannot write the table: \(e)")
        } catch {
            throw BatchError(.output, path: path, "cannot write the table: \(error)")
        }
    }
}
