import Foundation
import IonicsConfig
import IonicsTestSupport
import Testing

/// What the per-preset prediction tests share: one `ionics run --json` of a config, and a
/// material's σ(θ) nodes or semiconductor parameters from the library.
enum PresetCheck {
    /// The `metrics` of `ionics run <path> --json` (path relative to the repository root, as
    /// the tests run there), written to a temporary file that is removed afterwards.
    static func metrics(_ path: String) throws -> [String: Any] {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("preset-\(UUID().uuidString).h5").path
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: (out as NSString).deletingPathExtension + ".xmf")
        }
        let r = try runIonics(["run", path, "-o", out, "--json", "--force"])
        #expect(r.status == 0, "\(path): \(r.stderr.suffix(2000))")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return try #require(document["metrics"] as? [String: Any])
    }

    /// A material of `configs/materials`.
    static func material(_ name: String) throws -> MaterialConfig {
        try #require(MaterialLibrary(folders: [repositoryRoot() + "/configs/materials"])[name], "no material \(name)")
    }

    struct NoTable: Error, CustomStringConvertible {
        let material: String
        var description: String { "\(material) has no σ(θ) table" }
    }

    /// A material's σ(θ) law as tabulated: fillings and σ in S/m.
    static func conductivityLaw(_ name: String) throws -> TableConfig {
        guard case .table(let t)? = try material(name).conductivity else { throw NoTable(material: name) }
        return t
    }

    /// A semiconductor material's electron parameters.
    static func semiconductor(_ name: String) throws -> SemiconductorConfig {
        try #require(try material(name).semiconductor, "\(name) must be a semiconductor host")
    }

    /// F_{1/2}(η) normalised so that F → e^η for η → −∞ (the solver's form):
    /// (2/√π)∫₀^∞ √x/(1 + e^(x−η)) dx, by the trapezoid rule on [0, 60 + max(η, 0)].
    static func fermiHalf(_ eta: Double) -> Double {
        let top = 60 + max(eta, 0), n = 60_000
        let h = top / Double(n)
        var sum = 0.0
        for i in 0...n {
            let x = Double(i) * h
            let f = x.squareRoot() / (1 + exp(min(x - eta, 700)))
            sum += (i == 0 || i == n) ? 0.5 * f : f
        }
        return 2 / Double.pi.squareRoot() * sum * h
    }
}
