import Foundation
import IonicsBatch
import IonicsConfig
import IonicsDevice
import Synchronization

/// The shared state of the threads checking the points.
final class CheckBox: Sendable {
    let state = Mutex(Sweep.CheckState())
}

extension Sweep {
    /// What checking the points found: the problems by point and each valid point's
    /// config hash.
    struct CheckState {
        var next = 0
        var done = 0
        var invalid: [(Int, String)] = []
        var hashes: [Int: String] = [:]
        var warned = false
        var lastReport = Date()
    }

    /// Checks the config of every point in `points` (overrides applied, device built
    /// within the limits) before anything runs, on `jobs` threads, with progress on
    /// stderr for a long check; every problem is printed with its key path. Returns
    /// FNV-1a 64 of each point's effective config text (what its run stores as the
    /// attribute `config`), by point index.
    func checkPoints(_ points: [SweepPoint], of plan: SweepPlan, basePath: String, baseText: String) throws -> [Int: String] {
        let start = Date()
        let box = CheckBox()
        let materials = self.materials, limits = limitOptions.limits
        let work: @Sendable () -> Void = {
            while true {
                let k: Int? = box.state.withLock { s in
                    guard s.next < points.count else { return nil }
                    s.next += 1
                    return s.next - 1
                }
                guard let k else { return }
                let p = points[k]
                var problem: String?
                var hash: String?
                do {
                    let (device, _) = try DeviceLoader.build(text: baseText, path: basePath, overrides: p.overrides, materialFolders: materials,
                                                        limits: limits) { message in
                        let first = box.state.withLock { s in
                            defer { s.warned = true }
                            return !s.warned
                        }
                        if first { printError("warning: material file skipped: \(message)") }
                    }
                    hash = FNV1a64.hex(device.config.sourceText)
                } catch let e as ConfigError {
                    problem = e.problems.map { "    " + $0.description + ($0.position.map { " (\($0))" } ?? "") }.joined(separator: "\n")
                } catch {
                    problem = "    \(error)"
                }
                let progress: String? = box.state.withLock { s in
                    s.done += 1
                    if let problem { s.invalid.append((k, problem)) }
                    if let hash { s.hashes[p.index] = hash }
                    let now = Date()
                    guard now.timeIntervalSince(s.lastReport) >= 2 else { return nil }
                    s.lastReport = now
                    return "sweep: checking the configs: \(s.done) of \(points.count)"
                }
                if let progress { printError(progress) }
            }
        }
        let threads = max(1, min(jobs, points.count))
        let group = DispatchGroup()
        for _ in 0..<threads {
            group.enter()
            Thread {
                work()
                group.leave()
            }.start()
        }
        group.wait()
        let result = box.state.withLock { $0 }
        if !result.invalid.isEmpty {
            let sorted = result.invalid.sorted { $0.0 < $1.0 }
            let shown = sorted.prefix(20).map { "point \(plan.label(points[$0.0])):\n" + $0.1 }.joined(separator: "\n")
            throw fail("\(sweep): \(sorted.count) of \(points.count) points have an invalid config (nothing ran):\n" + shown
                       + (sorted.count > 20 ? "\n  … and \(sorted.count - 20) more" : ""), Exit.failure)
        }
        printError(String(format: "sweep: %d points, every config valid (checked in %.1f s)", points.count, Date().timeIntervalSince(start)))
        return result.hashes
    }
}
