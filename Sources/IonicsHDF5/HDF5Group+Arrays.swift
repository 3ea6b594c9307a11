internal import CHDF5
import Foundation

/// Datasets of any rank up to HDF5's 32, and datasets of text: what a table over the
/// axes of a parameter sweep needs (a metric over four swept parameters is a 4-D
/// array; a swept material name is a text coordinate).
extension HDF5Group {
    /// HDF5's largest rank (`H5S_MAX_RANK`).
    public static let maxRank = 32

    /// Writes a numeric dataset of rank 1–32 (`values` in row-major order), chunked and
    /// compressed as ``write(_:_:shape:type:options:)`` does.
    @discardableResult
    public func writeArray(
        _ name: String, _ values: [Double], shape: [Int], type: HDF5ElementType = .float64, options: HDF5DatasetOptions = .default
    ) throws(HDF5Error) -> HDF5Dataset {
        try HDF5Library.sync { () throws(HDF5Error) -> HDF5Dataset in
            try file.ensureOpen("writeArray")
            let at = file.workingPath + ":" + child(name)
            guard (1...Self.maxRank).contains(shape.count), shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
                throw HDF5Error(
                    kind: .badShape, function: "writeArray", path: at,
                    message: "shape \(shape) does not fit \(values.count) values (rank must be 1–\(Self.maxRank))", stack: [])
            }
            return try createDataset(name, values, dims: shape, type: type, options: options, at: at)
        }
    }

    /// Writes a dataset of variable-length UTF-8 strings of rank 1–32 (`values` in
    /// row-major order; `shape` defaults to `[values.count]`), stored contiguously.
    /// netCDF-4 readers see it as a string variable.
    @discardableResult
    public func writeStrings(_ name: String, _ values: [String], shape: [Int]? = nil) throws(HDF5Error) -> HDF5Dataset {
        try HDF5Library.sync { () throws(HDF5Error) -> HDF5Dataset in
            try file.ensureOpen("writeStrings")
            let p = child(name)
            let at = file.workingPath + ":" + p
            let dims = shape ?? [values.count]
            guard (1...Self.maxRank).contains(dims.count), dims.allSatisfy({ $0 >= 0 }), dims.reduce(1, *) == values.count else {
                throw HDF5Error(
                    kind: .badShape, function: "writeStrings", path: at,
                    message: "shape \(dims) does not fit \(values.count) strings (rank must be 1–\(Self.maxRank))", stack: [])
            }
            let type = try HDF5Library.check(H5Tcopy(ionics_h5t_c_s1()), "H5Tcopy", at)
            defer { H5Tclose(type) }
            try HDF5Library.check(status: H5Tset_size(type, ionics_h5t_variable()), "H5Tset_size", at)
            try HDF5Library.check(status: H5Tset_cset(type, H5T_CSET_UTF8), "H5Tset_cset", at)
            var h = dims.map { hsize_t($0) }
            let space = try HDF5Library.check(H5Screate_simple(Int32(h.count), &h, nil), "H5Screate_simple", at)
            defer { H5Sclose(space) }
            let did = try HDF5Library.check(
                H5Dcreate2(id, name, type, space, ionics_h5p_default(), ionics_h5p_default(), ionics_h5p_default()), "H5Dcreate2", at)
            let dataset = HDF5Dataset(file: file, id: did, path: p)
            if !values.isEmpty {
                let cStrings: [UnsafeMutablePointer<CChar>?] = values.map { strdup($0) }
                defer { cStrings.forEach { free($0) } }
                let status = cStrings.withUnsafeBufferPointer {
                    H5Dwrite(did, type, ionics_h5s_all(), ionics_h5s_all(), ionics_h5p_default(), $0.baseAddress)
                }
                try HDF5Library.check(status: status, "H5Dwrite", at)
            }
            return dataset
        }
    }
}

extension HDF5Dataset {
    /// Reads a dataset of variable-length strings (row-major).
    public func readStrings() throws(HDF5Error) -> [String] {
        try HDF5Library.sync { () throws(HDF5Error) -> [String] in
            try file.ensureOpen("readStrings")
            let fileType = try HDF5Library.check(H5Dget_type(id), "H5Dget_type", location)
            defer { H5Tclose(fileType) }
            guard H5Tget_class(fileType) == H5T_STRING, H5Tis_variable_str(fileType) > 0 else {
                throw HDF5Error(kind: .typeMismatch, function: "readStrings", path: location,
                                message: "dataset is not of variable-length strings", stack: [])
            }
            let space = try HDF5Library.check(H5Dget_space(id), "H5Dget_space", location)
            defer { H5Sclose(space) }
            let count = Int(H5Sget_simple_extent_npoints(space))
            if count == 0 { return [] }
            let memType = try HDF5Library.check(H5Tcopy(ionics_h5t_c_s1()), "H5Tcopy", location)
            defer { H5Tclose(memType) }
            H5Tset_size(memType, ionics_h5t_variable())
            H5Tset_cset(memType, H5Tget_cset(fileType))
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            let status = pointers.withUnsafeMutableBufferPointer {
                H5Dread(id, memType, ionics_h5s_all(), ionics_h5s_all(), ionics_h5p_default(), $0.baseAddress)
            }
            try HDF5Library.check(status: status, "H5Dread", location)
            defer { pointers.forEach { if let p = $0 { H5free_memory(p) } } }
            return pointers.map { $0.map { String(cString: $0) } ?? "" }
        }
    }
}
