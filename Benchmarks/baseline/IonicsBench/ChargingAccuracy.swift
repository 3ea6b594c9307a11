// Accuracy of blocking-cell charging at the default tolerances, and the wall time it costs.
//
// A 1:1 electrolyte between blocking electrodes 2L apart (L = 100 λ_D), a step of V volts
// (in thermal voltages) at t = 0, on graded meshes whose smallest cell is 0.02 λ_D at 400
// cells and scales as 1/cells. The measured quantity is the charge q(t) of the electrode
// at −V/2 (C/m²: the displacement D_y on the first face) at 50 log-spaced times in
// [1e-3, 5]·λ_D L/D. Its error is
//
//     max_i |q(t_i) − q_ref(t_i)| / max_i |q_ref(t_i)|
//
// against a self-convergence reference: the same cell on 4× the cells (same grading)
// integrated at a tight tolerance. The reference reports its own uncertainty: in time, the
// difference to a run at a 10× looser tolerance; in space, the Richardson estimate
// d/(4² − 1) from the difference d between the tight runs on the mesh and on the reference
// mesh (second order assumed; the observed order is printed when two meshes a factor 4
// apart are both benchmarked).
//
// The error against the reference is the sum of a spatial and a temporal error, which can
// cancel. The time-integration error alone is reported beside it: the difference to the
// tight run on the same mesh, normalised by the same max |q_ref|.
//
// This is written against the TR-BDF2 API of the baseline (0ef62dd), where the integrator
// lands steps on breakpoints: the output times are passed as non-discontinuous breakpoints
// and q is read in the observer at the steps that end on them.
import Foundation
import IonicsDiscretisation
import IonicsSolvers
import IonicsVerification

enum ChargingAccuracy {
    static let usage = """
        ionics-bench charging-accuracy [--cells 400,1600] [--volts 1,10] [--repeat 5]
                                       [--sweep 1e-5,1e-6,1e-7] [--sweep-cells N] [--target 3e-5]
                                       [--reference FILE] [--reference-tolerance 1e-9] [--check-tolerance 1e-8]
                                       [--label NAME] [--tsv FILE]
          Blocking-cell charging (1:1, L = 100 λ_D): max relative error of the electrode charge over
          50 log-spaced times in [1e-3, 5] λ_D L/D against a 4×-refined, tight-tolerance reference,
          at the default TimeIntegratorOptions, and the time-integration error alone (against the
          tight run on the same mesh); a tolerance sweep (relative and absolute tolerances scaled
          together) on the --sweep-cells mesh (default: the finest) from which the wall time to reach
          --target is interpolated. --reference caches the reference solutions (JSON; computed when
          missing or made with other settings).
        """

    /// Describes everything the reference depends on besides its mesh, step and tolerances;
    /// a cached reference made with another setup is recomputed.
    static let setup = "blocking cell 1:1, L = 100 λ_D, smallest cell 0.02·400/cells λ_D, q of the first face at 50 log-spaced times in [1e-3, 5] λ_D L/D"

    /// The integrator's settings for one run: `TimeIntegratorOptions()` untouched (nil), or
    /// with the relative tolerance set to `relative` and the absolute tolerances scaled by
    /// the same factor, so that no absolute floor caps the accuracy of tight runs.
    struct Tolerance: Hashable {
        var relative: Double?

        static let defaults = Tolerance(relative: nil)

        var label: String { relative.map { String(format: "%.0e", $0) } ?? "default" }

        var options: TimeIntegratorOptions {
            var o = TimeIntegratorOptions()
            guard let relative else { return o }
            let k = relative / o.relativeTolerance
            o.relativeTolerance = relative
            o.absolutePotential *= k
            o.absoluteDensity *= k
            o.absoluteFree *= k
            return o
        }
    }

    static func blockingCell(cells: Int) -> BlockingCell {
        var cell = BlockingCell()
        cell.halfWidth = 100
        cell.cells = cells
        cell.smallest = 0.02 * 400 / Double(cells)
        return cell
    }

    /// The 50 output times, log-spaced in [1e-3, 5]·λ_D L/D, s.
    static func outputTimes(_ cell: BlockingCell) -> [Double] {
        let a = log(1e-3), b = log(5.0), n = 50
        return (0..<n).map { i in cell.chargingTime * (i == n - 1 ? 5 : exp(a + (b - a) * Double(i) / Double(n - 1))) }
    }

    struct Solution {
        /// Charge of the electrode at −V/2 at the output times, C/m².
        var charges: [Double]
        /// Wall time of the whole solve (discretisation, integration, output), s.
        var seconds: Double
        /// CPU time of the same, s.
        var cpu: Double
        var statistics: IntegrationStatistics
    }

    static func solve(cells: Int, volts: Double, tolerance: Tolerance) throws -> Solution {
        let cell = blockingCell(cells: cells)
        let times = outputTimes(cell)
        let ((charges, statistics), seconds, cpu) = try timed {
            let d = try PNPDiscretisation(problem: cell.problem(voltage: volts * cell.vt), mesh: cell.mesh())
            let integrator = TRBDF2Integrator(system: d, state: d.initialState(), time: 0, options: tolerance.options)
            let breakpoints = [Breakpoint(0, discontinuous: true)] + times.dropLast().map { Breakpoint($0, discontinuous: false) }
            var charges: [Double] = []
            try integrator.advance(to: times[times.count - 1], breakpoints: breakpoints) { record in
                guard record.kind == .step, charges.count < times.count else { return }
                let t = times[charges.count]
                // The integrator lands on t as time + (t − time), which may differ from t in the last bit.
                guard abs(record.end - t) <= 1e-9 * t else {
                    precondition(record.end < t, "a step passed the output time \(t) s")
                    return
                }
                charges.append(try d.faceRecord(record.after, time: record.end).displacement[0])
            }
            return (charges, integrator.statistics)
        }
        precondition(charges.count == times.count, "\(charges.count) of \(times.count) output times reached")
        return Solution(charges: charges, seconds: seconds, cpu: cpu, statistics: statistics)
    }

    /// max_i |q_i − r_i| / max_i |r_i|.
    static func relativeError(_ q: [Double], _ r: [Double]) -> Double {
        let scale = r.map(abs).max()!
        return zip(q, r).map { abs($0 - $1) }.max()! / scale
    }

    // MARK: - Reference

    struct Reference: Codable {
        var cells: Int
        var volts: Double
        var referenceCells: Int
        var tolerance: Double
        var checkTolerance: Double
        var charges: [Double]
        /// The tight run on the benchmarked mesh itself (`cells`), C/m²: what the time-integration error is measured against.
        var meshCharges: [Double]
        /// Relative difference of the reference to the same mesh at `checkTolerance`.
        var timeUncertainty: Double
        /// Relative difference between tight runs on `cells` and on `referenceCells`.
        var meshDifference: Double
        /// Wall time of the reference solve, s.
        var seconds: Double
        var computedBy: String

        /// Richardson estimate of the reference mesh's own error for a second-order scheme.
        var spaceUncertainty: Double { meshDifference / 15 }
    }

    struct ReferenceFile: Codable {
        var setup: String
        var references: [Reference]
    }

    /// Tight solutions shared between references (the reference of N cells needs N and 4N).
    final class TightSolutions {
        var cache: [String: Solution] = [:]
        func get(cells: Int, volts: Double, tolerance: Double) throws -> Solution {
            let key = "\(cells) \(volts) \(tolerance)"
            if let s = cache[key] { return s }
            FileHandle.standardError.write(Data("charging-accuracy: reference solve, \(cells) cells, \(volts) V_T, tolerance \(tolerance)\n".utf8))
            let s = try solve(cells: cells, volts: volts, tolerance: Tolerance(relative: tolerance))
            cache[key] = s
            return s
        }
    }

    static func references(
        cells: [Int], volts: [Double], tolerance: Double, check: Double, file: String?, label: String
    ) throws -> [Reference] {
        var stored: [Reference] = []
        if let file, let data = FileManager.default.contents(atPath: file),
            let f = try? JSONDecoder().decode(ReferenceFile.self, from: data), f.setup == setup
        {
            stored = f.references
        }
        let tight = TightSolutions()
        var result: [Reference] = []
        var computed = false
        for v in volts {
            for n in cells {
                if let r = stored.first(where: {
                    $0.cells == n && $0.volts == v && $0.referenceCells == 4 * n && $0.tolerance == tolerance && $0.checkTolerance == check
                }) {
                    result.append(r)
                    continue
                }
                let fine = try tight.get(cells: 4 * n, volts: v, tolerance: tolerance)
                let loose = try tight.get(cells: 4 * n, volts: v, tolerance: check)
                let coarse = try tight.get(cells: n, volts: v, tolerance: tolerance)
                let r = Reference(
                    cells: n, volts: v, referenceCells: 4 * n, tolerance: tolerance, checkTolerance: check, charges: fine.charges,
                    meshCharges: coarse.charges,
                    timeUncertainty: relativeError(loose.charges, fine.charges),
                    meshDifference: relativeError(coarse.charges, fine.charges), seconds: fine.seconds, computedBy: label)
                result.append(r)
                stored.removeAll { $0.cells == n && $0.volts == v }
                stored.append(r)
                computed = true
            }
        }
        if computed, let file {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(ReferenceFile(setup: setup, references: stored)).write(to: URL(fileURLWithPath: file), options: .atomic)
        }
        return result
    }

    // MARK: - Benchmark

    struct Row {
        var cells: Int
        var volts: Double
        var tolerance: Tolerance
        var error: Double
        /// Error against the tight run on the same mesh.
        var timeError: Double
        var median: Double
        var min: Double
        /// Median CPU time, s.
        var cpu: Double
        var statistics: IntegrationStatistics
    }

    /// Wall time, CPU time and tolerance at which the error reaches `target`, interpolated
    /// log-log between the two sweep rows around it; nil when no row reaches it.
    static func timeToAccuracy(
        _ rows: [Row], target: Double, error: (Row) -> Double
    ) -> (seconds: Double, cpu: Double, tolerance: Double)? {
        for (i, r) in rows.enumerated() where error(r) <= target {
            let tol = r.tolerance.options.relativeTolerance
            guard i > 0 else { return (r.median, r.cpu, tol) }
            let p = rows[i - 1]
            let s = (log(target) - log(error(p))) / (log(error(r)) - log(error(p)))
            func between(_ a: Double, _ b: Double) -> Double { exp(log(a) + s * (log(b) - log(a))) }
            return (between(p.median, r.median), between(p.cpu, r.cpu), between(p.tolerance.options.relativeTolerance, tol))
        }
        return nil
    }

    static func main(_ arguments: [String]) throws {
        let options = Options(
            arguments,
            known: ["--cells", "--volts", "--repeat", "--sweep", "--sweep-cells", "--target", "--reference", "--reference-tolerance",
                    "--check-tolerance", "--label", "--tsv"],
            usage: usage)
        let meshes = options.list("--cells", [400, 1600]) { Int($0).flatMap { $0 > 0 ? $0 : nil } }
        let volts = options.list("--volts", [1.0, 10.0]) { Double($0) }
        let repeats = options.int("--repeat", 5)
        let sweep = options.list("--sweep", [1e-5, 1e-6, 1e-7]) { Double($0) }.map { Tolerance(relative: $0) }
        let sweepCells = options.int("--sweep-cells", meshes.max() ?? 0)
        let target = options.double("--target", 3e-5)
        let referenceTolerance = options.double("--reference-tolerance", 1e-9)
        let checkTolerance = options.double("--check-tolerance", 1e-8)
        let label = options.string("--label") ?? "ionics-bench"
        let tsv = TSVWriter(path: options.string("--tsv"))
        guard !meshes.isEmpty, !volts.isEmpty else { fail("--cells and --volts need at least one value", usage: usage) }

        let refs = try references(
            cells: meshes, volts: volts, tolerance: referenceTolerance, check: checkTolerance, file: options.string("--reference"),
            label: label)

        var rows: [Row] = []
        for v in volts {
            for n in meshes {
                let ref = refs.first { $0.cells == n && $0.volts == v }!
                for tol in [Tolerance.defaults] + (n == sweepCells ? sweep : []) {
                    FileHandle.standardError.write(Data("charging-accuracy: \(n) cells, \(v) V_T, tolerance \(tol.label)\n".utf8))
                    var seconds: [Double] = []
                    var cpus: [Double] = []
                    var last: Solution?
                    for _ in 0..<repeats {
                        let s = try solve(cells: n, volts: v, tolerance: tol)
                        seconds.append(s.seconds)
                        cpus.append(s.cpu)
                        last = s
                    }
                    let (median, least) = summary(seconds)
                    let scale = ref.charges.map(abs).max()!
                    let timeError = zip(last!.charges, ref.meshCharges).map { abs($0 - $1) }.max()! / scale
                    rows.append(Row(cells: n, volts: v, tolerance: tol, error: relativeError(last!.charges, ref.charges),
                                    timeError: timeError, median: median, min: least, cpu: summary(cpus).median,
                                    statistics: last!.statistics))
                }
            }
        }

        print("Blocking-cell charging accuracy (1:1, L = 100 λ_D): electrode charge at 50 log-spaced times in [1e-3, 5] λ_D L/D")
        print("")
        print("Reference: 4× the cells, relative tolerance \(referenceTolerance) (absolute tolerances scaled alike); its uncertainty in time is")
        print("the difference to tolerance \(checkTolerance), in space the Richardson estimate (difference to the tight run on the coarse mesh)/15.")
        print("")
        print("| cells | V_T | reference cells | max abs q_ref (C/m²) | uncertainty, time | uncertainty, space | reference wall time (s) | computed by |")
        print("|---|---|---|---|---|---|---|---|")
        for r in refs {
            print(String(format: "| %d | %g | %d | %.4e | %.1e | %.1e | %.1f | %@ |", r.cells, r.volts, r.referenceCells,
                         r.charges.map(abs).max()!, r.timeUncertainty, r.spaceUncertainty, r.seconds, r.computedBy))
            tsv.write(["reference", "\(r.cells)", "\(r.volts)", "\(r.referenceCells)", "\(r.timeUncertainty)", "\(r.spaceUncertainty)",
                       "\(r.seconds)"])
        }
        for v in volts {
            for n in meshes where meshes.contains(4 * n) {
                let a = refs.first { $0.cells == n && $0.volts == v }!, b = refs.first { $0.cells == 4 * n && $0.volts == v }!
                print(String(format: "observed order in space at %g V_T, %d → %d cells: %.2f", v, n, 4 * n,
                             log(a.meshDifference / b.meshDifference) / log(4)))
            }
        }
        print("")
        print("Error = max |q − q_ref| / max |q_ref|; time error = max |q − q_tight| / max |q_ref| with q_tight the reference-tolerance")
        print("run on the same mesh; wall time median of \(repeats) runs (whole solve: discretisation, integration, output).")
        print("")
        print("| cells | V_T | tolerance | error | time error | wall time median (s) | min (s) | CPU time median (s) | steps | rejected | Newton iterations |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for r in rows {
            let s = r.statistics
            print(String(format: "| %d | %g | %@ | %.2e | %.2e | %.3f | %.3f | %.3f | %d | %d | %d |", r.cells, r.volts, r.tolerance.label, r.error,
                         r.timeError, r.median, r.min, r.cpu, s.steps, s.rejectedError + s.rejectedNewton, s.newtonIterations))
            tsv.write(["charging", "\(r.cells)", "\(r.volts)", r.tolerance.label, "\(r.error)", "\(r.median)", "\(r.min)", "\(s.steps)",
                       "\(s.newtonIterations)", "\(r.timeError)", "\(r.cpu)"])
        }
        print("")
        for v in volts {
            let sweepRows = rows.filter { $0.cells == sweepCells && $0.volts == v }
            guard !sweepRows.isEmpty else { continue }
            for (kind, name, error) in [("target", "error", { (r: Row) in r.error }), ("target-time", "time error", { (r: Row) in r.timeError })] {
                if let (seconds, cpu, tol) = timeToAccuracy(sweepRows, target: target, error: error) {
                    print(String(format: "time to %@ %.0e at %d cells, %g V_T: %.3f s wall, %.3f s CPU (tolerance ≈ %.1e, log-log interpolated)",
                                 name, target, sweepCells, v, seconds, cpu, tol))
                    tsv.write([kind, "\(sweepCells)", "\(v)", "\(target)", "\(seconds)", "\(tol)", "\(cpu)"])
                } else {
                    let best = sweepRows.map(error).min()!
                    print(String(format: "time to %@ %.0e at %d cells, %g V_T: not reached (smallest %.1e)", name, target, sweepCells, v, best))
                    tsv.write([kind, "\(sweepCells)", "\(v)", "\(target)", "nan", "nan", "nan"])
                }
            }
        }
    }
}
