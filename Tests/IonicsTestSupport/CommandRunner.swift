import Foundation

/// Runs the built `ionics` tool, as a user would, and captures what it prints.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Path of the `ionics` executable built next to the test bundle.
public func ionicsExecutable() -> String {
    let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var dir = runner.deletingLastPathComponent()
    // The runner may sit inside an .xctest bundle directory on some platforms.
    if dir.pathExtension == "xctest" { dir = dir.deletingLastPathComponent() }
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("ionics").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return "ionics"
}

/// The repository root (the folder holding Package.swift), found from this file's path.
public func repositoryRoot(file: String = #filePath) -> String {
    var url = URL(fileURLWithPath: file)
    while url.path != "/" {
        url = url.deletingLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
    }
    return FileManager.default.currentDirectoryPath
}

/// Runs `ionics` with `arguments` in `directory` (default: the repository root).
/// `environment` adds to (or, with an empty value, removes from) the inherited variables.
public func runIonics(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> CommandResult {
    try runCommand(ionicsExecutable(), arguments, in: directory, environment: environment)
}

/// Runs `executable` with `arguments` in `directory` (default: the repository root).
public func runCommand(
    _ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]
) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory ?? repositoryRoot())
    var env = ProcessInfo.processInfo.environment
    env["OPENBLAS_NUM_THREADS"] = "1"
    for (k, v) in environment { env[k] = v.isEmpty ? nil : v }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes before waiting so a chatty process cannot block on a full pipe.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}
