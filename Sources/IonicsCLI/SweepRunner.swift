import Dispatch
import Foundation
import IonicsBatch
import Synchronization

/// Runs the points of a sweep, `jobs` at a time, each in a child `ionics run` (so that
/// a point that crashes is one failed point), keeping the manifest up to date after
/// every start and finish and printing a line with an ETA per finished point.
///
/// Children are spawned in their own process group: a Ctrl-C at the terminal reaches
/// the sweep only, which forwards it once to every running child (a child that gets a
/// signal twice quits without saving). Each child learns the sweep's pid
/// (`IONICS_SWEEP_PID`) and stops by itself if the sweep dies, even by SIGKILL.
final class SweepRunner: Sendable {
    struct Job: Sendable {
        let point: SweepPoint
        let label: String
        /// Whether the run file seen when the sweep was planned (failed, interrupted,
        /// stale, or any with --force) is to be replaced.
        let replace: Bool
        /// The identity of the point's file when the sweep was planned (nil: none).
        let planned: PointFile.Identity?
    }

    struct State {
        var queue: [Job]
        var manifest: SweepManifest
        var running: [Int: pid_t] = [:]
        var finished = 0
        var counts: [SweepManifest.Status: Int] = [:]
        var writeError: String?
        /// Where each point index sits in `manifest.points`.
        var positions: [Int: Int] = [:]
        var lastWrite = Date.distantPast
    }

    let executable: String
    let basePath: String
    let folder: String
    let manifestPath: String
    let extraArguments: [String]
    let total: Int
    let state: Mutex<State>
    let started = Date()
    /// The first stop signal received (0: none).
    let stopSignal = Atomic<Int32>(0)
    /// The read end of the liveness pipe, given to every child as descriptor 3; the
    /// write end stays open in this process only (close-on-exec), so the children see
    /// a hang-up when the sweep is gone, however it ends (-1: no pipe).
    let livenessRead: Int32

    init(jobs: [Job], manifest: SweepManifest, manifestPath: String, basePath: String, folder: String, extraArguments: [String]) {
        executable = IsolatedPreset.executable
        self.basePath = basePath
        self.folder = folder
        self.manifestPath = manifestPath
        self.extraArguments = extraArguments
        total = jobs.count
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {  // before any child is spawned: the originals leak into none
            // Kept above the descriptors a child gets (0–3); the write end is never closed.
            livenessRead = fcntl(fds[0], F_DUPFD_CLOEXEC, 10)
            _ = fcntl(fds[1], F_DUPFD_CLOEXEC, 10)
            close(fds[0])
            close(fds[1])
        } else {
            livenessRead = -1
        }
        var initial = State(queue: jobs.reversed(), manifest: manifest)
        for (i, p) in manifest.points.enumerated() { initial.positions[p.index] = i }
        state = Mutex(initial)
    }

    /// Runs every job on `jobs` threads and returns the final manifest.
    func run(jobs: Int) -> SweepManifest {
        installSignals()
        let group = DispatchGroup()
        for _ in 0..<max(1, min(jobs, total)) {
            group.enter()
            let thread = Thread { [self] in
                while stopSignal.load(ordering: .relaxed) == 0, let job = next() { runPoint(job) }
                group.leave()
            }
            thread.start()
        }
        group.wait()
        return state.withLock { $0.manifest }
    }

    func next() -> Job? { state.withLock { $0.queue.popLast() } }

    /// Updates the record of point `index` and writes the manifest (atomically). A
    /// manifest of more than 1000 points is written at most every 2 s (and at the end):
    /// rewriting megabytes per point would cost more than the points.
    func update(_ index: Int, _ change: (inout SweepManifest.PointRecord) -> Void) {
        state.withLock { s in
            guard let i = s.positions[index] else { return }
            change(&s.manifest.points[i])
            let now = Date()
            guard s.manifest.points.count <= 1000 || now.timeIntervalSince(s.lastWrite) >= 2 else { return }
            s.lastWrite = now
            do { try s.manifest.write(to: manifestPath) } catch { s.writeError = "\(error)" }
        }
    }

    func runPoint(_ job: Job) {
        let file = (folder as NSString).appendingPathComponent(job.point.fileName)
        let log = (folder as NSString).appendingPathComponent("point-\(job.point.hash).log")
        Self.removeStaleLeftovers(file)
        let before = PointFile.identity(file)
        let start = Date()
        if before != job.planned, case .completed = PointFile.state(file) {
            // Another process completed the point since the plan: its file is kept.
            update(job.point.index) { $0.status = .completed; $0.failure = nil }
            report(job, status: .completed, failure: nil, elapsed: 0)
            return
        }
        update(job.point.index) { $0.status = .running; $0.failure = nil; $0.runs += 1 }
        var arguments = ["run", basePath, "-o", file] + job.point.overrides.flatMap { ["--set", $0] } + extraArguments
        // Only the file this sweep decided to replace is replaced, never one written since.
        if job.replace && before != nil && before == job.planned { arguments.append("--force") }
        let logStart = PointFile.identity(log)?.size ?? 0
        let outcome = spawnAndWait(arguments, log: log, index: job.point.index)
        let elapsed = Date().timeIntervalSince(start)
        let after = PointFile.identity(file)
        let fresh = after != nil && after != before
        let (status, failure) = classify(file: file, fresh: fresh, log: log, logStart: logStart, outcome: outcome)
        update(job.point.index) { r in
            r.status = status
            r.failure = failure
            r.elapsed = elapsed
        }
        report(job, status: status, failure: failure, elapsed: elapsed)
    }

    /// Removes the temporaries (`.partial`) a killed run left beside `file` — only while
    /// holding the point's lock `<file>.lock`, as `ionics run` takes it (OutputTarget):
    /// when another process holds it, they are its running run's and stay. The lock file
    /// is removed before it is released, as its owners do.
    static func removeStaleLeftovers(_ file: String) {
        guard !PointFile.leftovers(file).isEmpty else { return }
        let lockPath = file + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return }
        // A lock file replaced between our open and flock is not the lock its owners see.
        var a = stat(), b = stat()
        guard fstat(fd, &a) == 0, stat(lockPath, &b) == 0, a.st_ino == b.st_ino, a.st_dev == b.st_dev else { return }
        for leftover in PointFile.leftovers(file) { unlink(leftover) }
        unlink(lockPath)
    }

    /// What happened to a child: its exit status, the signal that killed it, or why it
    /// could not start.
    enum Outcome { case exited(Int32), signalled(Int32), notStarted(String) }

    /// Starts `ionics ARGUMENTS` with stdout discarded and stderr in `log`, in its own
    /// process group, and waits for it. The log is appended to: two processes may run
    /// the same point (a resume beside a running shard), and neither erases the other's.
    func spawnAndWait(_ arguments: [String], log: String, index: Int) -> Outcome {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        if livenessRead >= 0 { posix_spawn_file_actions_adddup2(&actions, livenessRead, StopSignals.pipeDescriptor) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var environment = ProcessInfo.processInfo.environment
        environment[StopSignals.parentVariable] = String(getpid())
        if environment["OPENBLAS_NUM_THREADS"] == nil { environment["OPENBLAS_NUM_THREADS"] = "1" }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        // Registered under the lock so that a signal arriving now is forwarded to it.
        let code: Int32 = state.withLock { s in
            let c = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            if c == 0 { s.running[index] = pid }
            return c
        }
        if code != 0 { return .notStarted("cannot start \(executable): \(String(cString: strerror(code)))") }
        let stop = stopSignal.load(ordering: .relaxed)
        if stop != 0 { kill(pid, stop) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        state.withLock { _ = $0.running.removeValue(forKey: index) }
        // WIFEXITED / WTERMSIG are macros: decode the status word by hand.
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }

    /// The point's status, read from its run file when this run wrote one (`fresh`: the
    /// file's `status` is what the run itself wrote; a file with the identity it had
    /// before the run is an earlier run's and says nothing about this one), and why it
    /// did not complete. Only the log written from `logStart` on is this run's.
    func classify(file: String, fresh: Bool, log: String, logStart: Int64, outcome: Outcome) -> (SweepManifest.Status, String?) {
        let stderr = Self.logText(log, from: logStart)
        switch fresh ? PointFile.state(file) : .missing {
        case .completed: return (.completed, nil)
        case .ended(let status, let failure):
            if status == "interrupted" { return (.interrupted, "interrupted by a signal; the results so far are in the file") }
            return (.failed, failure ?? IsolatedPreset.errorText(stderr) ?? "the run failed")
        case .missing, .unreadable:
            if stopSignal.load(ordering: .relaxed) != 0 { return (.interrupted, "interrupted before its file was written") }
            switch outcome {
            case .notStarted(let why): return (.failed, why)
            case .signalled(let s): return (.failed, "crashed (signal \(s))" + (stderr.isEmpty ? "" : ": " + IsolatedPreset.lastLines(stderr)))
            case .exited(let code):
                let none = FileManager.default.fileExists(atPath: file) ? "no new run file (the one there is from an earlier run)" : "no run file"
                return (.failed, IsolatedPreset.errorText(stderr) ?? "exit status \(code) and \(none)")
            }
        }
    }

    /// The text of `log` from byte `offset` on.
    static func logText(_ log: String, from offset: Int64) -> String {
        guard let handle = FileHandle(forReadingAtPath: log) else { return "" }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: UInt64(max(0, offset)))) != nil, let data = try? handle.readToEnd() else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// One line on stderr per finished point: its status, time and the ETA of the rest.
    func report(_ job: Job, status: SweepManifest.Status, failure: String?, elapsed: Double) {
        let (done, left) = state.withLock { s -> (Int, Int) in
            s.finished += 1
            s.counts[status, default: 0] += 1
            return (s.finished, total - s.finished)
        }
        let wall = Date().timeIntervalSince(started)
        let stopping = stopSignal.load(ordering: .relaxed) != 0
        let eta = left == 0 || stopping ? "" : ", ETA " + Self.duration(wall / Double(done) * Double(left))
        var line = String(format: "sweep: [%d/%d] %@ %@ in %.1f s%@", done, total, job.label, status.rawValue.uppercased(), elapsed, eta)
        if let failure, status == .failed { line += "\n         " + (failure.split(separator: "\n").first.map(String.init) ?? failure) }
        printError(line)
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        if s < 90 { return "\(s) s" }
        if s < 5400 { return "\(s / 60) min \(s % 60) s" }
        return "\(s / 3600) h \(s / 60 % 60) min"
    }

    nonisolated(unsafe) static var signalSources: [any DispatchSourceSignal] = []

    /// SIGINT and SIGTERM: no new point starts and the signal goes to every running
    /// child, which saves its results with status "interrupted"; the manifest marks them
    /// interrupted and the rest stay pending. A second signal is forwarded too (the
    /// children then quit at once).
    func installSignals() {
        for s in [SIGINT, SIGTERM] {
            signal(s, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: s, queue: .global())
            source.setEventHandler { [self] in
                let first = stopSignal.compareExchange(expected: 0, desired: s, ordering: .relaxed).exchanged
                let pids = state.withLock { Array($0.running.values) }
                for pid in pids { kill(pid, s) }
                let name = s == SIGINT ? "SIGINT" : "SIGTERM"
                printError(first ? "\n\(name): no new point starts; \(pids.count) running point(s) save their results as interrupted (send it again to stop them at once)"
                           : "\n\(name) again: the running points stop without saving")
            }
            source.resume()
            Self.signalSources.append(source)
        }
    }
}
