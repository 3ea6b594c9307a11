import Foundation
public import IonicsConfig

/// From a config file to a ``Device``, the way `ionics run` does it: read the text,
/// apply `--set` overrides, read the config, find the material library from the
/// config's folder, build. Shared by the command line and the verification cases that
/// run the example configs, so both see the same device.
public enum DeviceLoader {
    /// A config file that cannot be read.
    public struct FileError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    /// The text of a config file (UTF-8).
    public static func readConfig(_ path: String) throws(FileError) -> String {
        guard FileManager.default.fileExists(atPath: path) else { throw FileError(path: path, message: "no such file") }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw FileError(path: path, message: "cannot read the file as UTF-8 text")
        }
        return text
    }

    /// Builds the device of config `text` read from `path` (used for messages and to
    /// find the materials). Throws ``ConfigOverrides/OverrideError`` for a bad override,
    /// ``ConfigError`` (every problem) for a bad config or device. Material files that
    /// could not be read are passed to `skipped` before the device is built.
    public static func build(
        text: String, path: String, overrides: [String] = [], materialFolders: [String] = [], limits: ResourceLimits = .machine,
        skipped: (String) -> Void = { _ in }
    ) throws -> (device: Device, library: MaterialLibrary) {
        let config = try DeviceConfig.parse(text, source: path, overrides: overrides)
        let library = MaterialLibrary(folders: materialFolders + MaterialLibrary.searchFolders(configPath: path, extra: config.materialPaths))
        for p in library.problems { skipped(p) }
        return (try DeviceBuilder.build(config, materials: library, source: path, limits: limits), library)
    }

    /// ``readConfig(_:)`` then ``build(text:path:overrides:materialFolders:)``.
    public static func load(_ path: String, overrides: [String] = [], materialFolders: [String] = []) throws -> Device {
        try build(text: try readConfig(path), path: path, overrides: overrides, materialFolders: materialFolders).device
    }
}
