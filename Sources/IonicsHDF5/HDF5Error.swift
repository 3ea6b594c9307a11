/// An error from the HDF5 layer: what failed, on which object, and HDF5's own
/// error stack (innermost call first) when the C library reported one.
public struct HDF5Error: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A C call returned a failure status.
        case callFailed
        /// The file exists but is not an HDF5 file.
        case notHDF5
        case fileNotFound
        /// Refused to replace an existing file.
        case fileExists
        /// The object is missing (`path` names it).
        case missing
        /// The stored type cannot be read as the requested Swift type.
        case typeMismatch
        /// Data length does not match the shape, or rank outside 1…3.
        case badShape
        /// The file was already committed or closed.
        case closed
    }

    public let kind: Kind
    /// The C function that failed, or the operation for non-C errors.
    public let function: String
    /// The file path and object path, e.g. `run.h5:/fields/potential`.
    public let path: String
    public let message: String
    /// HDF5's error stack at the failure, one line per record.
    public let stack: [String]

    public var description: String {
        var s = "HDF5 \(function) failed on \(path)"
        if !message.isEmpty { s += ": \(message)" }
        if !stack.isEmpty { s += "\n  HDF5 error stack:\n" + stack.map { "    " + $0 }.joined(separator: "\n") }
        return s
    }
}
