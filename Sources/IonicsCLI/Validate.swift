import ArgumentParser
import IonicsConfig
import IonicsDevice

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a config: types, units, ranges and unknown keys. Reports every problem and exits non-zero if any.")

    @Argument(help: "The JSON config file.")
    var config: String

    @Option(name: .customLong("set"), help: "Override a config value: key.path=value (repeatable).")
    var overrides: [String] = []

    @Option(help: "Extra folder of material files (searched first).")
    var materials: [String] = []

    @OptionGroup var limitOptions: LimitOptions

    @Flag(help: "Print the result as JSON on stdout, problems included (schema ionics.validate, docs/cli.md).")
    var json = false

    func run() throws {
        if json {
            let text = try readText(config)
            do {
                let (device, _) = try DeviceLoader.build(text: text, path: config, overrides: overrides, materialFolders: materials, limits: limitOptions.limits) {
                    printError("warning: material file skipped: \($0)")
                }
                printJSON(validateDocument(config: config, device: device, problems: []))
            } catch let error as ConfigError {
                printJSON(validateDocument(config: config, device: nil, problems: error.problems))
                throw ExitCode(1)
            } catch {
                printJSON(validateDocument(config: config, device: nil, problems: [ConfigProblem(path: "", message: "\(error)")]))
                throw ExitCode(1)
            }
            return
        }
        let (device, _) = try loadDevice(config, overrides: overrides, materialFolders: materials, limits: limitOptions.limits)
        let c = device.config
        let stack = c.layers.map { "\($0.name) (\($0.material)\($0.thickness.map { ", " + formatLength($0) } ?? ""))" }.joined(separator: " | ")
        print("\(config): OK — \(c.name): \(stack) at \(String(format: "%.2f", c.temperature)) K; "
              + "\(device.mesh.cellCount) cells, terminals \(device.terminalNames.joined(separator: ", "))")
    }
}

func formatLength(_ metres: Double) -> String {
    let units: [(Double, String)] = [(1, "m"), (1e-3, "mm"), (1e-6, "um"), (1e-9, "nm"), (1e-12, "pm")]
    for (scale, name) in units where abs(metres) >= scale { return "\(formatNumber(metres / scale)) \(name)" }
    return "\(metres) m"
}

func formatNumber(_ x: Double) -> String {
    let s = String(format: "%.4g", x)
    return s
}
