internal import CHDF5
import Foundation

/// Process-wide state of the (serial, not thread-safe) HDF5 library: one lock that
/// every call into the C library holds, and automatic error printing switched off so
/// that the library never prints; errors are collected from the stack instead.
enum HDF5Library {
    private static let lock = NSRecursiveLock()
    private static let initialised: Bool = {
        // No clean-up at process exit: after a failed close (a full disk) HDF5's own
        // exit handler dereferences what the failure freed and crashes. Every file is
        // closed explicitly (commit, close or deinit), so nothing is lost by skipping it.
        _ = H5dont_atexit()
        _ = H5open()
        _ = H5Eset_auto2(ionics_h5e_default(), nil, nil)
        return true
    }()

    /// Runs `body` holding the HDF5 lock.
    static func sync<T>(_ body: () throws(HDF5Error) -> T) throws(HDF5Error) -> T {
        lock.lock()
        defer { lock.unlock() }
        _ = initialised
        return try body()
    }

    /// Current HDF5 error stack, innermost first, then cleared.
    static func errorStack() -> [String] {
        final class Box { var lines: [String] = [] }
        let box = Box()
        let walker: H5E_walk2_t = { _, record, data in
            guard let record, let data else { return 0 }
            let box = Unmanaged<Box>.fromOpaque(data).takeUnretainedValue()
            let r = record.pointee
            let function = r.func_name.map { String(cString: $0) } ?? "?"
            let desc = r.desc.map { String(cString: $0) } ?? ""
            var major = [CChar](repeating: 0, count: 128)
            var minor = [CChar](repeating: 0, count: 128)
            _ = H5Eget_msg(r.maj_num, nil, &major, 128)
            _ = H5Eget_msg(r.min_num, nil, &minor, 128)
            let majorText = String(decoding: major.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let minorText = String(decoding: minor.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            box.lines.append("\(function): \(desc) [\(majorText) / \(minorText)]")
            return 0
        }
        _ = H5Ewalk2(ionics_h5e_default(), H5E_WALK_DOWNWARD, walker, Unmanaged.passUnretained(box).toOpaque())
        _ = H5Eclear2(ionics_h5e_default())
        return box.lines
    }

    static func failure(_ function: String, _ path: String, _ message: String = "") -> HDF5Error {
        HDF5Error(kind: .callFailed, function: function, path: path, message: message, stack: errorStack())
    }

    /// Throws if an id-returning call failed (negative id).
    @discardableResult
    static func check(_ id: hid_t, _ function: String, _ path: @autoclosure () -> String) throws(HDF5Error) -> hid_t {
        if id < 0 { throw failure(function, path()) }
        return id
    }

    /// Throws if a status-returning call failed (negative status).
    static func check(status: herr_t, _ function: String, _ path: @autoclosure () -> String) throws(HDF5Error) {
        if status < 0 { throw failure(function, path()) }
    }
}
