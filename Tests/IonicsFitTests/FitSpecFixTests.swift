import Foundation
import IonicsFit
import Testing

extension FitSpecTests {
    static func entry(weight: Double = 1) -> DatasetEntry {
        DatasetEntry(file: "g.csv", resolved: "g.csv", weight: weight, experiment: 0, keyPath: "data[0]")
    }

    /// "\r\n" is a single Character in Swift: a split on "\n" left the whole file as one line.
    @Test("a CSV with CRLF line endings (and an empty CRLF line and a comment) reads like one with LF")
    func crlf() throws {
        let text = "# exported on Windows\r\npulse,G (uS)\r\n1,2.5\r\n\r\n2,3.5\r\n"
        let d = try Dataset.parse(text, entry: Self.entry())
        #expect(d.count == 2)
        #expect(d.x == [1, 2])
        #expect(abs(d.y[1] - 3.5e-6) < 1e-18)
        // An error still names the right line (line 5 of the CRLF file).
        #expect(throws: DataError.self) { try Dataset.parse("pulse,G (uS)\r\n1,2\r\n\r\n\r\n2,x\r\n", entry: Self.entry()) }
        do { _ = try Dataset.parse("pulse,G (uS)\r\n1,2\r\n\r\n\r\n2,x\r\n", entry: Self.entry()) } catch {
            #expect(error.line == 5, "\(error)")
        }
    }

    /// With a σ column the weights are absolute; a weight w would shrink the intervals by √w.
    @Test("a weight other than 1 on a dataset with a σ column is refused, naming data[i].weight")
    func weightWithSigma() throws {
        let text = "pulse,G (uS),sigma_G (uS)\n1,2,0.1\n2,3,0.1\n"
        let weighted = try Dataset.parse(text, entry: Self.entry(weight: 4))
        let problems = Fitter.weightProblems([weighted])
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("data[0].weight:") == true, "\(problems)")
        #expect(Fitter.weightProblems([try Dataset.parse(text, entry: Self.entry())]).isEmpty)
        // Relative weights (no σ column) keep their weight.
        #expect(Fitter.weightProblems([try Dataset.parse("pulse,G (uS)\n1,2\n", entry: Self.entry(weight: 4))]).isEmpty)
    }

    @Test("a log-scale value at its upper bound stays inside it (10^u rounding clamped)")
    func clamped() {
        for upper in [5.0, 3.0, 7.0, 0.3, 123.456] {
            let p = FitParameter(path: "x", initial: 1, lower: 0.01, upper: upper, scale: .log)
            #expect(p.denormalised(1) == upper)
            #expect(p.denormalised(0) == 0.01)
        }
    }
}
