import Foundation
import IonicsFit
import Testing

extension LevenbergMarquardtTests {
    /// Adaptive time stepping makes a model's cost jump by a hair between nearby
    /// parameter values. Here every point other than the start costs 1e-6 more (a tenth
    /// of cost_tolerance·cost), so no trial step is ever accepted at the optimum: that
    /// ended "NOT converged" after the rejections; MINPACK's test on the predicted
    /// reduction calls it converged.
    @Test("a noisy cost at its optimum: converged by the predicted-reduction test, not 'no step lowers the cost'")
    func noisyCost() throws {
        let t = (0..<20).map { Double($0) / 19 }
        var rng = SeededNormal(seed: 3)
        let y = t.map { 1 + 2 * $0 + 0.1 * rng.next() }
        // The exact least-squares line.
        let n = Double(t.count), st = t.reduce(0, +), sy = y.reduce(0, +)
        let stt = t.reduce(0) { $0 + $1 * $1 }, sty = zip(t, y).reduce(0) { $0 + $1.0 * $1.1 }
        let b = (n * sty - st * sy) / (n * stt - st * st), a = (sy - b * st) / n
        let start = [a + 1e-6, b]
        let bump = (2e-6).squareRoot()
        let f: ([Double]) -> [Double] = { v in zip(t, y).map { v[0] + v[1] * $0 - $1 } + [v == start ? 0 : bump] }
        var options = LevenbergMarquardtOptions()
        options.gradientTolerance = 1e-12
        let s = try LevenbergMarquardt.minimize(start: start, lower: [-10, -10], upper: [10, 10], options: options, evaluate: Self.batch(f))
        #expect(s.converged, "\(s.reason)")
        #expect(s.reason.contains("predicted"), "\(s.reason)")
        #expect(abs(s.parameters[0] - a) < 1e-5 && abs(s.parameters[1] - b) < 1e-5)
    }

    @Test("a model failure at a finite-difference point: the column is retried with −h")
    func failedDifferencePoint() throws {
        let h = LevenbergMarquardtOptions().finiteDifferenceStep
        let f: ([Double]) -> [Double] = { x in
            abs(x[0] - (0.3 + h)) < 1e-12 ? [.nan, .nan, .nan] : [x[0] - 0.6, x[1] - 0.4, x[0] * x[1] - 0.24]
        }
        let s = try LevenbergMarquardt.minimize(start: [0.3, 0.3], lower: [0, 0], upper: [1, 1], evaluate: Self.batch(f))
        #expect(s.converged)
        #expect(abs(s.parameters[0] - 0.6) < 1e-4 && abs(s.parameters[1] - 0.4) < 1e-4)
    }

    @Test("a model that fails at +h, −h and h/2 of a column stops with a message naming the parameter")
    func failedColumn() throws {
        let f: ([Double]) -> [Double] = { x in x[1] != 0.3 ? [.nan, .nan, .nan] : [x[0] - 0.6, x[1] - 0.4, x[0] - 0.1] }
        do {
            _ = try LevenbergMarquardt.minimize(start: [0.3, 0.3], lower: [0, 0], upper: [1, 1], evaluate: Self.batch(f))
            Issue.record("expected a failure")
        } catch let e as LeastSquaresError {
            guard case .failedColumn(let j, _) = e else { Issue.record("\(e)"); return }
            #expect(j == 1)
        }
        // Through the fitter: the message names parameters[1] and its path.
        let parameters = [FitParameter(path: "alpha", initial: 0.3, lower: 0, upper: 1, scale: .linear),
                          FitParameter(path: "beta", initial: 0.3, lower: 0, upper: 1, scale: .linear)]
        let entry = DatasetEntry(file: "v.csv", resolved: "v.csv", weight: 1, experiment: 0, keyPath: "data[0]")
        let dataset = try Dataset.parse("t (s),V_a (V)\n1,0.6\n2,0.4\n3,0.1\n", entry: entry)
        do {
            _ = try Fitter.fit(parameters: parameters, datasets: [dataset], settings: FitSettings(), run: { batch in
                batch.map { v in v[1] != 0.3 ? nil : ([[v[0], v[1], v[0]]], 0.0) }
            })
            Issue.record("expected a failure")
        } catch {
            #expect("\(error)".contains("parameters[1] (beta)"), "\(error)")
        }
    }
}
