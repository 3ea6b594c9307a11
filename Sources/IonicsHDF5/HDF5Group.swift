internal import CHDF5
import Foundation

/// A dense array read from a dataset: its shape and its values in row-major order.
public struct HDF5Array: Sendable, Equatable {
    public let shape: [Int]
    public let values: [Double]

    public init(shape: [Int], values: [Double]) {
        self.shape = shape
        self.values = values
    }

    /// Value at a multi-index (row-major).
    public subscript(_ index: Int...) -> Double {
        precondition(index.count == shape.count, "index rank differs from the array's")
        var flat = 0
        for (i, n) in zip(index, shape) { flat = flat * n + i }
        return values[flat]
    }
}

/// Storage options of a new dataset.
public struct HDF5DatasetOptions: Sendable {
    /// Deflate level 0–9; 0 stores uncompressed (still chunked).
    public var deflateLevel: Int = 1
    /// Target number of elements per chunk; chunks are clamped to the data.
    public var chunkElements: Int = 32_768

    public init(deflateLevel: Int = 1, chunkElements: Int = 32_768) {
        self.deflateLevel = deflateLevel
        self.chunkElements = chunkElements
    }
    public static let `default` = HDF5DatasetOptions()
}

/// An open HDF5 group.
public final class HDF5Group: HDF5Object, @unchecked Sendable {
    /// Creates subgroup `name`.
    public func createGroup(_ name: String) throws(HDF5Error) -> HDF5Group {
        try HDF5Library.sync { () throws(HDF5Error) -> HDF5Group in
            try file.ensureOpen("createGroup")
            let p = child(name)
            let gid = try HDF5Library.check(
                H5Gcreate2(id, name, ionics_h5p_default(), ionics_h5p_default(), ionics_h5p_default()),
                "H5Gcreate2", file.workingPath + ":" + p)
            return HDF5Group(file: file, id: gid, path: p)
        }
    }

    /// Opens subgroup `name` (a path relative to this group is allowed).
    public func openGroup(_ name: String) throws(HDF5Error) -> HDF5Group {
        try HDF5Library.sync { () throws(HDF5Error) -> HDF5Group in
            try file.ensureOpen("openGroup")
            let p = child(name)
            try requireLink(name, p)
            let gid = try HDF5Library.check(H5Gopen2(id, name, ionics_h5p_default()), "H5Gopen2", file.workingPath + ":" + p)
            return HDF5Group(file: file, id: gid, path: p)
        }
    }

    /// Opens subgroup `name`, creating it if missing.
    public func group(_ name: String) throws(HDF5Error) -> HDF5Group {
        try contains(name) ? openGroup(name) : createGroup(name)
    }

    /// Whether a link `name` exists in this group.
    public func contains(_ name: String) throws(HDF5Error) -> Bool {
        try HDF5Library.sync { () throws(HDF5Error) -> Bool in
            try file.ensureOpen("contains")
            let r = H5Lexists(id, name, ionics_h5p_default())
            if r < 0 { _ = HDF5Library.errorStack() }
            return r > 0
        }
    }

    private func requireLink(_ name: String, _ p: String) throws(HDF5Error) {
        if H5Lexists(id, name, ionics_h5p_default()) <= 0 {
            _ = HDF5Library.errorStack()
            throw HDF5Error(kind: .missing, function: "open", path: file.workingPath + ":" + p, message: "no such object", stack: [])
        }
    }

    /// Names of the links in this group, in name order.
    public func childNames() throws(HDF5Error) -> [String] {
        try HDF5Library.sync { () throws(HDF5Error) -> [String] in
            try file.ensureOpen("childNames")
            var info = H5G_info_t()
            try HDF5Library.check(status: H5Gget_info(id, &info), "H5Gget_info", location)
            return (0..<info.nlinks).map { i in
                let length = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, ionics_h5p_default())
                var buffer = [CChar](repeating: 0, count: Int(max(length, 0)) + 1)
                _ = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, i, &buffer, buffer.count, ionics_h5p_default())
                return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
    }

    /// Whether child `name` is a group (false for datasets and missing names).
    public func isGroup(_ name: String) throws(HDF5Error) -> Bool {
        try HDF5Library.sync { () throws(HDF5Error) -> Bool in
            guard H5Lexists(id, name, ionics_h5p_default()) > 0 else { _ = HDF5Library.errorStack(); return false }
            let oid = try HDF5Library.check(H5Oopen(id, name, ionics_h5p_default()), "H5Oopen", location + "/" + name)
            defer { H5Oclose(oid) }
            return H5Iget_type(oid) == H5I_GROUP
        }
    }

    // MARK: Datasets

    /// Chunk shape for `dims`: the data's own shape, halved along its largest
    /// dimension until a chunk holds at most `target` elements; never 0.
    public static func chunkShape(_ dims: [Int], target: Int) -> [Int] {
        var chunk = dims.map { max($0, 1) }
        while chunk.reduce(1, *) > max(target, 1) {
            let i = chunk.indices.max { chunk[$0] < chunk[$1] }!
            if chunk[i] == 1 { break }
            chunk[i] = (chunk[i] + 1) / 2
        }
        return chunk
    }

    func creationProperties(chunk: [Int], options: HDF5DatasetOptions, _ at: String) throws(HDF5Error) -> hid_t {
        let dcpl = try HDF5Library.check(H5Pcreate(ionics_h5p_dataset_create()), "H5Pcreate", at)
        var c = chunk.map { hsize_t($0) }
        try HDF5Library.check(status: H5Pset_chunk(dcpl, Int32(c.count), &c), "H5Pset_chunk", at)
        if options.deflateLevel > 0 {
            try HDF5Library.check(status: H5Pset_shuffle(dcpl), "H5Pset_shuffle", at)
            try HDF5Library.check(status: H5Pset_deflate(dcpl, UInt32(min(options.deflateLevel, 9))), "H5Pset_deflate", at)
        }
        return dcpl
    }

    /// Writes a dataset of rank 1–3 (`values` in row-major order), chunked and
    /// compressed. `shape` defaults to `[values.count]`. With `type` ``HDF5ElementType/int64``
    /// the values (which must be whole numbers) are stored as 64-bit integers.
    @discardableResult
    public func write(
        _ name: String, _ values: [Double], shape: [Int]? = nil, type: HDF5ElementType = .float64,
        options: HDF5DatasetOptions = .default
    ) throws(HDF5Error) -> HDF5Dataset {
        try HDF5Library.sync { () throws(HDF5Error) -> HDF5Dataset in
            try file.ensureOpen("write")
            let p = child(name)
            let at = file.workingPath + ":" + p
            let dims = shape ?? [values.count]
            guard (1...3).contains(dims.count), dims.allSatisfy({ $0 >= 0 }), dims.reduce(1, *) == values.count else {
                throw HDF5Error(
                    kind: .badShape, function: "write", path: at,
                    message: "shape \(dims) does not fit \(values.count) values (rank must be 1–3)", stack: [])
            }
            return try createDataset(name, values, dims: dims, type: type, options: options, at: at)
        }
    }

    /// Creates and fills dataset `name` of shape `dims` (already checked against
    /// `values`); must be called inside ``HDF5Library/sync(_:)``.
    func createDataset(
        _ name: String, _ values: [Double], dims: [Int], type: HDF5ElementType, options: HDF5DatasetOptions, at: String
    ) throws(HDF5Error) -> HDF5Dataset {
        let p = child(name)
        var h = dims.map { hsize_t($0) }
        let space = try HDF5Library.check(H5Screate_simple(Int32(h.count), &h, nil), "H5Screate_simple", at)
        defer { H5Sclose(space) }
        // Empty data cannot be chunked (chunks must fit the fixed extent): store it contiguous.
        let dcpl = values.isEmpty
            ? ionics_h5p_default()
            : try creationProperties(chunk: Self.chunkShape(dims, target: options.chunkElements), options: options, at)
        defer { if dcpl != ionics_h5p_default() { H5Pclose(dcpl) } }
        let did = try HDF5Library.check(
            H5Dcreate2(id, name, type.fileType, space, ionics_h5p_default(), dcpl, ionics_h5p_default()),
            "H5Dcreate2", at)
        let dataset = HDF5Dataset(file: file, id: did, path: p)
        if !values.isEmpty {
            let status = values.withUnsafeBufferPointer {
                H5Dwrite(did, ionics_h5t_native_double(), ionics_h5s_all(), ionics_h5s_all(), ionics_h5p_default(), $0.baseAddress)
            }
            try HDF5Library.check(status: status, "H5Dwrite", at)
        }
        return dataset
    }

    /// Creates an extendable dataset of shape `[0] + rowShape` (rank 1–3) that grows
    /// along its first dimension by ``HDF5Dataset/append(_:)``: a time series while a
    /// run goes on. Rows are appended as Doubles whatever `type` is stored: HDF5
    /// converts them (whole numbers only for ``HDF5ElementType/int64``).
    public func createAppendable(
        _ name: String, rowShape: [Int] = [], type: HDF5ElementType = .float64, options: HDF5DatasetOptions = .default
    ) throws(HDF5Error) -> HDF5Dataset {
        try HDF5Library.sync { () throws(HDF5Error) -> HDF5Dataset in
            try file.ensureOpen("createAppendable")
            let p = child(name)
            let at = file.workingPath + ":" + p
            guard rowShape.count <= 2, rowShape.allSatisfy({ $0 > 0 }) else {
                throw HDF5Error(kind: .badShape, function: "createAppendable", path: at,
                                message: "row shape \(rowShape) must have rank 0–2 and positive sizes", stack: [])
            }
            var dims = ([0] + rowShape).map { hsize_t($0) }
            var maxDims = [ionics_h5s_unlimited()] + rowShape.map { hsize_t($0) }
            let space = try HDF5Library.check(H5Screate_simple(Int32(dims.count), &dims, &maxDims), "H5Screate_simple", at)
            defer { H5Sclose(space) }
            let rowElements = rowShape.reduce(1, *)
            let rows = max(1, min(4096, options.chunkElements / rowElements))
            let chunk = [rows] + Self.chunkShape(rowShape, target: options.chunkElements)
            let dcpl = try creationProperties(chunk: chunk, options: options, at)
            defer { H5Pclose(dcpl) }
            let did = try HDF5Library.check(
                H5Dcreate2(id, name, type.fileType, space, ionics_h5p_default(), dcpl, ionics_h5p_default()),
                "H5Dcreate2", at)
            return HDF5Dataset(file: file, id: did, path: p)
        }
    }

    /// Opens dataset `name`.
    public func openDataset(_ name: String) throws(HDF5Error) -> HDF5Dataset {
        try HDF5Library.sync { () throws(HDF5Error) -> HDF5Dataset in
            try file.ensureOpen("openDataset")
            let p = child(name)
            try requireLink(name, p)
            let did = try HDF5Library.check(H5Dopen2(id, name, ionics_h5p_default()), "H5Dopen2", file.workingPath + ":" + p)
            return HDF5Dataset(file: file, id: did, path: p)
        }
    }

    /// Reads dataset `name` whole, as Doubles.
    public func read(_ name: String) throws(HDF5Error) -> HDF5Array {
        try openDataset(name).read()
    }
}

/// An open dataset of numbers (read as Doubles).
public final class HDF5Dataset: HDF5Object, @unchecked Sendable {
    /// Current shape.
    public func shape() throws(HDF5Error) -> [Int] {
        try HDF5Library.sync { () throws(HDF5Error) -> [Int] in
            try file.ensureOpen("shape")
            return try currentShape()
        }
    }

    private func currentShape() throws(HDF5Error) -> [Int] {
        let space = try HDF5Library.check(H5Dget_space(id), "H5Dget_space", location)
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        var dims = [hsize_t](repeating: 0, count: max(rank, 1))
        _ = H5Sget_simple_extent_dims(space, &dims, nil)
        return rank == 0 ? [] : dims.map { Int($0) }
    }

    /// Reads the whole dataset (numeric types convert to Double).
    public func read() throws(HDF5Error) -> HDF5Array {
        try HDF5Library.sync { () throws(HDF5Error) -> HDF5Array in
            try file.ensureOpen("read")
            let type = try HDF5Library.check(H5Dget_type(id), "H5Dget_type", location)
            defer { H5Tclose(type) }
            let cls = H5Tget_class(type)
            guard cls == H5T_FLOAT || cls == H5T_INTEGER else {
                throw HDF5Error(kind: .typeMismatch, function: "read", path: location, message: "dataset is not numeric", stack: [])
            }
            let shape = try currentShape()
            var values = [Double](repeating: 0, count: shape.reduce(1, *))
            if !values.isEmpty {
                let status = values.withUnsafeMutableBufferPointer {
                    H5Dread(id, ionics_h5t_native_double(), ionics_h5s_all(), ionics_h5s_all(), ionics_h5p_default(), $0.baseAddress)
                }
                try HDF5Library.check(status: status, "H5Dread", location)
            }
            return HDF5Array(shape: shape, values: values)
        }
    }

    /// Appends one row (for rank-1 datasets, one value) to an extendable dataset.
    public func append(_ row: [Double]) throws(HDF5Error) {
        try append(rows: row, count: 1)
    }

    /// Appends one value to a rank-1 extendable dataset.
    public func append(_ value: Double) throws(HDF5Error) {
        try append(rows: [value], count: 1)
    }

    /// Appends `count` rows stored consecutively in `rows`.
    public func append(rows: [Double], count: Int) throws(HDF5Error) {
        try HDF5Library.sync { () throws(HDF5Error) in
            try file.ensureOpen("append")
            var dims = try currentShape().map { hsize_t($0) }
            let rowElements = dims.dropFirst().reduce(1) { $0 * Int($1) }
            guard rows.count == rowElements * count else {
                throw HDF5Error(kind: .badShape, function: "append", path: location,
                                message: "\(rows.count) values do not make \(count) rows of \(rowElements)", stack: [])
            }
            if count == 0 { return }
            let start = dims[0]
            dims[0] += hsize_t(count)
            try HDF5Library.check(status: H5Dset_extent(id, &dims), "H5Dset_extent", location)
            let space = try HDF5Library.check(H5Dget_space(id), "H5Dget_space", location)
            defer { H5Sclose(space) }
            var offset = [hsize_t](repeating: 0, count: dims.count)
            offset[0] = start
            var block = dims
            block[0] = hsize_t(count)
            try HDF5Library.check(
                status: H5Sselect_hyperslab(space, H5S_SELECT_SET, &offset, nil, &block, nil), "H5Sselect_hyperslab", location)
            let memory = try HDF5Library.check(H5Screate_simple(Int32(block.count), &block, nil), "H5Screate_simple", location)
            defer { H5Sclose(memory) }
            let status = rows.withUnsafeBufferPointer {
                H5Dwrite(id, ionics_h5t_native_double(), memory, space, ionics_h5p_default(), $0.baseAddress)
            }
            try HDF5Library.check(status: status, "H5Dwrite", location)
        }
    }
}
