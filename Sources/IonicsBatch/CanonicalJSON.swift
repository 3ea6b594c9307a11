public import IonicsConfig

/// The canonical text of a JSON value, from which a point's hash is computed: no
/// spaces, object keys sorted by their UTF-8 bytes, strings escaped as in RFC 8259
/// (`"`, `\` and control characters only), whole numbers below 2⁵³ as integers and
/// other numbers in Swift's shortest round-trip form (`5e-08`, `0.1`). Written here
/// rather than borrowed from ``IonicsConfig/JSONValue/jsonText`` so that a change of
/// the config printer can never rename the files of a sweep.
public enum CanonicalJSON {
    public static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let x): return number(x)
        case .string(let s): return JSONValue.quote(s)
        case .array(let items): return "[" + items.map(text).joined(separator: ",") + "]"
        case .object(let members):
            let sorted = members.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            return "{" + sorted.map { JSONValue.quote($0.key) + ":" + text($0.value) }.joined(separator: ",") + "}"
        }
    }

    /// A finite number: an integer when it is a whole number of magnitude below 2⁵³.
    public static func number(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 0x1p53 { return String(Int64(x)) }
        return "\(x)"
    }
}
