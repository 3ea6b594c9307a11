import IonicsFit
import Testing

/// Reference quantiles from the standard tables (Abramowitz & Stegun table 26.10;
/// the normal value is Φ⁻¹(0.975) = 1.959963985).
@Suite("Student t quantiles")
struct StudentTTests {
    @Test("t quantiles match the tables to 1e-6", arguments: [
        (0.975, 1.0, 12.706205), (0.975, 5.0, 2.570582), (0.975, 10.0, 2.228139), (0.975, 30.0, 2.042272),
        (0.995, 10.0, 3.169273), (0.95, 2.0, 2.919986), (0.9, 20.0, 1.325341),
    ])
    func tables(p: Double, dof: Double, expected: Double) {
        #expect(abs(StudentT.quantile(p, dof: dof) - expected) < 1e-6)
    }

    @Test("ν = ∞ gives the normal quantile 1.959964; the lower tail is the mirror image")
    func normalAndSymmetry() {
        #expect(abs(StudentT.quantile(0.975, dof: .infinity) - 1.959964) < 1e-6)
        #expect(abs(StudentT.normalQuantile(0.8413447461) - 1) < 1e-7)
        #expect(abs(StudentT.quantile(0.025, dof: 5) + 2.570582) < 1e-6)
        #expect(StudentT.quantile(0.5, dof: 3) == 0)
        // Large ν approaches the normal value from above.
        let t1000 = StudentT.quantile(0.975, dof: 1000)
        #expect(t1000 > 1.959964 && abs(t1000 - 1.962339) < 1e-5)
    }

    @Test("the CDF inverts the quantile")
    func roundTrip() {
        for dof in [1.0, 3.0, 7.5, 50.0] {
            for p in [0.6, 0.9, 0.99, 0.999] {
                #expect(abs(StudentT.cumulative(StudentT.quantile(p, dof: dof), dof: dof) - p) < 1e-10)
            }
        }
    }
}
