// `ionics-bench 2d-assembly` and `ionics-bench simd-flux`: the 2D assembly on one and two
// threads, and the interior-face kernel in its three forms, on the 2D electrolyte | host
// stack (TwoDimensionalStack.swift). The variants alternate repeat by repeat (forwards,
// then backwards) so that load from other jobs falls on all of them alike.
import Foundation
import IonicsDiscretisation
import IonicsLinearAlgebra
import IonicsPhysics

enum AssemblyBenchmarks {
    static let assemblyUsage = """
        ionics-bench 2d-assembly [--cells 100000] [--repeat 7] [--tsv FILE]
          f and its Jacobian on the 2D stack: the scalar kernel, the vectorised one on 1 and on 2 threads;
          median wall and CPU time of the repeats, speed-ups, and how far the results are apart
        """

    static let fluxUsage = """
        ionics-bench simd-flux [--cells 100000] [--repeat 7] [--passes 5] [--tsv FILE]
          the interior continuity faces alone (Gauss and Scharfetter–Gummel fluxes with their Jacobian entries):
          reference = face by face with a row search per entry, scalar = the precomputed plan with the scalar
          Bernoulli function, vectorised = the plan with SIMD8 lanes; CPU time of this thread per pass
        """

    /// Runs every variant once per repeat, alternating the order; returns each variant's samples.
    static func alternate<T>(_ variants: [T], repeats: Int, _ measure: (T) throws -> (wall: Double, cpu: Double)) rethrows
        -> [(wall: [Double], cpu: [Double])]
    {
        var samples = [(wall: [Double], cpu: [Double])](repeating: ([], []), count: variants.count)
        for r in 0..<repeats {
            let order = r % 2 == 0 ? Array(variants.indices) : Array(variants.indices.reversed())
            for k in order {
                let (w, c) = try measure(variants[k])
                samples[k].wall.append(w)
                samples[k].cpu.append(c)
            }
        }
        return samples
    }

    static func assembly(_ arguments: [String]) throws {
        let o = Options(arguments, known: ["--cells", "--repeat", "--tsv"], usage: assemblyUsage)
        let stack = TwoDimensionalStack(cells: o.int("--cells", 100_000))
        let repeats = o.int("--repeat", 7)
        let tsv = TSVWriter(path: o.string("--tsv"))
        let d = try stack.discretisation()
        let system = TwoDimensionalStack.driven(d)
        let u = TwoDimensionalStack.state(d)
        let variants: [(name: String, options: AssemblyOptions)] = [
            ("scalar", AssemblyOptions(kernel: .scalar)),
            ("vectorised, 1 thread", AssemblyOptions(kernel: .vectorised, threads: 1)),
            ("vectorised, 2 threads", AssemblyOptions(kernel: .vectorised, threads: 2)),
        ]
        var f = [Double](repeating: 0, count: d.size)
        var jacobian: SparseMatrix? = SparseMatrix(pattern: d.sparsity)
        var results: [(f: [Double], j: SparseMatrix)] = []
        for v in variants {
            try system.evaluate(u, time: 0.1, f: &f, jacobian: &jacobian, options: v.options)
            results.append((f, jacobian!))
        }
        let samples = try alternate(variants, repeats: repeats) { v in
            let (_, wall, cpu) = try timed { try system.evaluate(u, time: 0.1, f: &f, jacobian: &jacobian, options: v.options) }
            return (wall, cpu)
        }
        let wall = samples.map { summary($0.wall) }
        print("Assembly of f and the Jacobian, 2D stack \(2 * stack.rows) × \(stack.columns) = \(d.mesh.cellCount) cells, \(d.size) unknowns, "
              + "\(ProcessInfo.processInfo.activeProcessorCount) cores (median and minimum wall time of \(repeats) repeats, CPU time of the process)")
        print("")
        print("| kernel | wall median (ms) | wall min (ms) | CPU median (ms) | speed-up vs scalar (median) | speed-up vs 1 thread (median, min) |")
        print("|---|---|---|---|---|---|")
        for (k, v) in variants.enumerated() {
            let vsOne = k == 2 ? String(format: "%.2f, %.2f", wall[1].median / wall[2].median, wall[1].min / wall[2].min) : "–"
            print(String(format: "| %@ | %.1f | %.1f | %.1f | %.2f | %@ |", v.name, wall[k].median * 1e3, wall[k].min * 1e3,
                         summary(samples[k].cpu).median * 1e3, wall[0].median / wall[k].median, vsOne))
            tsv.write(["2d-assembly", v.name, "\(wall[k].median)", "\(wall[k].min)", "\(summary(samples[k].cpu).median)"])
        }
        print("")
        print(String(format: "Agreement (row-wise, relative to the row's terms): vectorised vs scalar %.1e; 2 threads vs 1: %@",
                     rowwiseDifference(results[1], results[0], state: u),
                     results[2].f == results[1].f && results[2].j.values == results[1].j.values ? "identical" : "differ"))
    }

    static func flux(_ arguments: [String]) throws {
        let o = Options(arguments, known: ["--cells", "--repeat", "--passes", "--tsv"], usage: fluxUsage)
        let stack = TwoDimensionalStack(cells: o.int("--cells", 100_000))
        let repeats = o.int("--repeat", 7)
        let passes = o.int("--passes", 5)
        let tsv = TSVWriter(path: o.string("--tsv"))
        let d = try stack.discretisation()
        let u = TwoDimensionalStack.state(d)
        let kernels = PNPDiscretisation.InteriorFluxKernel.allCases
        var f = [Double](repeating: 0, count: d.size)
        var jacobian = SparseMatrix(pattern: d.sparsity)
        var results: [(f: [Double], j: SparseMatrix)] = []
        for k in kernels {
            for i in f.indices { f[i] = 0 }
            jacobian.setZero()
            try d.addInteriorFluxes(u, kernel: k, f: &f, jacobian: &jacobian)
            results.append((f, jacobian))
        }
        let samples = try alternate(kernels, repeats: repeats) { k in
            let c0 = threadCPUTime()
            let w = try wallTime { try d.addInteriorFluxes(u, kernel: k, repeats: passes, f: &f, jacobian: &jacobian) }
            return (w / Double(passes), (threadCPUTime() - c0) / Double(passes))
        }
        let cpu = samples.map { summary($0.cpu) }
        print("Interior continuity faces of the 2D stack, \(d.mesh.cellCount) cells (CPU time of the thread per pass, median and minimum of \(repeats) repeats of \(passes) passes)")
        print("")
        print("| kernel | CPU median (ms) | CPU min (ms) | wall median (ms) | ns per face | reference / kernel | scalar / kernel |")
        print("|---|---|---|---|---|---|---|")
        let faces = Double(d.mesh.faceCount)
        for (k, kernel) in kernels.enumerated() {
            print(String(format: "| %@ | %.2f | %.2f | %.2f | %.0f | %.2f | %.2f |", kernel.rawValue, cpu[k].median * 1e3, cpu[k].min * 1e3,
                         summary(samples[k].wall).median * 1e3, cpu[k].median / faces * 1e9, cpu[0].median / cpu[k].median,
                         cpu[1].median / cpu[k].median))
            tsv.write(["simd-flux", kernel.rawValue, "\(cpu[k].median)", "\(cpu[k].min)"])
        }
        print("")
        print(String(format: "Agreement (row-wise, relative to the row's terms): scalar vs reference %.1e, vectorised vs reference %.1e",
                     rowwiseDifference(results[1], results[0], state: u), rowwiseDifference(results[2], results[0], state: u)))
        let (scalarB, lanesB) = bernoulliAlone(repeats: repeats)
        print("")
        print(String(format: "The Bernoulli function alone, B(±x) and B′(±x) of 2²⁰ arguments uniform in [−10, 10] (CPU median): "
                     + "scalar %.1f ns, SIMD8 lanes %.1f ns per argument (%.2f×)", scalarB * 1e9, lanesB * 1e9, scalarB / lanesB))
        tsv.write(["simd-flux", "bernoulli", "\(scalarB)", "\(lanesB)"])
    }

    /// CPU time per argument of B(x), B(−x), B′(x), B′(−x): scalar (``Bernoulli/pair(_:)``
    /// and two ``Bernoulli/derivative(_:)``) and by ``Bernoulli/lanes(_:)``.
    static func bernoulliAlone(repeats: Int) -> (scalar: Double, lanes: Double) {
        let n = 1 << 20
        var rng = BenchRandom(seed: 3)
        let x = (0..<n).map { _ in 10 * rng.uniform() }
        var sink = 0.0
        let samples = alternate([false, true], repeats: repeats) { simd in
            let c0 = threadCPUTime()
            x.withUnsafeBufferPointer { p in
                if simd {
                    var s = SIMD8<Double>()
                    for i in stride(from: 0, to: n, by: 8) {
                        let b = Bernoulli.lanes(UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: SIMD8<Double>.self))
                        s += b.plus + b.minus + b.dPlus + b.dMinus
                    }
                    sink += s.sum()
                } else {
                    var s = 0.0
                    for v in p {
                        let (bp, bm) = Bernoulli.pair(v)
                        s += bp + bm + Bernoulli.derivative(v) + Bernoulli.derivative(-v)
                    }
                    sink += s
                }
            }
            return (0, (threadCPUTime() - c0) / Double(n))
        }
        if sink == 0.5 { print("") }  // keeps the sums alive
        return (summary(samples[0].cpu).median, summary(samples[1].cpu).median)
    }
}
