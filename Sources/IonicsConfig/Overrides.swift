/// `--set key.path=value` overrides applied to a config before it is read.
public enum ConfigOverrides {
    public struct OverrideError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    enum Step: Equatable { case key(String), index(Int) }

    static func parsePath(_ path: String) throws(OverrideError) -> [Step] {
        var steps: [Step] = []
        var current = ""
        var chars = Array(path)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            switch c {
            case ".":
                if !current.isEmpty { steps.append(.key(current)) }
                current = ""
            case "[":
                if !current.isEmpty { steps.append(.key(current)) }
                current = ""
                var digits = ""
                while let d = chars.first, d != "]" { digits.append(d); chars = chars.dropFirst() }
                guard chars.first == "]", let i = Int(digits), i >= 0 else { throw OverrideError(message: "bad index in \"\(path)\"") }
                chars = chars.dropFirst()
                steps.append(.index(i))
            default:
                current.append(c)
            }
        }
        if !current.isEmpty { steps.append(.key(current)) }
        if steps.isEmpty { throw OverrideError(message: "empty key path") }
        return steps
    }

    static func set(
        _ value: JSONValue, at steps: ArraySlice<Step>, in node: JSONValue, path: String, origin: SourcePosition
    ) throws(OverrideError) -> JSONValue {
        guard let step = steps.first else { return value }
        switch (step, node) {
        case (.key(let k), .object(var members)):
            if let i = members.firstIndex(where: { $0.key == k }) {
                members[i].value = try set(value, at: steps.dropFirst(), in: members[i].value, path: path, origin: origin)
                if steps.count == 1 { members[i].position = origin }
            } else {
                members.append(JSONMember(
                    key: k, value: try set(value, at: steps.dropFirst(), in: .object([]), path: path, origin: origin), position: origin))
            }
            return .object(members)
        case (.key(let k), .null):
            return .object([JSONMember(
                key: k, value: try set(value, at: steps.dropFirst(), in: .null, path: path, origin: origin), position: origin)])
        case (.index(let i), .array(var items)):
            guard i < items.count else { throw OverrideError(message: "\(path): index \(i) is past the end (\(items.count) items)") }
            items[i] = try set(value, at: steps.dropFirst(), in: items[i], path: path, origin: origin)
            return .array(items)
        default:
            throw OverrideError(message: "\(path): cannot follow the path into \(node.typeName)")
        }
    }

    /// Applies `key.path=value` assignments to a JSON text and returns the new text.
    /// Values are parsed as JSON when they can be (`5`, `true`, `{"voltage": 1}`),
    /// otherwise taken as strings (`"50 nm"` may be written without quotes).
    public static func apply(_ assignments: [String], to text: String) throws -> String {
        guard !assignments.isEmpty else { return text }
        return try apply(assignments, to: try JSONParser.parse(text)).jsonText
    }

    /// Applies `key.path=value` assignments to a parsed document. Every key the file
    /// gave keeps its line and column; keys written or replaced by an assignment are
    /// marked as coming from it (``SourcePosition/override(_:index:)``), so that a
    /// problem points at the file or at the `--set` that caused it.
    public static func apply(_ assignments: [String], to document: JSONValue) throws(OverrideError) -> JSONValue {
        var json = document
        for (n, a) in assignments.enumerated() {
            guard let eq = a.firstIndex(of: "=") else { throw OverrideError(message: "--set \(a): expected key.path=value") }
            let path = String(a[..<eq]).trimmingCharacters()
            let raw = String(a[a.index(after: eq)...])
            let origin = SourcePosition.override(a, index: n)
            let value = ((try? JSONParser.parse(raw)) ?? .string(raw)).positioned(at: origin)
            json = try set(value, at: try parsePath(path)[...], in: json, path: path, origin: origin)
        }
        return json
    }
}

extension JSONValue {
    /// This value with every member's position replaced by `position`.
    func positioned(at position: SourcePosition) -> JSONValue {
        switch self {
        case .array(let items): return .array(items.map { $0.positioned(at: position) })
        case .object(let members):
            return .object(members.map { JSONMember(key: $0.key, value: $0.value.positioned(at: position), position: position) })
        default: return self
        }
    }
}

extension String {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
