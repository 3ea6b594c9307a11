internal import CHDF5
import Foundation

/// A value stored in an HDF5 attribute.
public enum HDF5AttributeValue: Sendable, Equatable {
    case double(Double)
    case int(Int)
    case string(String)
    case doubles([Double])
    /// A 1-D array of integers (stored as 64-bit), e.g. CF `flag_values`.
    case ints([Int])
    case strings([String])
}

/// An open group or dataset. Closes itself when released (or when its file closes).
public class HDF5Object: @unchecked Sendable {
    public let file: HDF5File
    let id: hid_t
    /// Path of the object inside the file, e.g. `/fields/potential`.
    public let path: String

    init(file: HDF5File, id: hid_t, path: String) {
        self.file = file
        self.id = id
        self.path = path
    }

    deinit {
        let id = self.id
        let file = self.file
        try? HDF5Library.sync {
            if !file.closeFailed && H5Iis_valid(id) > 0 { _ = H5Oclose(id) }
        }
    }

    /// `file:path` for messages.
    var location: String { file.workingPath + ":" + path }

    func child(_ name: String) -> String { path == "/" ? "/" + name : path + "/" + name }

    // MARK: Attributes

    /// Creates or replaces attribute `name` holding a Double.
    public func setAttribute(_ name: String, _ value: Double) throws(HDF5Error) {
        try writeNumericAttribute(name, [value], scalar: true, integer: false)
    }

    /// Creates or replaces attribute `name` holding an integer (stored as 64-bit).
    public func setAttribute(_ name: String, _ value: Int) throws(HDF5Error) {
        try writeNumericAttribute(name, [Double(value)], scalar: true, integer: true, intValues: [Int64(value)])
    }

    /// Creates or replaces attribute `name` holding a 1-D array of Doubles.
    public func setAttribute(_ name: String, _ values: [Double]) throws(HDF5Error) {
        try writeNumericAttribute(name, values, scalar: false, integer: false)
    }

    /// Creates or replaces attribute `name` holding a 1-D array of integers (stored as 64-bit).
    public func setAttribute(_ name: String, _ values: [Int]) throws(HDF5Error) {
        try writeNumericAttribute(name, values.map(Double.init), scalar: false, integer: true, intValues: values.map(Int64.init))
    }

    /// Creates or replaces attribute `name` holding a UTF-8 string (variable length).
    public func setAttribute(_ name: String, _ value: String) throws(HDF5Error) {
        try writeStringAttribute(name, [value], scalar: true)
    }

    /// Creates or replaces attribute `name` holding a 1-D array of UTF-8 strings.
    public func setAttribute(_ name: String, _ values: [String]) throws(HDF5Error) {
        try writeStringAttribute(name, values, scalar: false)
    }

    private func replaceAttribute(_ name: String) throws(HDF5Error) {
        let exists = H5Aexists(id, name)
        if exists < 0 { throw HDF5Library.failure("H5Aexists", location + "@" + name) }
        if exists > 0 {
            try HDF5Library.check(status: H5Adelete(id, name), "H5Adelete", location + "@" + name)
        }
    }

    private func makeSpace(_ count: Int, scalar: Bool, _ where_: String) throws(HDF5Error) -> hid_t {
        if scalar { return try HDF5Library.check(H5Screate(H5S_SCALAR), "H5Screate", where_) }
        var dims = [hsize_t(count)]
        return try HDF5Library.check(H5Screate_simple(1, &dims, nil), "H5Screate_simple", where_)
    }

    private func writeNumericAttribute(
        _ name: String, _ values: [Double], scalar: Bool, integer: Bool, intValues: [Int64] = []
    ) throws(HDF5Error) {
        try HDF5Library.sync { () throws(HDF5Error) in
            try file.ensureOpen("setAttribute")
            let at = location + "@" + name
            try replaceAttribute(name)
            let space = try makeSpace(values.count, scalar: scalar, at)
            defer { H5Sclose(space) }
            let fileType = integer ? ionics_h5t_std_i64le() : ionics_h5t_ieee_f64le()
            let attr = try HDF5Library.check(
                H5Acreate2(id, name, fileType, space, ionics_h5p_default(), ionics_h5p_default()), "H5Acreate2", at)
            defer { H5Aclose(attr) }
            let status: herr_t
            if integer {
                status = intValues.withUnsafeBufferPointer { H5Awrite(attr, ionics_h5t_native_int64(), $0.baseAddress) }
            } else {
                status = values.withUnsafeBufferPointer { H5Awrite(attr, ionics_h5t_native_double(), $0.baseAddress) }
            }
            try HDF5Library.check(status: status, "H5Awrite", at)
        }
    }

    private func writeStringAttribute(_ name: String, _ values: [String], scalar: Bool) throws(HDF5Error) {
        try HDF5Library.sync { () throws(HDF5Error) in
            try file.ensureOpen("setAttribute")
            let at = location + "@" + name
            try replaceAttribute(name)
            let type = try HDF5Library.check(H5Tcopy(ionics_h5t_c_s1()), "H5Tcopy", at)
            defer { H5Tclose(type) }
            try HDF5Library.check(status: H5Tset_size(type, ionics_h5t_variable()), "H5Tset_size", at)
            try HDF5Library.check(status: H5Tset_cset(type, H5T_CSET_UTF8), "H5Tset_cset", at)
            let space = try makeSpace(values.count, scalar: scalar, at)
            defer { H5Sclose(space) }
            let attr = try HDF5Library.check(
                H5Acreate2(id, name, type, space, ionics_h5p_default(), ionics_h5p_default()), "H5Acreate2", at)
            defer { H5Aclose(attr) }
            let cStrings: [UnsafeMutablePointer<CChar>?] = values.map { strdup($0) }
            defer { cStrings.forEach { free($0) } }
            let status = cStrings.withUnsafeBufferPointer { H5Awrite(attr, type, $0.baseAddress) }
            try HDF5Library.check(status: status, "H5Awrite", at)
        }
    }

    /// Names of this object's attributes, in creation order.
    public func attributeNames() throws(HDF5Error) -> [String] {
        try HDF5Library.sync { () throws(HDF5Error) -> [String] in
            try file.ensureOpen("attributeNames")
            // Walk the name index until HDF5 reports the end (H5Aget_num_attrs is deprecated).
            var names: [String] = []
            var index: hsize_t = 0
            while true {
                let length = H5Aget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, ionics_h5p_default())
                if length < 0 { _ = HDF5Library.errorStack(); break }
                var buffer = [CChar](repeating: 0, count: Int(length) + 1)
                _ = H5Aget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, Int(length) + 1, ionics_h5p_default())
                names.append(String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
                index += 1
            }
            return names
        }
    }

    /// Reads attribute `name`.
    public func attribute(_ name: String) throws(HDF5Error) -> HDF5AttributeValue {
        try HDF5Library.sync { () throws(HDF5Error) -> HDF5AttributeValue in
            try file.ensureOpen("attribute")
            let at = location + "@" + name
            let exists = H5Aexists(id, name)
            if exists <= 0 {
                _ = HDF5Library.errorStack()
                throw HDF5Error(kind: .missing, function: "attribute", path: at, message: "no such attribute", stack: [])
            }
            let attr = try HDF5Library.check(H5Aopen(id, name, ionics_h5p_default()), "H5Aopen", at)
            defer { H5Aclose(attr) }
            let type = try HDF5Library.check(H5Aget_type(attr), "H5Aget_type", at)
            defer { H5Tclose(type) }
            let space = try HDF5Library.check(H5Aget_space(attr), "H5Aget_space", at)
            defer { H5Sclose(space) }
            let scalar = H5Sget_simple_extent_ndims(space) == 0
            let count = Int(H5Sget_simple_extent_npoints(space))
            switch H5Tget_class(type) {
            case H5T_FLOAT, H5T_INTEGER:
                let isInteger = H5Tget_class(type) == H5T_INTEGER
                if isInteger {
                    var v = [Int64](repeating: 0, count: max(count, 1))
                    let status = v.withUnsafeMutableBufferPointer { H5Aread(attr, ionics_h5t_native_int64(), $0.baseAddress) }
                    try HDF5Library.check(status: status, "H5Aread", at)
                    return scalar ? .int(Int(v[0])) : .ints(v.prefix(count).map { Int($0) })
                }
                var values = [Double](repeating: 0, count: count)
                let status = values.withUnsafeMutableBufferPointer { H5Aread(attr, ionics_h5t_native_double(), $0.baseAddress) }
                try HDF5Library.check(status: status, "H5Aread", at)
                return scalar ? .double(values[0]) : .doubles(values)
            case H5T_STRING:
                let strings = try readStrings(attr: attr, fileType: type, space: space, count: count, at)
                return scalar ? .string(strings.first ?? "") : .strings(strings)
            default:
                throw HDF5Error(
                    kind: .typeMismatch, function: "attribute", path: at,
                    message: "attribute is neither numeric nor a string", stack: [])
            }
        }
    }

    private func readStrings(attr: hid_t, fileType: hid_t, space: hid_t, count: Int, _ at: String) throws(HDF5Error) -> [String] {
        if H5Tis_variable_str(fileType) > 0 {
            let memType = try HDF5Library.check(H5Tcopy(ionics_h5t_c_s1()), "H5Tcopy", at)
            defer { H5Tclose(memType) }
            H5Tset_size(memType, ionics_h5t_variable())
            H5Tset_cset(memType, H5Tget_cset(fileType))
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            let status = pointers.withUnsafeMutableBufferPointer { H5Aread(attr, memType, $0.baseAddress) }
            try HDF5Library.check(status: status, "H5Aread", at)
            defer { pointers.forEach { if let p = $0 { H5free_memory(p) } } }
            return pointers.map { $0.map { String(cString: $0) } ?? "" }
        }
        let size = H5Tget_size(fileType)
        let memType = try HDF5Library.check(H5Tcopy(fileType), "H5Tcopy", at)
        defer { H5Tclose(memType) }
        var buffer = [CChar](repeating: 0, count: size * count + 1)
        let status = buffer.withUnsafeMutableBufferPointer { H5Aread(attr, memType, $0.baseAddress) }
        try HDF5Library.check(status: status, "H5Aread", at)
        return (0..<count).map { i in
            let bytes = buffer[(i * size)..<((i + 1) * size)].prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Attribute `name` as a Double (integers convert).
    public func doubleAttribute(_ name: String) throws(HDF5Error) -> Double {
        switch try attribute(name) {
        case .double(let v): return v
        case .int(let v): return Double(v)
        default: throw mismatch(name, "a number")
        }
    }

    /// Attribute `name` as a string.
    public func stringAttribute(_ name: String) throws(HDF5Error) -> String {
        if case .string(let s) = try attribute(name) { return s }
        throw mismatch(name, "a string")
    }

    func mismatch(_ name: String, _ expected: String) -> HDF5Error {
        HDF5Error(
            kind: .typeMismatch, function: "attribute", path: location + "@" + name,
            message: "attribute is not \(expected)", stack: [])
    }
}
