public import IonicsUnits

/// One problem found in a configuration: where (`layers[1].thickness`) and what.
public struct ConfigProblem: Sendable, Hashable, CustomStringConvertible {
    /// Key path from the document root, e.g. `layers[1].thickness`; empty for the root.
    public let path: String
    public let message: String
    /// Position of the key in the source text, when known.
    public let position: SourcePosition?

    public init(path: String, message: String, position: SourcePosition? = nil) {
        self.path = path
        self.message = message
        self.position = position
    }

    public var description: String {
        let p = path.isEmpty ? "(root)" : path
        return "\(p): \(message)"
    }
}

/// Every problem found in a configuration, thrown once reading is complete.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public let source: String
    public let problems: [ConfigProblem]

    public init(source: String, problems: [ConfigProblem]) {
        self.source = source
        self.problems = problems
    }

    public var description: String {
        let n = problems.count
        let head = "\(source): \(n) problem\(n == 1 ? "" : "s")"
        return ([head] + problems.map { p in
            "  " + p.description + (p.position.map { " (\($0))" } ?? "")
        }).joined(separator: "\n")
    }
}

/// Collects problems while a configuration is read, so that all of them are reported
/// together, and remembers every object so that unknown keys can be found at the end.
public final class ConfigDiagnostics: @unchecked Sendable {
    public private(set) var problems: [ConfigProblem] = []
    private var objects: [ConfigObject] = []

    public init() {}

    public func report(_ path: String, _ message: String, at position: SourcePosition? = nil) {
        problems.append(ConfigProblem(path: path, message: message, position: position))
    }

    func register(_ object: ConfigObject) { objects.append(object) }

    /// Reports keys that no reader asked for, suggesting the nearest known key.
    public func reportUnknownKeys() {
        for object in objects where !object.acceptsAnyKey {
            for member in object.members where !object.knownKeys.contains(member.key) {
                var message = "unknown key \"\(member.key)\""
                if let s = nearest(member.key, among: object.knownKeys) {
                    message += "; did you mean \"\(s)\"?"
                } else if !object.knownKeys.isEmpty {
                    message += "; valid keys: " + object.knownKeys.sorted().joined(separator: ", ")
                }
                report(object.path(member.key), message, at: member.position)
            }
        }
        objects.removeAll()
    }

    /// Throws a ``ConfigError`` if any problem was found.
    public func throwIfProblems(source: String) throws(ConfigError) {
        guard !problems.isEmpty else { return }
        // Report in document order; problems without a position keep their place at the end.
        let ordered = problems.enumerated().sorted { a, b in
            switch (a.element.position, b.element.position) {
            case let (pa?, pb?) where pa != pb: return (pa.line, pa.column) < (pb.line, pb.column)
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.offset < b.offset
            }
        }.map(\.element)
        throw ConfigError(source: source, problems: ordered)
    }
}

/// The closest of `candidates` to `word` by edit distance, if it is close enough to be
/// a plausible typo (distance ≤ max(2, length/3)).
public func nearest(_ word: String, among candidates: some Collection<String>) -> String? {
    var best: (String, Int)?
    for c in candidates {
        let d = editDistance(word.lowercased(), c.lowercased())
        if best == nil || d < best!.1 || (d == best!.1 && c < best!.0) { best = (c, d) }
    }
    guard let (word2, d) = best, d <= max(2, word.count / 3) else { return nil }
    return word2
}

/// Levenshtein distance.
public func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a), y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        current[0] = i
        for j in 1...y.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[y.count]
}

/// A value inside a configuration, with its key path. Readers record problems in the
/// shared ``ConfigDiagnostics`` and return nil instead of throwing, so that reading
/// goes on and every problem is found.
public struct ConfigNode: Sendable {
    public let value: JSONValue
    public let path: String
    public let position: SourcePosition?
    public let diagnostics: ConfigDiagnostics

    public init(value: JSONValue, path: String, position: SourcePosition?, diagnostics: ConfigDiagnostics) {
        self.value = value
        self.path = path
        self.position = position
        self.diagnostics = diagnostics
    }

    /// Records a problem at this node.
    public func report(_ message: String) { diagnostics.report(path, message, at: position) }

    /// A short rendering of the value for messages: strings quoted, objects abbreviated.
    public var shown: String {
        switch value {
        case .object: return "an object"
        case .array: return "an array"
        default: return value.jsonText
        }
    }

    public func object() -> ConfigObject? {
        guard case .object(let members) = value else {
            report("expected an object, got \(shown)")
            return nil
        }
        let o = ConfigObject(node: self, members: members)
        diagnostics.register(o)
        return o
    }

    public func array() -> [ConfigNode]? {
        guard case .array(let items) = value else {
            report("expected an array, got \(shown)")
            return nil
        }
        return items.enumerated().map { i, v in
            ConfigNode(value: v, path: "\(path)[\(i)]", position: position, diagnostics: diagnostics)
        }
    }

    public func string() -> String? {
        guard case .string(let s) = value else {
            report("expected a string, got \(shown)")
            return nil
        }
        return s
    }

    public func bool() -> Bool? {
        guard case .bool(let b) = value else {
            report("expected true or false, got \(shown)")
            return nil
        }
        return b
    }

    /// A plain number (no units allowed).
    public func number() -> Double? {
        guard case .number(let x) = value else {
            report("expected a number, got \(shown)")
            return nil
        }
        return x
    }

    /// A whole number.
    public func integer() -> Int? {
        guard case .number(let x) = value, x == x.rounded(), abs(x) < 1e15 else {
            report("expected a whole number, got \(shown)")
            return nil
        }
        return Int(x)
    }

    /// A physical quantity in SI units: a JSON number (taken as SI) or a string with
    /// units, checked against `kind`.
    public func quantity(_ kind: QuantityKind) -> Double? {
        switch value {
        case .number(let x):
            return x
        case .string(let s):
            do {
                return try UnitParser.value(s, as: kind)
            } catch let e as DimensionMismatch {
                report(e.description)
            } catch let e as UnitError {
                report("expected \(kind.phrase) (e.g. \"\(kind.example)\"), got \"\(s)\": \(e)")
            } catch {
                report("\(error)")
            }
            return nil
        default:
            report("expected \(kind.phrase) (a number in SI units or a string such as \"\(kind.example)\"), got \(shown)")
            return nil
        }
    }

    /// One of a fixed set of words.
    public func choice(_ options: [String]) -> String? {
        guard let s = string() else { return nil }
        guard options.contains(s) else {
            var message = "\"\(s)\" is not one of " + options.map { "\"\($0)\"" }.joined(separator: ", ")
            if let near = nearest(s, among: options) { message += "; did you mean \"\(near)\"?" }
            report(message)
            return nil
        }
        return s
    }
}

/// An object inside a configuration. Reading a key marks it as known; after reading,
/// ``ConfigDiagnostics/reportUnknownKeys()`` reports the rest.
public final class ConfigObject: @unchecked Sendable {
    public let node: ConfigNode
    let members: [JSONMember]
    private(set) var knownKeys: Set<String> = []
    /// Set for free-form objects (e.g. `metadata`), whose keys are not checked.
    public var acceptsAnyKey = false

    init(node: ConfigNode, members: [JSONMember]) {
        self.node = node
        self.members = members
    }

    public var path: String { node.path }
    public var keys: [String] { members.map(\.key) }
    public var diagnostics: ConfigDiagnostics { node.diagnostics }

    func path(_ key: String) -> String { node.path.isEmpty ? key : node.path + "." + key }

    /// Declares `keys` as valid without reading them (e.g. keys of another branch).
    public func allow(_ keys: String...) { knownKeys.formUnion(keys) }

    public func has(_ key: String) -> Bool {
        knownKeys.insert(key)
        return members.contains { $0.key == key }
    }

    /// The value at `key`, or nil when absent.
    public func optional(_ key: String) -> ConfigNode? {
        knownKeys.insert(key)
        guard let m = members.first(where: { $0.key == key }) else { return nil }
        return ConfigNode(value: m.value, path: path(key), position: m.position, diagnostics: node.diagnostics)
    }

    /// The value at `key`; a missing key is reported.
    public func required(_ key: String, _ what: String = "") -> ConfigNode? {
        if let n = optional(key) { return n }
        node.diagnostics.report(path(key), "missing" + (what.isEmpty ? "" : " (\(what))"), at: node.position)
        return nil
    }

    /// Records a problem at `key` of this object.
    public func report(_ key: String, _ message: String) {
        let m = members.first { $0.key == key }
        node.diagnostics.report(path(key), message, at: m?.position ?? node.position)
    }

    // Convenience readers: absent → default; present but bad → reported, default.

    public func string(_ key: String, default d: String? = nil) -> String? {
        optional(key)?.string() ?? d
    }

    public func number(_ key: String, default d: Double? = nil) -> Double? {
        guard let n = optional(key) else { return d }
        return n.number() ?? d
    }

    public func integer(_ key: String, default d: Int? = nil) -> Int? {
        guard let n = optional(key) else { return d }
        return n.integer() ?? d
    }

    public func bool(_ key: String, default d: Bool? = nil) -> Bool? {
        guard let n = optional(key) else { return d }
        return n.bool() ?? d
    }

    public func quantity(_ key: String, _ kind: QuantityKind, default d: Double? = nil) -> Double? {
        guard let n = optional(key) else { return d }
        return n.quantity(kind) ?? d
    }

    /// A required quantity that must be > 0.
    public func positiveQuantity(_ key: String, _ kind: QuantityKind, default d: Double? = nil) -> Double? {
        guard let n = optional(key) else {
            if d == nil { _ = required(key, kind.phrase) }
            return d
        }
        guard let v = n.quantity(kind) else { return d }
        guard v > 0 else {
            n.report("must be positive, got \(n.shown)")
            return d
        }
        return v
    }

    public func choice(_ key: String, _ options: [String], default d: String? = nil) -> String? {
        guard let n = optional(key) else { return d }
        return n.choice(options) ?? d
    }
}

/// Reads a whole configuration document: parse, read with `body`, report unknown
/// keys, and throw every problem at once.
public func readConfiguration<T>(
    text: String, source: String, overrides: [String] = [], _ body: (ConfigNode) -> T
) throws -> T {
    var json: JSONValue
    do {
        json = try JSONParser.parse(text)
    } catch {
        throw ConfigError(
            source: source, problems: [ConfigProblem(path: "", message: error.description, position: error.position)])
    }
    json = try ConfigOverrides.apply(overrides, to: json)
    let diagnostics = ConfigDiagnostics()
    let result = body(ConfigNode(value: json, path: "", position: nil, diagnostics: diagnostics))
    diagnostics.reportUnknownKeys()
    try diagnostics.throwIfProblems(source: source)
    return result
}
