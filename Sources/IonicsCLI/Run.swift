import ArgumentParser
import IonicsConfig

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a device from its config and write every field and time series to HDF5.")

    @Argument(help: "The JSON config file.")
    var config: String

    @Option(name: .shortAndLong, help: "Output HDF5 file (default: results/<name>.h5).")
    var output: String?

    @Option(name: .customLong("set"), help: "Override a config value: key.path=value (repeatable).")
    var overrides: [String] = []

    @Flag(help: "Replace an existing output file.")
    var force = false

    func run() throws {
        let c = try loadConfig(config)
        printError("""
            ionics run: the config \(config) is valid (device \"\(c.name)\", \(c.layers.count) layers), \
            but the device model is not yet available in this version of Ionics.
            """)
        throw ExitCode(3)
    }
}
