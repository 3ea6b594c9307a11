internal import CHDF5

/// How the numbers of a dataset are stored in the file. Values always cross the
/// Swift API as Doubles; HDF5 converts them on write and read.
public enum HDF5ElementType: Sendable, Equatable {
    /// IEEE 754 double, little-endian (`H5T_IEEE_F64LE`): measured quantities.
    case float64
    /// Signed 64-bit integer, little-endian (`H5T_STD_I64LE`): counts, indices and
    /// enumeration codes. Only whole numbers may be written.
    case int64

    var fileType: hid_t {
        switch self {
        case .float64: ionics_h5t_ieee_f64le()
        case .int64: ionics_h5t_std_i64le()
        }
    }
}

/// The HDF5 type class of a stored dataset.
public enum HDF5ElementClass: Sendable, Equatable {
    case float, integer, string, other
}

extension HDF5Dataset {
    /// The type class of the stored values (float, integer, string or other).
    public func elementClass() throws(HDF5Error) -> HDF5ElementClass {
        try HDF5Library.sync { () throws(HDF5Error) -> HDF5ElementClass in
            try file.ensureOpen("elementClass")
            let type = try HDF5Library.check(H5Dget_type(id), "H5Dget_type", location)
            defer { H5Tclose(type) }
            switch H5Tget_class(type) {
            case H5T_FLOAT: return .float
            case H5T_INTEGER: return .integer
            case H5T_STRING: return .string
            default: return .other
            }
        }
    }

    /// Whether the dataset can grow along its first dimension (created by
    /// ``HDF5Group/createAppendable(_:rowShape:type:options:)``).
    public func isAppendable() throws(HDF5Error) -> Bool {
        try HDF5Library.sync { () throws(HDF5Error) -> Bool in
            try file.ensureOpen("isAppendable")
            let space = try HDF5Library.check(H5Dget_space(id), "H5Dget_space", location)
            defer { H5Sclose(space) }
            let rank = Int(H5Sget_simple_extent_ndims(space))
            guard rank > 0 else { return false }
            var dims = [hsize_t](repeating: 0, count: rank)
            var maxDims = [hsize_t](repeating: 0, count: rank)
            _ = H5Sget_simple_extent_dims(space, &dims, &maxDims)
            return maxDims[0] == ionics_h5s_unlimited()
        }
    }
}
