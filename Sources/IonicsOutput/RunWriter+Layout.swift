import Foundation
import IonicsHDF5

/// How the run file's datasets are made self-describing: each gets its `units` and
/// `long_name` from ``RunSchema``, integer storage where the schema says so, and
/// dimension scales on its axes. Every group that holds data has its own coordinate
/// datasets (copies where two groups share an axis), so that a netCDF reader can open
/// any group alone: h5netcdf looks dimensions up in a dataset's group and its parents.
extension RunWriter {
    /// Path of `name` in `group`, relative to the root (`terminals/gate/voltage`).
    func relativePath(_ group: HDF5Group, _ name: String) -> String {
        group.path == "/" ? name : String(group.path.dropFirst()) + "/" + name
    }

    /// Sets `units`, `long_name` and, for enumerations, CF `flag_values` and
    /// `flag_meanings` on `dataset`. `units` replaces the schema's for the swept
    /// parameter; `flags` gives the codes of enumerations the device defines (layers,
    /// terminals).
    func describe(_ dataset: HDF5Dataset, _ path: String, units: String? = nil, flags: [String]? = nil) throws {
        guard let v = RunSchema.variable(path) else {
            throw RunWriterError(message: "dataset \(path) is not in the run file schema (RunSchema)")
        }
        let u = v.units == RunSchema.sweptUnit ? (units ?? "1") : v.units
        try dataset.setAttribute("units", u)
        try dataset.setAttribute("long_name", v.longName)
        let meanings = flags.map { $0.map(flagWord) } ?? v.flags.map(\.meaning)
        if !meanings.isEmpty {
            let values = flags != nil ? Array(meanings.indices) : v.flags.map(\.value)
            try dataset.setAttribute("flag_values", values)
            try dataset.setAttribute("flag_meanings", meanings.joined(separator: " "))
        }
    }

    /// CF flag meanings are blank-separated words.
    func flagWord(_ s: String) -> String {
        s.replacingOccurrences(of: " ", with: "_")
    }

    /// Storage type of dataset `path` from the schema.
    func elementType(_ path: String) -> HDF5ElementType {
        RunSchema.variable(path)?.integer == true ? .int64 : .float64
    }

    /// An appendable coordinate `name` of `group`: a dimension scale of the same name.
    func appendableCoordinate(_ group: HDF5Group, _ name: String) throws -> HDF5Dataset {
        let path = relativePath(group, name)
        let d = try group.createAppendable(name, type: elementType(path))
        try d.makeDimensionScale(name)
        try describe(d, path)
        return d
    }

    /// A fixed coordinate `name` of `group` holding `values`: a dimension scale.
    @discardableResult
    func fixedCoordinate(_ group: HDF5Group, _ name: String, _ values: [Double], units: String? = nil) throws -> HDF5Dataset {
        let path = relativePath(group, name)
        let d = try group.write(name, values, type: elementType(path))
        try d.makeDimensionScale(name)
        try describe(d, path, units: units)
        return d
    }

    /// An appendable data variable along `dims` (first the growing axis, then the
    /// row's axes), buffered; `flags` names the codes of a device enumeration.
    func appendableVariable(_ group: HDF5Group, _ name: String, dims: [HDF5Dataset], flags: [String]? = nil) throws -> BufferedSeries {
        let path = relativePath(group, name)
        let rowShape = try dims.dropFirst().map { try $0.shape()[0] }
        let d = try group.createAppendable(name, rowShape: rowShape, type: elementType(path))
        try describe(d, path, flags: flags)
        for (axis, scale) in dims.enumerated() { try d.attachScale(scale, axis: axis) }
        return buffered(d)
    }

    /// A fixed data variable along `dims`.
    func fixedVariable(_ group: HDF5Group, _ name: String, _ values: [Double], dims: [HDF5Dataset],
                       units: String? = nil, flags: [String]? = nil) throws {
        let path = relativePath(group, name)
        let shape = try dims.map { try $0.shape()[0] }
        let d = try group.write(name, values, shape: shape, type: elementType(path))
        try describe(d, path, units: units, flags: flags)
        for (axis, scale) in dims.enumerated() { try d.attachScale(scale, axis: axis) }
    }

    /// A buffered appendable coordinate: `primary` in `group`, mirrored into each of
    /// `copies` (groups that need the same axis as their own coordinate).
    func appendableAxis(_ group: HDF5Group, _ name: String, copies: [HDF5Group] = []) throws
        -> (series: BufferedSeries, scales: [String: HDF5Dataset])
    {
        var scales: [String: HDF5Dataset] = [:]
        var datasets: [HDF5Dataset] = []
        for g in [group] + copies {
            let d = try appendableCoordinate(g, name)
            scales[g.path] = d
            datasets.append(d)
        }
        return (buffered(datasets), scales)
    }

    func buffered(_ datasets: HDF5Dataset...) -> BufferedSeries { buffered(datasets) }

    func buffered(_ datasets: [HDF5Dataset]) -> BufferedSeries {
        let rowLength = (try? datasets[0].shape().dropFirst().reduce(1, *)) ?? 1
        let b = BufferedSeries(datasets, rowLength: rowLength)
        buffers.append(b)
        return b
    }
}

/// The run writer was asked to write something its schema does not describe.
public struct RunWriterError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Rows for appendable datasets, written in blocks of about 64 KiB; each row goes to
/// every dataset of the series (a coordinate and its copies in other groups).
final class BufferedSeries {
    let datasets: [HDF5Dataset]
    let rowLength: Int
    let capacity: Int
    var rows: [Double] = []

    init(_ datasets: [HDF5Dataset], rowLength: Int) {
        self.datasets = datasets
        self.rowLength = rowLength
        capacity = max(1, 8192 / rowLength)
        rows.reserveCapacity(capacity * rowLength)
    }

    func append(_ value: Double) throws { try append([value]) }

    func append(_ row: [Double]) throws {
        precondition(row.count == rowLength, "row of \(row.count) values for a series of rows of \(rowLength)")
        rows += row
        if rows.count >= capacity * rowLength { try flush() }
    }

    func flush() throws {
        guard !rows.isEmpty else { return }
        for d in datasets { try d.append(rows: rows, count: rows.count / rowLength) }
        rows.removeAll(keepingCapacity: true)
    }
}
