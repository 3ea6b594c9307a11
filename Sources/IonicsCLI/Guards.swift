import ArgumentParser
import Dispatch
import Foundation
import IonicsDevice
import Synchronization

/// The exit codes of `ionics` (documented in docs/cli.md).
enum Exit {
    /// Invalid config (every problem listed), a failed simulation, or a table with failures.
    static let failure: Int32 = 1
    /// A file problem found before running: no config file, the output exists, is a
    /// folder, cannot be made, or another run holds it.
    static let file: Int32 = 2
    /// Writing the output failed while running (no space, read-only, file too large).
    static let output: Int32 = 3
    /// Stopped by SIGINT (Ctrl-C) or SIGTERM, results saved with status "interrupted".
    static func signal(_ s: Int32) -> Int32 { 128 + s }
}

/// `--max-cells`, `--max-memory`, `--max-steps`, `--max-output`: the resource limits a
/// config is checked against before anything is allocated.
struct LimitOptions: ParsableArguments {
    @Option(help: "Most cells the mesh may have (default: 1000000).")
    var maxCells: Int?

    @Option(help: ArgumentHelp("Most memory a run may need, e.g. 8G or 512MB (default: half the physical memory, \(ResourceLimits.bytes(ResourceLimits.machine.maxMemory))).", valueName: "bytes"))
    var maxMemory: String?

    @Option(help: "Most time steps a run may take (default: 20000000).")
    var maxSteps: Int?

    @Option(help: ArgumentHelp("Largest output file, e.g. 50G (default: 20G).", valueName: "bytes"))
    var maxOutput: String?

    func validate() throws {
        if let n = maxCells, n < 1 { throw ValidationError("--max-cells must be at least 1") }
        if let n = maxSteps, n < 1 { throw ValidationError("--max-steps must be at least 1") }
        if let m = maxMemory, ResourceLimits.parseBytes(m) == nil { throw ValidationError("--max-memory: expected a size such as 8G or 512MB, got \"\(m)\"") }
        if let m = maxOutput, ResourceLimits.parseBytes(m) == nil { throw ValidationError("--max-output: expected a size such as 50G, got \"\(m)\"") }
    }

    var limits: ResourceLimits {
        var l = ResourceLimits.machine
        if let n = maxCells { l.maxCells = n }
        if let n = maxSteps { l.maxSteps = n }
        if let m = maxMemory.flatMap(ResourceLimits.parseBytes) { l.maxMemory = m }
        if let m = maxOutput.flatMap(ResourceLimits.parseBytes) { l.maxOutput = m }
        return l
    }
}

/// SIGINT and SIGTERM while a run is going: the first asks the simulation to stop after
/// its current step (it then saves what it computed, status "interrupted"); a second
/// one quits at once. Installed by the command line only; the library never handles
/// signals.
enum StopSignals {
    static let received = Atomic<Int32>(0)
    nonisolated(unsafe) static var sources: [any DispatchSourceSignal] = []

    static var signal: Int32 { received.load(ordering: .relaxed) }
    static var requested: Bool { signal != 0 }

    static func install() {
        guard sources.isEmpty else { return }
        for s in [SIGINT, SIGTERM] {
            Foundation.signal(s, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: s, queue: .global())
            source.setEventHandler {
                if received.exchange(s, ordering: .relaxed) != 0 { _exit(Exit.signal(s)) }
                let name = s == SIGINT ? "SIGINT" : "SIGTERM"
                let text = "\n\(name): finishing the current step and saving the results (send it again to quit at once)\n"
                _ = text.withCString { write(2, $0, strlen($0)) }
            }
            source.resume()
            sources.append(source)
        }
        watchParent()
    }

    /// The environment variable through which `ionics sweep` gives its pid to the runs
    /// it starts.
    static let parentVariable = "IONICS_SWEEP_PID"
    nonisolated(unsafe) static var parentWatch: (any DispatchSourceTimer)?
    /// The sweep that started this run, when `IONICS_SWEEP_PID` is genuine.
    nonisolated(unsafe) static var sweepParent: Int32?
    /// The read end of the sweep's liveness pipe (descriptor 3), when the sweep gave one.
    nonisolated(unsafe) static var sweepPipe: Int32?
    nonisolated(unsafe) static var captured = false
    /// Where `ionics sweep` puts the read end of its liveness pipe in a run it starts.
    static let pipeDescriptor: Int32 = 3

    /// Reads and removes `IONICS_SWEEP_PID` (once; `ionics run` does it first thing).
    /// The variable is genuine when descriptor 3 is a pipe — the sweep keeps the write
    /// end, so the pipe reports a hang-up once the sweep is gone, even if it died before
    /// this run started — or, without the pipe, when it names this run's parent now.
    /// A stray variable (left in a shell's environment) arms nothing.
    static func captureParent() {
        guard !captured else { return }
        captured = true
        guard let value = getenv(parentVariable) else { return }
        let text = String(cString: value)
        unsetenv(parentVariable)
        guard let parent = Int32(text), parent > 1 else { return }
        var s = stat()
        if fstat(pipeDescriptor, &s) == 0, (s.st_mode & S_IFMT) == S_IFIFO {
            _ = fcntl(pipeDescriptor, F_SETFD, FD_CLOEXEC)
            sweepPipe = pipeDescriptor
            sweepParent = parent
        } else if getppid() == parent {
            sweepParent = parent
        }
    }

    /// Whether the sweep that started this run is gone.
    static func sweepGone(_ parent: Int32) -> Bool {
        guard let fd = sweepPipe else { return getppid() != parent }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, 0) > 0 && p.revents & Int16(POLLHUP | POLLIN | POLLERR) != 0
    }

    /// A run started by `ionics sweep` stops as for SIGTERM (saving what it computed,
    /// status "interrupted") when the sweep is gone — killed, even with SIGKILL, which
    /// it cannot forward — so that no orphaned run keeps writing into the sweep's folder.
    /// Linux's PR_SET_PDEATHSIG would fire when the sweep's spawning *thread* exits,
    /// so the sweep's liveness pipe (or the parent) is polled instead (every 0.2 s; a
    /// run checks after every step).
    ///
    /// The variable is removed from the environment once read (no process this run
    /// starts inherits it), and the watch is armed only when it is genuine
    /// (``captureParent()``): a variable left in a shell's environment does not
    /// interrupt a run.
    static func watchParent() {
        captureParent()
        guard parentWatch == nil, let parent = sweepParent else { return }
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now(), repeating: .milliseconds(200))
        timer.setEventHandler {
            guard sweepGone(parent), received.compareExchange(expected: 0, desired: SIGTERM, ordering: .relaxed).exchanged else { return }
            let text = "the ionics sweep that started this run (pid \(parent)) is gone: finishing the current step and saving the results\n"
            _ = text.withCString { write(2, $0, strlen($0)) }
        }
        timer.resume()
        parentWatch = timer
    }
}

/// A message for the user and the exit code to leave with.
func fail(_ message: String, _ code: Int32) -> ExitCode {
    printError("error: " + message)
    return ExitCode(code)
}
