import Foundation
import IonicsConfig
import IonicsDevice
import IonicsTestSupport
import Testing

/// A deterministic config fuzzer (fixed seed): every leaf of configs/default.json, of
/// every preset and of the example cells is mutated — type swaps, zero, negative, NaN/Infinity strings, huge and
/// tiny values, wrong units, unknown and deleted keys — and the stacks are duplicated,
/// reordered and cut. Every case must build or throw a ``ConfigError`` whose every
/// problem names a key path; a sample of those that build is run for a few steps.
/// (In process: a trap would kill the test runner, which is how a crash shows.)
@Suite("config fuzzing")
struct ConfigFuzzTests {
    enum Step: CustomStringConvertible {
        case key(String), index(Int)
        var description: String {
            switch self {
            case .key(let k): return "." + k
            case .index(let i): return "[\(i)]"
            }
        }
    }

    struct Case {
        var label: String
        var document: JSONValue
    }

    static func leaves(_ v: JSONValue, _ path: [Step] = []) -> [[Step]] {
        switch v {
        case .object(let members): return members.flatMap { leaves($0.value, path + [.key($0.key)]) }
        case .array(let items): return items.enumerated().flatMap { leaves($0.element, path + [.index($0.offset)]) }
        default: return [path]
        }
    }

    /// `v` with the value at `path` replaced by `body(old)` (nil: deleted).
    static func edit(_ v: JSONValue, _ path: ArraySlice<Step>, _ body: (JSONValue) -> JSONValue?) -> JSONValue {
        guard let step = path.first else { return body(v) ?? .null }
        switch (step, v) {
        case (.key(let k), .object(var members)):
            guard let i = members.firstIndex(where: { $0.key == k }) else { return v }
            if path.count == 1 {
                if let new = body(members[i].value) { members[i].value = new } else { members.remove(at: i) }
            } else {
                members[i].value = edit(members[i].value, path.dropFirst(), body)
            }
            return .object(members)
        case (.index(let i), .array(var items)) where i < items.count:
            if path.count == 1 {
                if let new = body(items[i]) { items[i] = new } else { items.remove(at: i) }
            } else {
                items[i] = edit(items[i], path.dropFirst(), body)
            }
            return .array(items)
        default:
            return v
        }
    }

    /// A string's number and unit ("50 nm" → ("50", "nm")).
    static func split(_ s: String) -> (String, String)? {
        guard let space = s.firstIndex(of: " "), Double(s[..<space]) != nil else { return nil }
        return (String(s[..<space]), String(s[s.index(after: space)...]))
    }

    static let mutationCount = 15

    /// Mutation `kind` of a leaf value; nil deletes the key.
    static func mutate(_ v: JSONValue, kind: Int) -> JSONValue? {
        let unit: String? = { if case .string(let s) = v { return split(s)?.1 }; return nil }()
        func scaled(_ x: String) -> JSONValue { unit.map { .string(x + " " + $0) } ?? .number(Double(x) ?? 0) }
        switch kind {
        case 0:  // type swap
            switch v {
            case .number: return .string("abc")
            case .string: return .number(42)
            case .bool: return .string("yes")
            default: return .bool(true)
            }
        case 1: return [JSONValue.null, .array([]), .object([]), .array([.number(1)])][v.jsonText.utf8.count % 4]
        case 2: return scaled("0")
        case 3:
            switch v {
            case .number(let x): return .number(x == 0 ? -1 : -x)
            case .string(let s): return .string(s.hasPrefix("-") ? String(s.dropFirst()) : "-" + s)
            default: return .number(-1)
            }
        case 4: return .string(unit.map { "NaN " + $0 } ?? "NaN")
        case 5: return .string(unit.map { "Infinity " + $0 } ?? "-Infinity")
        case 6: return scaled("1e300")
        case 7: return scaled("1e-300")
        case 8: return scaled("1e12")
        case 9: return scaled("1e-15")
        case 10:  // wrong units
            if case .string(let s) = v, let (n, _) = split(s) { return .string(n + " kg/s") }
            return .string("5 parsec")
        case 11: return nil  // deleted key
        case 12: return .string("")
        case 13: return .number(1e15)
        default: return .number(0.5)
        }
    }

    /// Structural mutations of the stack and the object tree.
    static func structural(_ doc: JSONValue, label: String) -> [Case] {
        guard case .array(let layers)? = doc["layers"] else { return [] }
        var out: [Case] = []
        func withLayers(_ items: [JSONValue]) -> JSONValue { edit(doc, [.key("layers")][...]) { _ in .array(items) } }
        for i in layers.indices {
            out.append(Case(label: "\(label) duplicate layers[\(i)]", document: withLayers(layers + [layers[i]])))
            out.append(Case(label: "\(label) remove layers[\(i)]", document: withLayers(layers.enumerated().filter { $0.offset != i }.map(\.element))))
            if i + 1 < layers.count {
                var swapped = layers
                swapped.swapAt(i, i + 1)
                out.append(Case(label: "\(label) swap layers[\(i)] and [\(i + 1)]", document: withLayers(swapped)))
            }
        }
        out.append(Case(label: "\(label) reversed layers", document: withLayers(layers.reversed())))
        out.append(Case(label: "\(label) no layers", document: withLayers([])))
        out.append(Case(label: "\(label) layers twice", document: withLayers(layers + layers)))
        if case .array(let itf)? = doc["interfaces"], let first = itf.first {
            out.append(Case(label: "\(label) interface twice", document: edit(doc, [.key("interfaces")][...]) { _ in .array(itf + [first]) }))
        }
        // Unknown keys at the root and in every layer.
        if case .object(var members) = doc {
            members.append(JSONMember(key: "zz_unknown", value: .number(1)))
            out.append(Case(label: "\(label) unknown root key", document: .object(members)))
        }
        for i in layers.indices {
            out.append(Case(label: "\(label) unknown key in layers[\(i)]", document: edit(doc, [.key("layers"), .index(i)][...]) { l in
                guard case .object(var m) = l else { return l }
                m.append(JSONMember(key: "thicknes", value: .string("50 nm")))
                return .object(m)
            }))
        }
        return out
    }

    static func cases() throws -> [Case] {
        let root = repositoryRoot()
        var files = [root + "/configs/default.json"]
        let devices = root + "/configs/devices"
        files += try FileManager.default.contentsOfDirectory(atPath: devices).filter { $0.hasSuffix(".json") }.sorted().map { devices + "/" + $0 }
        // The example cells too: their boundaries, meshes and output times are other branches of the reader.
        let examples = root + "/configs/examples"
        files += try FileManager.default.contentsOfDirectory(atPath: examples).filter { $0.hasSuffix(".json") }.sorted().map { examples + "/" + $0 }
        // Fixed, so every run tests the same cases; IONICS_FUZZ_SEED explores others by hand.
        let seed = ProcessInfo.processInfo.environment["IONICS_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x1011_0E5_2026
        var rng = SplitMix64(seed: seed)
        var out: [Case] = []
        for file in files {
            let name = (file as NSString).lastPathComponent
            let doc = try JSONParser.parse(try String(contentsOfFile: file, encoding: .utf8))
            for path in leaves(doc) {
                let shown = path.map(\.description).joined()
                // Two different mutations of every leaf.
                let a = Int(rng.next() % UInt64(mutationCount))
                let b = (a + 1 + Int(rng.next() % UInt64(mutationCount - 1))) % mutationCount
                for kind in [a, b] {
                    out.append(Case(label: "\(name) \(shown) mutation \(kind)", document: edit(doc, path[...]) { mutate($0, kind: kind) }))
                }
            }
            out += structural(doc, label: name)
            // Combinations: three leaves at once.
            let all = leaves(doc)
            for n in 0..<50 where !all.isEmpty {
                var mutated = doc
                var label = "\(name) combination \(n):"
                for _ in 0..<3 {
                    let path = all[Int(rng.next() % UInt64(all.count))]
                    let kind = Int(rng.next() % UInt64(mutationCount))
                    mutated = edit(mutated, path[...]) { mutate($0, kind: kind) }
                    label += " " + path.map(\.description).joined() + " #\(kind)"
                }
                out.append(Case(label: label, document: mutated))
            }
        }
        return out
    }

    @Test("3000+ mutated configs: each builds or throws a ConfigError whose every problem names a key path; a sample runs a few steps")
    func fuzz() throws {
        let cases = try Self.cases()
        #expect(cases.count >= 3000)
        let library = MaterialLibrary(folders: [repositoryRoot() + "/configs/materials"])
        // Limits that keep the sample runs small.
        let limits = ResourceLimits(maxCells: 20_000, maxMemory: 2e9, maxSteps: 2_000_000, maxOutput: 5e9)
        var built: [(String, Device)] = []
        var rejected = 0
        for c in cases {
            do {
                let config = try DeviceConfig.parse(c.document.jsonText, source: "fuzz.json")
                built.append((c.label, try DeviceBuilder.build(config, materials: library, source: "fuzz.json", limits: limits)))
            } catch let e as ConfigError {
                rejected += 1
                #expect(!e.problems.isEmpty, "\(c.label)")
                for p in e.problems where p.path.isEmpty || p.message.isEmpty {
                    Issue.record("\(c.label): a problem without a key path: \(p)")
                }
            } catch {
                Issue.record("\(c.label): not a config error: \(error)")
            }
        }
        #expect(rejected > cases.count / 4, "most mutations are nonsense and are refused")
        #expect(built.count > 100)
        // A sample of those that built, three steps each.
        let stride = max(1, built.count / 100)
        var ran = 0
        for (label, device) in built.enumerated().filter({ $0.offset % stride == 0 }).map(\.element) {
            do {
                let simulation = try Simulation(device: device)
                simulation.stepLimit = 3
                _ = try simulation.run()
            } catch let e as SimulationError {
                #expect(!e.description.isEmpty, "\(label)")
            } catch {
                #expect(!"\(error)".isEmpty, "\(label)")  // a failed equilibrium is an error, not a crash
            }
            ran += 1
        }
        #expect(ran >= 80)
        if ProcessInfo.processInfo.environment["IONICS_FUZZ_SUMMARY"] != nil {
            print("fuzz: \(cases.count) cases, \(rejected) rejected, \(built.count) built, \(ran) run")
        }
    }
}
