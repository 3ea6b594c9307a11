internal import CHDF5
import Foundation

/// An HDF5 file.
///
/// Files made by ``create(at:overwrite:)`` are written under a temporary name
/// (`<path>.partial`) and renamed into place by ``commit()``, so a reader never sees
/// a half-written file at `path`; if the process dies first, what was flushed stays
/// readable in the `.partial` file. Existing files are never replaced unless
/// `overwrite` is true.
///
/// All calls into the (serial) HDF5 library are serialised by one process-wide lock,
/// so files may be written from several threads.
public final class HDF5File: @unchecked Sendable {
    public enum Mode: Sendable { case readOnly, readWrite }

    /// The path the file has (or will have, once committed).
    public let path: String
    /// Where the bytes are being written: `path + ".partial"` for new files.
    public let workingPath: String
    var id: hid_t
    public private(set) var isOpen: Bool
    /// Set when closing the file failed (e.g. the disk filled): HDF5 may have freed
    /// the objects' shared state, so they must not be closed again one by one.
    var closeFailed = false
    let isNew: Bool
    let overwrite: Bool

    private init(path: String, workingPath: String, id: hid_t, isNew: Bool, overwrite: Bool) {
        self.path = path
        self.workingPath = workingPath
        self.id = id
        self.isNew = isNew
        self.overwrite = overwrite
        isOpen = true
    }

    /// File access properties: close every open object when the file closes, so that
    /// commit can rename a fully closed file.
    private static func accessProperties(_ path: String) throws(HDF5Error) -> hid_t {
        let fapl = try HDF5Library.check(H5Pcreate(ionics_h5p_file_access()), "H5Pcreate", path)
        try HDF5Library.check(status: H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "H5Pset_fclose_degree", path)
        return fapl
    }

    /// Creates a new file that will appear at `path` when committed, written meanwhile
    /// at `workingPath` (default `path + ".partial"`).
    public static func create(at path: String, overwrite: Bool = false, workingPath: String? = nil) throws(HDF5Error) -> HDF5File {
        try HDF5Library.sync { () throws(HDF5Error) -> HDF5File in
            if !overwrite && FileManager.default.fileExists(atPath: path) {
                throw HDF5Error(
                    kind: .fileExists, function: "create", path: path,
                    message: "file exists; refusing to overwrite it", stack: [])
            }
            let working = workingPath ?? path + ".partial"
            let fapl = try accessProperties(path)
            defer { H5Pclose(fapl) }
            let id = try HDF5Library.check(
                H5Fcreate(working, ionics_h5f_acc_trunc(), ionics_h5p_default(), fapl), "H5Fcreate", working)
            return HDF5File(path: path, workingPath: working, id: id, isNew: true, overwrite: overwrite)
        }
    }

    /// Opens an existing file.
    public static func open(at path: String, mode: Mode = .readOnly) throws(HDF5Error) -> HDF5File {
        try HDF5Library.sync { () throws(HDF5Error) -> HDF5File in
            guard FileManager.default.fileExists(atPath: path) else {
                throw HDF5Error(kind: .fileNotFound, function: "open", path: path, message: "no such file", stack: [])
            }
            let isHDF5 = H5Fis_hdf5(path)
            if isHDF5 == 0 {
                throw HDF5Error(
                    kind: .notHDF5, function: "H5Fis_hdf5", path: path, message: "not an HDF5 file",
                    stack: HDF5Library.errorStack())
            }
            if isHDF5 < 0 { throw HDF5Library.failure("H5Fis_hdf5", path, "cannot read the file") }
            let fapl = try accessProperties(path)
            defer { H5Pclose(fapl) }
            let flags = mode == .readOnly ? ionics_h5f_acc_rdonly() : ionics_h5f_acc_rdwr()
            let id = try HDF5Library.check(H5Fopen(path, flags, fapl), "H5Fopen", path)
            return HDF5File(path: path, workingPath: path, id: id, isNew: false, overwrite: false)
        }
    }

    /// The root group `/`.
    public func root() throws(HDF5Error) -> HDF5Group {
        try HDF5Library.sync { () throws(HDF5Error) -> HDF5Group in
            try ensureOpen("root")
            let gid = try HDF5Library.check(H5Gopen2(id, "/", ionics_h5p_default()), "H5Gopen2", path + ":/")
            return HDF5Group(file: self, id: gid, path: "/")
        }
    }

    func ensureOpen(_ operation: String) throws(HDF5Error) {
        if !isOpen {
            throw HDF5Error(kind: .closed, function: operation, path: path, message: "file is closed", stack: [])
        }
    }

    /// Writes buffered data to disk; the file stays open.
    public func flush() throws(HDF5Error) {
        try HDF5Library.sync { () throws(HDF5Error) in
            try ensureOpen("flush")
            try HDF5Library.check(status: H5Fflush(id, H5F_SCOPE_GLOBAL), "H5Fflush", workingPath)
        }
    }

    /// Closes the file and, for a new file, renames it from its working name to
    /// `path`. Every group and dataset of the file is closed with it.
    public func commit() throws(HDF5Error) {
        try HDF5Library.sync { () throws(HDF5Error) in
            try ensureOpen("commit")
            isOpen = false
            if H5Fclose(id) < 0 {
                closeFailed = true
                throw HDF5Library.failure("H5Fclose", workingPath)
            }
            guard isNew else { return }
            if !overwrite && FileManager.default.fileExists(atPath: path) {
                throw HDF5Error(
                    kind: .fileExists, function: "commit", path: path,
                    message: "a file appeared at the destination while writing; the data stays in \(workingPath)",
                    stack: [])
            }
            if rename(workingPath, path) != 0 {
                throw HDF5Error(
                    kind: .callFailed, function: "rename", path: path,
                    message: "cannot rename \(workingPath): \(String(cString: strerror(errno)))", stack: [])
            }
        }
    }

    /// Closes without committing: a new file stays under its working name.
    public func close() {
        try? HDF5Library.sync {
            guard isOpen else { return }
            isOpen = false
            if H5Fclose(id) < 0 { closeFailed = true }
        }
    }

    deinit { close() }
}
