import ArgumentParser
import Foundation
import IonicsBatch
import IonicsConfig
import IonicsDevice

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a parameter sweep: every point of a sweep file in its own child `ionics run`, one HDF5 file per point.",
        discussion: """
            The sweep file names a base config and axes over config key paths (docs/batch.md). Every point's \
            config (this shard's with --shard) is checked before anything runs. Each point writes DIR/point-<hash>.h5, the hash being that of \
            its overrides; DIR/manifest.json (manifest-shard-I-of-N.json with --shard) records every point's \
            status. --resume skips the points whose file is complete and runs the others again. Collect the \
            results with `ionics collect DIR -o TABLE`.
            """)

    @Argument(help: "The sweep file (JSON).")
    var sweep: String

    @Option(name: .shortAndLong, help: "Output folder (one HDF5 file per point, the manifest, one log per point).")
    var output: String

    @Option(name: .shortAndLong, help: "Points run at the same time (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Run only shard I of N (0 ≤ I < N): the points whose index is I mod N, e.g. --shard 0/4.")
    var shard: String?

    @Flag(help: "Complete the sweep in OUTPUT: skip the points whose file is complete, run the others again.")
    var resume = false

    @Flag(help: "Run every point again, replacing its file, and replace the manifest of another sweep in OUTPUT.")
    var force = false

    @Flag(help: "Check the sweep and every point's config, list the points, run nothing.")
    var dryRun = false

    @Option(help: "Extra folder of material files (searched first; passed on to every run).")
    var materials: [String] = []

    @OptionGroup var limitOptions: LimitOptions

    func validate() throws {
        if jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        if resume && force { throw ValidationError("--resume and --force exclude each other: --resume keeps complete points, --force runs them again") }
        if let shard, Self.parseShard(shard) == nil {
            throw ValidationError("--shard: expected I/N with 0 ≤ I < N, e.g. 0/4; got \"\(shard)\"")
        }
    }

    static func parseShard(_ text: String) -> SweepManifest.Shard? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(i) else { return nil }
        return SweepManifest.Shard(index: i, count: n)
    }

    /// The arguments passed on to every point's run.
    var runArguments: [String] {
        var a = materials.flatMap { ["--materials", $0] }
        if let n = limitOptions.maxCells { a += ["--max-cells", "\(n)"] }
        if let m = limitOptions.maxMemory { a += ["--max-memory", m] }
        if let n = limitOptions.maxSteps { a += ["--max-steps", "\(n)"] }
        if let m = limitOptions.maxOutput { a += ["--max-output", m] }
        return a
    }

    func run() throws {
        let (plan, basePath, baseText) = try loadPlan()
        let shard = self.shard.flatMap(Self.parseShard)
        let mine = shard.map { plan.shard($0.index, of: $0.count) } ?? plan.points
        // Only this shard's points are checked: every task of an array checks its own.
        let configHashes = try checkPoints(mine, of: plan, basePath: basePath, baseText: baseText)
        if dryRun {
            for p in mine { print("\(p.fileName)  \(plan.label(p))") }
            printError("sweep: \(mine.count) points valid\(shard.map { " (shard \($0.index)/\($0.count) of \(plan.points.count))" } ?? "") (dry run: nothing ran)")
            return
        }
        let folder = SweepFolder(path: output, shard: shard)
        let lock = try folder.prepare(plan: plan, points: mine, resume: resume, force: force)
        defer { lock.release() }
        var manifest = SweepManifest(plan: plan, sweepFile: sweep, shard: shard, points: mine)
        let previous = folder.previousRuns(sweepID: plan.sweepID)
        var jobs: [SweepRunner.Job] = []
        var complete = 0, stale = 0
        // Runs still writing points (of a killed sweep process) end before their files are judged or replaced.
        if resume || force { folder.waitForRunningPoints(mine) }
        for (k, p) in mine.enumerated() {
            manifest.points[k].runs = previous[p.index] ?? 0
            manifest.points[k].configHash = configHashes[p.index]
            let file = folder.file(p)
            if resume, case .completed = PointFile.state(file) {
                // A complete file computed from another config (the base changed) is stale: run again.
                if PointFile.configHash(file) == configHashes[p.index] {
                    manifest.points[k].status = .completed
                    complete += 1
                    continue
                }
                stale += 1
            }
            jobs.append(SweepRunner.Job(point: p, label: plan.label(p), replace: force || resume, planned: PointFile.identity(file)))
        }
        if stale > 0 { printError("sweep: \(stale) complete point file(s) were computed from another config (the base config changed): they run again") }
        do { try manifest.write(to: folder.manifestPath) } catch { throw fail(error.description, Exit.file) }
        printError("sweep: \(mine.count) point\(mine.count == 1 ? "" : "s")\(shard.map { " (shard \($0.index)/\($0.count) of \(plan.points.count))" } ?? ""): "
                   + "\(jobs.count) to run\(complete > 0 ? ", \(complete) complete (skipped)" : "") on \(max(1, min(self.jobs, jobs.count))) job(s) → \(output)")
        let runner = SweepRunner(jobs: jobs, manifest: manifest, manifestPath: folder.manifestPath, basePath: basePath, folder: output,
                                 extraArguments: runArguments)
        manifest = runner.run(jobs: self.jobs)
        let signal = runner.stopSignal.load(ordering: .relaxed)
        if signal != 0 {
            for i in manifest.points.indices where manifest.points[i].status == .running { manifest.points[i].status = .interrupted }
        }
        do { try manifest.write(to: folder.manifestPath) } catch { throw fail(error.description, Exit.output) }
        if let e = runner.state.withLock({ $0.writeError }) { printError("warning: the manifest could not always be written: \(e)") }
        let counts = SweepManifest.Status.allCases.compactMap { s -> String? in
            let n = manifest.points.filter { $0.status == s }.count
            return n == 0 ? nil : "\(n) \(s.rawValue)"
        }
        print("sweep: \(manifest.points.count) points: \(counts.joined(separator: ", ")); manifest \(folder.manifestPath)")
        if signal != 0 {
            printError("sweep: interrupted; run the same command with --resume to complete it")
            throw ExitCode(Exit.signal(signal))
        }
        let failed = manifest.points.filter { $0.status == .failed }
        if !failed.isEmpty {
            printError("sweep: \(failed.count) point(s) failed; their logs are \(output)/point-<hash>.log (the reasons are in the manifest)")
            throw ExitCode(Exit.failure)
        }
        printError("sweep: collect the results with: ionics collect \(output) -o \((output as NSString).appendingPathComponent("table"))")
    }

    /// Reads the sweep and its base config and enumerates the points (their configs are
    /// checked by `checkPoints`); returns the plan, the base config's path and text.
    func loadPlan() throws -> (SweepPlan, String, String) {
        let text = try readText(sweep)
        let spec: SweepSpec
        do {
            spec = try SweepSpec.parse(text, source: sweep)
        } catch let e as ConfigError {
            throw fail(e.description, Exit.failure)
        }
        let basePath = spec.base.hasPrefix("/") ? spec.base
            : ((sweep as NSString).deletingLastPathComponent as NSString).appendingPathComponent(spec.base)
        guard let baseData = FileManager.default.contents(atPath: basePath), let baseText = String(data: baseData, encoding: .utf8) else {
            let why = FileManager.default.fileExists(atPath: basePath) ? "cannot read it as UTF-8 text" : "no such file"
            throw fail("\(sweep): base: \(basePath): \(why)", Exit.file)
        }
        let plan = SweepPlan(spec: spec, baseText: baseText)
        if let (a, b) = plan.duplicateHashes.first {
            throw fail("\(sweep): points \(plan.label(a)) and \(plan.label(b)) have the same hash \(a.hash)", Exit.failure)
        }
        return (plan, basePath, baseText)
    }
}
