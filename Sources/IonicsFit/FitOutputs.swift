import Foundation
import IonicsConfig

/// A file that could not be written.
public struct FitOutputError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    /// True when the file exists and overwriting was not allowed.
    public var exists: Bool = false
    public var description: String { "\(path): \(message)" }
}

/// The fitted config and atomic text writes.
public enum FitOutputs {
    /// The base config's JSON with the fit's fixed overrides and the fitted values set
    /// (each in the unit its initial value was written in), pretty-printed.
    public static func fittedConfig(model: FitModel, values: [Double]) throws -> String {
        var json = try JSONParser.parse(model.baseText)
        json = try ConfigOverrides.apply(model.spec.fixed, to: json)
        for (p, v) in zip(model.spec.parameters, values) {
            json = try ConfigOverrides.apply(["\(p.path)=\(p.jsonValue(v).jsonText)"], to: json)
        }
        return pretty(json, indent: "") + "\n"
    }

    /// Writes `text` to `path` through a temporary file in the same folder and a rename,
    /// so that a reader never sees half a file; refuses an existing `path` unless `overwrite`.
    public static func writeAtomically(_ text: String, to path: String, overwrite: Bool) throws(FitOutputError) {
        let fm = FileManager.default
        if !overwrite && fm.fileExists(atPath: path) {
            throw FitOutputError(path: path, message: "exists; refusing to overwrite it (use --force)", exists: true)
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !fm.fileExists(atPath: folder) {
            do { try fm.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw FitOutputError(path: path, message: "cannot make the folder: \(error.localizedDescription)")
            }
        }
        let temporary = path + ".partial"
        guard fm.createFile(atPath: temporary, contents: Data(text.utf8)) else {
            throw FitOutputError(path: path, message: "cannot write \(temporary)")
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? fm.removeItem(atPath: temporary)
            throw FitOutputError(path: path, message: "cannot rename \(temporary): \(reason)")
        }
    }

    /// JSON with two-space indentation; arrays of scalars stay on one line.
    static func pretty(_ value: JSONValue, indent: String) -> String {
        let inner = indent + "  "
        switch value {
        case .object(let members) where !members.isEmpty:
            return "{\n" + members.map { inner + JSONValue.quote($0.key) + ": " + pretty($0.value, indent: inner) }.joined(separator: ",\n")
                + "\n" + indent + "}"
        case .array(let items) where items.contains(where: { if case .object = $0 { return true }; if case .array = $0 { return true }; return false }):
            return "[\n" + items.map { inner + pretty($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        default:
            return value.jsonText
        }
    }
}
