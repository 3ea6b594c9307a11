import IonicsVerification
import Testing

/// Every verification case at the `quick` size, with the thresholds of `ionics verify`.
@Suite("Verification cases")
struct VerificationTests {
    /// The example cells have their own suite (``ExampleCellTests``), the 2D transients
    /// theirs (``CrossSection2DTests``, with checks that they are not vacuous).
    static let names = VerificationSuite.cases(.quick).map(\.name).filter { !$0.hasPrefix("example-") && !$0.hasPrefix("2d-") }

    @Test("each verification case meets its thresholds", arguments: names)
    func verificationCase(_ name: String) throws {
        let c = VerificationSuite.cases(.quick).first { $0.name == name }!
        let outcome = try c.run()
        #expect(!outcome.rows.isEmpty)
        for row in outcome.rows {
            #expect(row.passed, "\(row)")
        }
    }
}
