import Foundation
import IonicsConfig
import IonicsHDF5

/// A JSON value for the `--json` summaries (docs/cli.md, "JSON output"). Objects keep
/// their keys in the order given, so documents are stable; non-finite numbers are
/// written as `null` (JSON has no NaN).
indirect enum JSON {
    case null
    case bool(Bool)
    case number(Double)
    case int(Int)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    /// The `schema` member every document starts with: its name and version.
    static func schema(_ name: String, version: Int = 1) -> (String, JSON) {
        ("schema", .object([("name", .string(name)), ("version", .int(version))]))
    }

    static func optional(_ x: Double?) -> JSON { x.map { .number($0) } ?? .null }
    static func optional(_ s: String?) -> JSON { s.map { .string($0) } ?? .null }
    static func strings(_ a: [String]) -> JSON { .array(a.map { .string($0) }) }
    static func numbers(_ a: [Double]) -> JSON { .array(a.map { .number($0) }) }

    /// The value of an HDF5 attribute.
    init(_ v: HDF5AttributeValue) {
        switch v {
        case .double(let x): self = .number(x)
        case .int(let i): self = .int(i)
        case .string(let s): self = .string(s)
        case .doubles(let a): self = .numbers(a)
        case .ints(let a): self = .array(a.map { .int($0) })
        case .strings(let a): self = .strings(a)
        }
    }

    /// Pretty-printed text, two spaces per level.
    func text(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let x):
            guard x.isFinite else { return "null" }
            if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
            return "\(x)"
        case .int(let i): return String(i)
        case .string(let s): return Self.quote(s)
        case .array(let a):
            if a.isEmpty { return "[]" }
            if a.allSatisfy({ $0.isScalar }) { return "[" + a.map { $0.text() }.joined(separator: ", ") + "]" }
            return "[\n" + a.map { inner + $0.text(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{\n" + members.map { inner + Self.quote($0.0) + ": " + $0.1.text(indent: inner) }.joined(separator: ",\n")
                + "\n" + indent + "}"
        }
    }

    var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    static func quote(_ s: String) -> String { JSONValue.quote(s) }
}

/// Prints a JSON document on stdout (the only thing a `--json` command prints there).
func printJSON(_ members: [(String, JSON)]) {
    print(JSON.object(members).text())
}
