/// A problem of a sweep that is not a problem of its spec's keys (those are
/// ``IonicsConfig/ConfigError``s naming the key): a file that cannot be read or
/// written, a manifest that does not belong to the sweep, a table that cannot be made.
public struct BatchError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A file or folder that is missing, unreadable or not writable.
        case file
        /// A manifest that cannot be read or belongs to another sweep.
        case manifest
        /// Writing a collected table failed.
        case output
    }

    public let kind: Kind
    /// The file or folder concerned.
    public let path: String
    public let message: String

    public init(_ kind: Kind, path: String, _ message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
