import ArgumentParser
import IonicsConfig

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a config: types, units, ranges and unknown keys. Reports every problem and exits non-zero if any.")

    @Argument(help: "The JSON config file.")
    var config: String

    func run() throws {
        let c = try loadConfig(config)
        let stack = c.layers.map { "\($0.name) (\($0.material), \(formatLength($0.thickness)))" }.joined(separator: " | ")
        print("\(config): OK — \(c.name): \(stack) at \(String(format: "%.2f", c.temperature)) K")
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
