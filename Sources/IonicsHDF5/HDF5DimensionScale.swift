internal import CHDF5
import Foundation

/// Dimension scales (HDF5's high-level H5DS API): a one-dimensional dataset marked as
/// the coordinate of a dimension, and attached to the axes of the datasets that run
/// along it. netCDF-4 readers (netCDF-C, h5netcdf, xarray) name a dimension after the
/// scale dataset and use it as the coordinate variable; they look a dimension up in the
/// dataset's own group and its parents, so a scale should live in the group of the
/// datasets it is attached to (or above it).
extension HDF5Dataset {
    /// Marks this dataset as the dimension scale of dimension `name` (`H5DSset_scale`:
    /// attributes `CLASS = "DIMENSION_SCALE"` and `NAME = name`). netCDF readers expect
    /// `name` to be the dataset's own name.
    public func makeDimensionScale(_ name: String) throws(HDF5Error) {
        try HDF5Library.sync { () throws(HDF5Error) in
            try file.ensureOpen("makeDimensionScale")
            try HDF5Library.check(status: H5DSset_scale(id, name), "H5DSset_scale", location)
        }
    }

    /// Attaches `scale` to axis `axis` of this dataset (`H5DSattach_scale`); the
    /// scale's length must be the length of that axis when the file is read.
    public func attachScale(_ scale: HDF5Dataset, axis: Int) throws(HDF5Error) {
        try HDF5Library.sync { () throws(HDF5Error) in
            try file.ensureOpen("attachScale")
            try HDF5Library.check(
                status: H5DSattach_scale(id, scale.id, UInt32(axis)), "H5DSattach_scale",
                location + " axis \(axis) ← " + scale.path)
        }
    }

    /// Whether this dataset is a dimension scale.
    public func isDimensionScale() throws(HDF5Error) -> Bool {
        try HDF5Library.sync { () throws(HDF5Error) -> Bool in
            try file.ensureOpen("isDimensionScale")
            let r = H5DSis_scale(id)
            if r < 0 { throw HDF5Library.failure("H5DSis_scale", location) }
            return r > 0
        }
    }

    /// The dimension name of a scale (its `NAME` attribute), or nil when none is set.
    public func dimensionScaleName() throws(HDF5Error) -> String? {
        try HDF5Library.sync { () throws(HDF5Error) -> String? in
            try file.ensureOpen("dimensionScaleName")
            let length = H5DSget_scale_name(id, nil, 0)
            if length <= 0 { _ = HDF5Library.errorStack(); return nil }
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            _ = H5DSget_scale_name(id, &buffer, buffer.count)
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// Paths (inside the file) of the scales attached to axis `axis`, in attachment order.
    public func attachedScales(axis: Int) throws(HDF5Error) -> [String] {
        try HDF5Library.sync { () throws(HDF5Error) -> [String] in
            try file.ensureOpen("attachedScales")
            let count = H5DSget_num_scales(id, UInt32(axis))
            if count < 0 { throw HDF5Library.failure("H5DSget_num_scales", location + " axis \(axis)") }
            if count == 0 { return [] }
            final class Box { var paths: [String] = [] }
            let box = Box()
            let visitor: H5DS_iterate_t = { _, _, scale, data in
                guard let data else { return -1 }
                let box = Unmanaged<Box>.fromOpaque(data).takeUnretainedValue()
                let length = H5Iget_name(scale, nil, 0)
                var buffer = [CChar](repeating: 0, count: Int(max(length, 0)) + 1)
                _ = H5Iget_name(scale, &buffer, buffer.count)
                box.paths.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
                return 0
            }
            let status = H5DSiterate_scales(id, UInt32(axis), nil, visitor, Unmanaged.passUnretained(box).toOpaque())
            if status < 0 { throw HDF5Library.failure("H5DSiterate_scales", location + " axis \(axis)") }
            return box.paths
        }
    }
}
