import Foundation
import IonicsConfig
import IonicsDevice
import IonicsTestSupport
import IonicsVerification
import Testing

/// The three example cells of configs/examples, loaded and run as `ionics run` does and
/// compared with their analytic solutions at the thresholds of `ionics verify`.
@Suite("Example cells against their analytic solutions")
struct ExampleCellTests {
    static let folder = repositoryRoot() + "/configs/examples"

    func check(_ outcome: VerificationOutcome, rows: Int) {
        #expect(outcome.rows.count == rows)
        for row in outcome.rows { #expect(row.passed, "\(row)") }
    }

    @Test("gouy-chapman.json: potential profile within 1e-3 of φ0 and Grahame's charge within 1e-3")
    func gouyChapman() throws {
        let outcome = try GouyChapmanExample.run(path: Self.folder + "/gouy-chapman.json")
        check(outcome, rows: 2)
        #expect(outcome.rows.map(\.tolerance) == [1e-3, 1e-3])
    }

    @Test("bta-charging.json: relaxation time within 2 % of λ_D L/D")
    func charging() throws {
        let outcome = try ChargingExample.run(path: Self.folder + "/bta-charging.json")
        check(outcome, rows: 1)
        #expect(outcome.rows.first?.tolerance == 0.02)
    }

    @Test("cottrell.json: flux within 1e-3 of the finite-slab series over [1e-3, 1]·L²/D")
    func cottrell() throws {
        let outcome = try CottrellExample.run(path: Self.folder + "/cottrell.json")
        check(outcome, rows: 1)
        #expect(outcome.rows.first?.tolerance == 1e-3)
    }

    @Test("every output time of an example is sampled, once, in order")
    func samples() throws {
        let run = try ExampleCells.run("gouy-chapman", path: Self.folder + "/gouy-chapman.json")
        #expect(run.samples.map(\.sample.time) == run.device.config.output.times)
    }

    @Test("the suite finds the examples and an example that is not the cell its solution needs is refused")
    func refused() throws {
        #expect(FileManager.default.fileExists(atPath: ExampleCells.path("cottrell")))
        // The BTA cell is not a Gouy–Chapman cell (no reservoir): the case says so instead of comparing.
        #expect(throws: ExampleCells.ExampleError.self) { try GouyChapmanExample.run(path: Self.folder + "/bta-charging.json") }
    }
}
