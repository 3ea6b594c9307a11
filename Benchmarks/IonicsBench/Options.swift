// Command-line options of ionics-bench and the small statistics every mode shares.
import Foundation

/// The arguments after the mode: `--name value` pairs, checked against the names a mode
/// knows so that a misspelt option fails instead of silently using the default.
struct Options {
    private var values: [String: String] = [:]

    init(_ arguments: [String], known: Set<String>, usage: String) {
        var i = 0
        while i < arguments.count {
            let name = arguments[i]
            guard known.contains(name), i + 1 < arguments.count else {
                fail("unknown option or missing value: \(name)", usage: usage)
            }
            values[name] = arguments[i + 1]
            i += 2
        }
    }

    func string(_ name: String) -> String? { values[name] }

    func int(_ name: String, _ fallback: Int) -> Int {
        guard let s = values[name] else { return fallback }
        guard let v = Int(s), v > 0 else { fail("\(name) needs a positive integer, not \(s)") }
        return v
    }

    func double(_ name: String, _ fallback: Double) -> Double {
        guard let s = values[name] else { return fallback }
        guard let v = Double(s), v > 0 else { fail("\(name) needs a positive number, not \(s)") }
        return v
    }

    /// A comma-separated list; an empty string gives an empty list.
    func list<T>(_ name: String, _ fallback: [T], _ parse: (String) -> T?) -> [T] {
        guard let s = values[name] else { return fallback }
        let items = s.split(separator: ",").map(String.init)
        let parsed = items.compactMap(parse)
        guard parsed.count == items.count else { fail("\(name): cannot read \(s)") }
        return parsed
    }
}

func fail(_ message: String, usage: String? = nil) -> Never {
    FileHandle.standardError.write(Data("ionics-bench: \(message)\n".utf8))
    if let usage { FileHandle.standardError.write(Data((usage + "\n").utf8)) }
    exit(2)
}

/// Median (mean of the middle two for an even count) and minimum of a sample.
func summary(_ values: [Double]) -> (median: Double, min: Double) {
    let s = values.sorted()
    let n = s.count
    precondition(n > 0)
    let median = n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2])
    return (median, s[0])
}

/// Wall time (monotonic clock) and CPU time of the process (all threads) spent in `work`,
/// s. The CPU time is what the work cost; the wall time adds the waits for cores that
/// other users of a shared machine hold, so the two together tell a slower build from a
/// busier machine.
func timed<T>(_ work: () throws -> T) rethrows -> (value: T, wall: Double, cpu: Double) {
    func processCPU() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
    let clock = ContinuousClock()
    let start = clock.now
    let cpu0 = processCPU()
    let value = try work()
    let cpu = processCPU() - cpu0
    let d = clock.now - start
    return (value, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18, cpu)
}

/// Appends tab-separated rows to the file named by `--tsv` (how scripts/bench.sh reads
/// the figures of two builds side by side); does nothing without it.
struct TSVWriter {
    let path: String?

    func write(_ fields: [String]) {
        guard let path else { return }
        let line = fields.joined(separator: "\t") + "\n"
        if let h = FileHandle(forWritingAtPath: path) {
            h.seekToEndOfFile()
            h.write(Data(line.utf8))
            h.closeFile()
        } else if !FileManager.default.createFile(atPath: path, contents: Data(line.utf8)) {
            fail("cannot write \(path)")
        }
    }
}
