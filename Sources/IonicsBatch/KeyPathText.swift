/// Config key paths as a sweep writes them (`layers[1].thickness`, the paths of
/// `--set`): checked, put in one canonical spelling, and turned into names that
/// netCDF readers accept.
public enum KeyPathText {
    /// `path` in canonical form — keys joined by `.`, indices as `[n]` — or nil with
    /// the reason when it is not a key path.
    public static func canonical(_ path: String) -> Result<String, KeyPathProblem> {
        var out = ""
        var key = ""
        var chars = Substring(path)
        var expectKey = true  // at the start and after "."
        func flushKey() -> Bool {
            guard !key.isEmpty else { return false }
            out += (out.isEmpty ? "" : ".") + key
            key = ""
            return true
        }
        if path.isEmpty { return .failure(KeyPathProblem(message: "empty key path")) }
        while let c = chars.first {
            chars = chars.dropFirst()
            switch c {
            case ".":
                if key.isEmpty && expectKey { return .failure(KeyPathProblem(message: "\"\(path)\": empty key before \".\"")) }
                _ = flushKey()
                expectKey = true
            case "[":
                if !flushKey() && out.isEmpty { return .failure(KeyPathProblem(message: "\"\(path)\": an index needs a key before it")) }
                var digits = ""
                while let d = chars.first, d != "]" {
                    digits.append(d)
                    chars = chars.dropFirst()
                }
                guard chars.first == "]", !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), let i = Int(digits) else {
                    return .failure(KeyPathProblem(message: "\"\(path)\": expected a whole number in [ ]"))
                }
                chars = chars.dropFirst()
                out += "[\(i)]"
                expectKey = false
            case "]":
                return .failure(KeyPathProblem(message: "\"\(path)\": \"]\" without \"[\""))
            default:
                if c.isWhitespace || c == "=" || c == "\"" {
                    return .failure(KeyPathProblem(message: "\"\(path)\": unexpected \"\(c)\" in a key path"))
                }
                if !expectKey && key.isEmpty { return .failure(KeyPathProblem(message: "\"\(path)\": expected \".\" or \"[\" after \"]\"")) }
                key.append(c)
            }
        }
        if expectKey && key.isEmpty { return .failure(KeyPathProblem(message: "\"\(path)\": ends with \".\"")) }
        _ = flushKey()
        return .success(out)
    }

    /// A variable name for `path`: letters, digits and `_` only
    /// (`layers[1].thickness` → `layers_1_thickness`).
    public static func variableName(_ path: String) -> String {
        var name = ""
        for c in path.unicodeScalars {
            let ok = (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_"
            if ok {
                name.unicodeScalars.append(c)
            } else if !name.isEmpty && !name.hasSuffix("_") {
                name += "_"
            }
        }
        while name.hasSuffix("_") { name.removeLast() }
        if name.isEmpty || name.first!.isNumber { name = "v_" + name }
        return name
    }
}

/// Why a text is not a key path.
public struct KeyPathProblem: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
