import Foundation
import IonicsExport
import IonicsHDF5
import IonicsTestSupport
import Testing

/// NeuroSim's curve through g0 … gN with normalised curvature s = N/A (s = 0 linear).
func synthetic(_ n: Int, from g0: Double, to gN: Double, s: Double) -> [Double] {
    (0...n).map { p in
        let y = abs(s) < 1e-12 ? Double(p) / Double(n) : -expm1(-s * Double(p) / Double(n)) / -expm1(-s)
        return g0 + (gN - g0) * y
    }
}

/// Writes a run file holding only what the exports read: `pulses/*` of one ltp-ltd experiment.
func writeRunFile(_ path: String, up: [Double], down: [Double], device: String = "synthetic") throws {
    let file = try HDF5File.create(at: path, overwrite: true)
    let root = try file.root()
    try root.setAttribute("device", device)
    try root.setAttribute("protocol", "ltp-ltd")
    let pulses = try root.createGroup("pulses")
    let nu = max(0, up.count - 1), nd = max(0, down.count - 1)
    let kinds = Array(repeating: 0.0, count: nu) + Array(repeating: 1.0, count: nd)
    let before = Array(up.dropLast()) + Array(down.dropLast())
    let after = Array(up.dropFirst()) + Array(down.dropFirst())
    let start = (0..<(nu + nd)).map { Double($0) * 0.1 }
    try pulses.write("kind", kinds, type: .int64)
    try pulses.write("index", (0..<(nu + nd)).map(Double.init), type: .int64)
    try pulses.write("experiment", Array(repeating: 0, count: nu + nd), type: .int64)
    try pulses.write("conductance_before", before)
    try pulses.write("conductance_after", after)
    try pulses.write("start", start)
    try pulses.write("end", start.map { $0 + 5e-3 })
    try pulses.write("peak_voltage", kinds.map { $0 == 0 ? 1.5 : -1.2 })
    try pulses.write("write_energy", kinds.map { $0 == 0 ? 2e-12 : 3e-12 })
    try file.commit()
}

func readJSON(_ path: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
}

func readCSV(_ path: String) throws -> [[Double]] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return text.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
}

func maxError(_ a: [Double], _ b: [Double], range: Double) -> Double {
    zip(a, b).map { abs($0 - $1) }.max()! / range
}

/// Replays aihwkit's documented PiecewiseStepDevice rule (no noise) from the JSON document.
func aihwkitReplay(_ doc: [String: Any], from g0: Double, pulses: Int, up: Bool) throws -> [Double] {
    let d = try #require(doc["PiecewiseStepDevice"] as? [String: Any])
    let wMin = d["w_min"] as! Double, wMax = d["w_max"] as! Double, dw = d["dw_min"] as! Double, ud = d["up_down"] as! Double
    let vUp = d["piecewise_up"] as! [Double], vDown = d["piecewise_down"] as! [Double]
    let gLo = d["conductance_at_w_min"] as! Double, gHi = d["conductance_at_w_max"] as! Double
    var w = wMin + (g0 - gLo) / (gHi - gLo) * (wMax - wMin)
    var out = [g0]
    let sections = Double(vUp.count - 1)
    for _ in 0..<pulses {
        let ws = max((w - wMin) / (wMax - wMin) * sections, 0)
        let i = min(Int(ws), vUp.count - 2)
        let q = min(ws - Double(i), 1)
        let v = up ? vUp : vDown
        let step = (1 - q) * v[i] + q * v[i + 1]
        w += up ? dw * (1 + ud) * step : -dw * (1 - ud) * step
        w = min(max(w, wMin), wMax)
        out.append(gLo + (w - wMin) / (wMax - wMin) * (gHi - gLo))
    }
    return out
}

/// Replays a ΔG-vs-G CSV table by linear interpolation (ends held).
func tableReplay(_ rows: [[Double]], from g0: Double, pulses: Int, lo: Double, hi: Double) -> [Double] {
    func dG(_ g: Double) -> Double {
        if g <= rows[0][0] { return rows[0][1] }
        if g >= rows[rows.count - 1][0] { return rows[rows.count - 1][1] }
        let k = rows.firstIndex { $0[0] >= g }!
        return rows[k - 1][1] + (g - rows[k - 1][0]) / (rows[k][0] - rows[k - 1][0]) * (rows[k][1] - rows[k - 1][1])
    }
    var g = g0
    var out = [g]
    for _ in 0..<pulses {
        g = min(max(g + dG(g), lo), hi)
        out.append(g)
    }
    return out
}

/// NeuroSim's G(P) = B(1 − e^(−P/A)) + G_low, B = (G_high − G_low)/(1 − e^(−N/A)).
func neurosimCurve(_ branch: [String: Any], descending: Bool) -> [Double] {
    let n = branch["max_num_levels"] as! Int
    let a = branch["param_A_pulses"] as! Double
    let lo = branch["G_low_S"] as! Double, hi = branch["G_high_S"] as! Double
    let b = (hi - lo) / (1 - exp(-Double(n) / a))
    return (0...n).map { k in
        let p = Double(descending ? n - k : k)
        return b * (1 - exp(-p / a)) + lo
    }
}

@Suite("Device exports replay the simulated branches")
struct ExportReplayTests {
    /// Saturating potentiation and an asymmetric, accelerating-then-saturating depression.
    static let cases: [(String, [Double], [Double])] = [
        ("saturating", synthetic(50, from: 10e-6, to: 40e-6, s: 2.5), synthetic(50, from: 40e-6, to: 12e-6, s: 1.5)),
        ("near-linear", synthetic(50, from: 10e-6, to: 11e-6, s: -0.004), synthetic(50, from: 11e-6, to: 10.02e-6, s: 0.01)),
        ("convex, few pulses", synthetic(12, from: 1e-6, to: 3e-6, s: -1.2), synthetic(12, from: 3e-6, to: 1e-6, s: 3)),
    ]

    @Test("run file → branches: the first contiguous run of each kind, G before then after each pulse")
    func readsBranches() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let (_, up, down) = Self.cases[0]
        let path = dir.file("run.h5")
        try writeRunFile(path, up: up, down: down)
        let b = try PulseBranches.read(runFile: path)
        #expect(b.potentiation == up)
        #expect(b.depression == down)
        #expect(abs(b.pulseWidth.potentiation - 5e-3) < 1e-12)
        #expect(abs(b.writeEnergy.depression - 3e-12) < 1e-24)
    }

    @Test("aihwkit: the documented piecewise-step rule replayed from the JSON stays within 1 % of the range", arguments: 0..<3)
    func aihwkit(_ k: Int) throws {
        let (name, up, down) = Self.cases[k]
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try writeRunFile(dir.file("run.h5"), up: up, down: down)
        try DeviceExport.make(.aihwkit, runFile: dir.file("run.h5")).write(to: dir.path, overwrite: false)
        let doc = try readJSON(dir.file("aihwkit_device.json"))
        let range = (up + down).max()! - (up + down).min()!
        let eUp = maxError(try aihwkitReplay(doc, from: up[0], pulses: up.count - 1, up: true), up, range: range)
        let eDown = maxError(try aihwkitReplay(doc, from: down[0], pulses: down.count - 1, up: false), down, range: range)
        #expect(eUp < 0.01, "\(name): potentiation replay error \(eUp)")
        #expect(eDown < 0.01, "\(name): depression replay error \(eDown)")
        let reported = try #require(doc["replay_error_of_range"] as? Double)
        #expect(abs(reported - max(eUp, eDown)) < 1e-9, "the document reports the replay error the rule gives")
        let python = try String(contentsOfFile: dir.file("aihwkit_device.py"), encoding: .utf8)
        #expect(python.contains("from aihwkit.simulator.configs.devices import PiecewiseStepDevice"))
        #expect(python.contains("piecewise_up=["))
    }

    @Test("aihwkit: the SoftBounds fit is offered for saturating branches only")
    func softBounds() throws {
        let sat = try DeviceExport.make(.aihwkit, branches: PulseBranches(potentiation: Self.cases[0].1, depression: Self.cases[0].2))
        let lin = try DeviceExport.make(.aihwkit, branches: PulseBranches(potentiation: Self.cases[2].1, depression: Self.cases[2].2))
        #expect(sat.files[0].text.contains("\"suitable\" : true"))
        #expect(lin.files[0].text.contains("\"suitable\" : false"))
    }

    @Test("CrossSim: set/reset.csv are the branches, and the ΔG(G) tables replayed by interpolation stay within 1 %", arguments: 0..<3)
    func crosssim(_ k: Int) throws {
        let (name, up, down) = Self.cases[k]
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try writeRunFile(dir.file("run.h5"), up: up, down: down)
        try DeviceExport.make(.crosssim, runFile: dir.file("run.h5")).write(to: dir.path, overwrite: false)
        let set = try readCSV(dir.file("set.csv")).map { $0[0] }
        let reset = try readCSV(dir.file("reset.csv")).map { $0[0] }
        #expect(maxError(set, up, range: 1) < 1e-15 && set.count == up.count)
        #expect(maxError(reset, down, range: 1) < 1e-15 && reset.count == down.count)
        let lo = (up + down).min()!, hi = (up + down).max()!
        let eUp = maxError(tableReplay(try readCSV(dir.file("dG_increasing.csv")), from: up[0], pulses: up.count - 1, lo: lo, hi: hi), up, range: hi - lo)
        let eDown = maxError(tableReplay(try readCSV(dir.file("dG_decreasing.csv")), from: down[0], pulses: down.count - 1, lo: lo, hi: hi), down, range: hi - lo)
        #expect(eUp < 0.01, "\(name): increasing replay error \(eUp)")
        #expect(eDown < 0.01, "\(name): decreasing replay error \(eDown)")
    }

    @Test("NeuroSim: the parameters regenerate each branch within the fit's reported residual", arguments: 0..<3)
    func neurosim(_ k: Int) throws {
        let (name, up, down) = Self.cases[k]
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try writeRunFile(dir.file("run.h5"), up: up, down: down)
        try DeviceExport.make(.neurosim, runFile: dir.file("run.h5")).write(to: dir.path, overwrite: false)
        let doc = try readJSON(dir.file("neurosim_device.json"))
        for (key, branch, descending) in [("LTP", up, false), ("LTD", down, true)] {
            let p = try #require(doc[key] as? [String: Any])
            let g = neurosimCurve(p, descending: descending)
            let range = abs(branch.last! - branch.first!)
            let rms = (zip(g, branch).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(g.count)).squareRoot() / range
            let residual = try #require(p["fit_residual_rms_of_range"] as? Double)
            #expect(rms <= residual * (1 + 1e-6) + 1e-12, "\(name) \(key): regenerated rms \(rms) > reported \(residual)")
            #expect(p["max_num_levels"] as? Int == branch.count - 1)
        }
        let ltd = try #require(doc["LTD"] as? [String: Any])
        #expect((ltd["write_voltage_V"] as? Double).map { abs($0 - 1.2) < 1e-9 } == true, "peak |V| of the depression pulses")
        let text = try String(contentsOfFile: dir.file("neurosim_param.txt"), encoding: .utf8)
        #expect(text.contains("maxNumLevelLTP = \(up.count - 1);"))
        #expect(text.contains("paramALTD = "))
    }

    @Test("a run without LTP/LTD pulses is refused, naming what is missing; existing files are kept without force")
    func errors() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let file = try HDF5File.create(at: dir.file("empty.h5"))
        try file.root().setAttribute("protocol", "retention")
        try file.commit()
        #expect(throws: ExportError.self) { try DeviceExport.make(.aihwkit, runFile: dir.file("empty.h5")) }
        do {
            _ = try DeviceExport.make(.crosssim, runFile: dir.file("empty.h5"))
            Issue.record("a run without pulses must be refused")
        } catch let e as ExportError {
            #expect(e.description.contains("'pulses'"), "\(e)")
        }
        try writeRunFile(dir.file("up-only.h5"), up: Self.cases[0].1, down: [])
        do {
            _ = try DeviceExport.make(.neurosim, runFile: dir.file("up-only.h5"))
            Issue.record("a run without depression pulses must be refused")
        } catch let e as ExportError {
            #expect(e.description.contains("depression"))
        }
        try writeRunFile(dir.file("run.h5"), up: Self.cases[0].1, down: Self.cases[0].2)
        let export = try DeviceExport.make(.neurosim, runFile: dir.file("run.h5"))
        try export.write(to: dir.file("out"), overwrite: false)
        try "keep".write(toFile: dir.file("out/neurosim_param.txt"), atomically: true, encoding: .utf8)
        #expect(throws: ExportError.self) { try export.write(to: dir.file("out"), overwrite: false) }
        #expect(try String(contentsOfFile: dir.file("out/neurosim_param.txt"), encoding: .utf8) == "keep")
        try export.write(to: dir.file("out"), overwrite: true)
        #expect(try String(contentsOfFile: dir.file("out/neurosim_param.txt"), encoding: .utf8) != "keep")
    }
}
