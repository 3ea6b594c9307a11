import ArgumentParser
import IonicsHDF5

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise an Ionics HDF5 file: its attributes, groups and datasets with their shapes.")

    @Argument(help: "The HDF5 file.")
    var file: String

    @Flag(help: "Print the whole structure as JSON on stdout (schema ionics.inspect, docs/cli.md).")
    var json = false

    func run() throws {
        let f: HDF5File
        do {
            f = try HDF5File.open(at: file)
        } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
        if json {
            printJSON([JSON.schema("ionics.inspect"), ("file", .string(file)), ("root", try groupJSON(try f.root()))])
            return
        }
        print(file)
        try describe(try f.root(), indent: "  ")
    }

    func describe(_ group: HDF5Group, indent: String) throws {
        for name in try group.attributeNames() where name != "config" {
            print("\(indent)@\(name) = \(render(try group.attribute(name)))")
        }
        for child in try group.childNames() {
            if try group.isGroup(child) {
                print("\(indent)\(child)/")
                try describe(try group.openGroup(child), indent: indent + "  ")
            } else {
                let d = try group.openDataset(child)
                let shape = try d.shape().map(String.init).joined(separator: "×")
                var line = "\(indent)\(child) [\(shape)]"
                if case .string(let u)? = try? d.attribute("units") { line += " \(u)" }
                print(line)
            }
        }
    }

    func render(_ v: HDF5AttributeValue) -> String {
        switch v {
        case .double(let x): return "\(x)"
        case .int(let i): return "\(i)"
        case .string(let s): return s.count > 80 ? "\"\(s.prefix(77))…\"" : "\"\(s)\""
        case .doubles(let a): return "[" + a.prefix(8).map { "\($0)" }.joined(separator: ", ") + (a.count > 8 ? ", …" : "") + "]"
        case .ints(let a): return "[" + a.prefix(8).map { "\($0)" }.joined(separator: ", ") + (a.count > 8 ? ", …" : "") + "]"
        case .strings(let a): return "[" + a.prefix(8).joined(separator: ", ") + (a.count > 8 ? ", …" : "") + "]"
        }
    }
}
