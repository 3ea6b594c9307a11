import ArgumentParser
import Foundation
import IonicsConfig

@main
struct Ionics: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ionics",
        abstract: "Finite-volume Poisson–Nernst–Planck simulator for electrochemical iontronic synapses.",
        discussion: """
            Describe a device stack (gate reservoir | electrolyte | channel) in a JSON config and run it:

              ionics validate configs/default.json
              ionics run configs/default.json -o results/default.h5
            """,
        version: IonicsVersion.string,
        subcommands: [Validate.self, Run.self, Verify.self, Inspect.self, Materials.self, Table.self, PlasticityCommand.self, Export.self, Sweep.self, Collect.self, Fit.self])
}

/// Writes a line to standard error (progress and diagnostics; results go to stdout).
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Reads a config file, or exits with a clear message.
func readText(_ path: String) throws -> String {
    guard FileManager.default.fileExists(atPath: path) else {
        printError("error: \(path): no such file")
        throw ExitCode(2)
    }
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
        printError("error: \(path): cannot read the file as UTF-8 text")
        throw ExitCode(2)
    }
    return text
}

/// Parses a config, printing every problem and exiting non-zero when there are any.
func loadConfig(_ path: String) throws -> DeviceConfig {
    let text = try readText(path)
    do {
        return try DeviceConfig.parse(text, source: path)
    } catch let error as ConfigError {
        printError("error: " + error.description)
        throw ExitCode(1)
    }
}
